"""The unit file and the district file as pydantic models: the one source of truth for the format.

Each field's English name is its Python name and its Chinese key is its ``title``; the
loader (:mod:`chuangcheng.loader`) maps either spelling onto the field before validation.
"""

# No `from __future__ import annotations`: pydantic reads these annotations when it builds the
# models, and strings would have to be evaluated first (start-up: benchmarks/startup.py).

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..limits import MAX_TIMES
from ..read.yamltree import as_written
from .amounts import Amount, AmountError, AmountOverLimit, EmptyAmount, NegativeAmount, parse_amount
from .dates import DateError, DateOverLimit, EmptyDate, When, parse_date, parse_when, period_label
from .layout import Layout, millimetres, points

UNIT_TYPES = ("社区", "街道", "村", "医院", "学校", "幼儿园", "企业", "机关", "其他")
UnitType = Literal["社区", "街道", "村", "医院", "学校", "幼儿园", "企业", "机关", "其他"]


# The error type (and so the rule, loader._CODES) of each kind of bad amount or date.
_KINDS: tuple[tuple[type[Exception], str], ...] = (
    (NegativeAmount, "amount_negative"), (EmptyAmount, "empty"), (AmountOverLimit, "limit"),
    (EmptyDate, "empty"), (DateOverLimit, "limit"))


def _kind(exc: Exception, default: str) -> str:
    return next((kind for cls, kind in _KINDS if isinstance(exc, cls)), default)


def _amount(value: object, default_unit: str | None = None) -> Amount:
    try:
        return parse_amount(value, default_unit)
    except AmountError as exc:
        kind = _kind(exc, "amount")
        if kind == "empty":
            raise PydanticCustomError(kind, "{reason}", {"reason": str(exc)}) from None
        raise PydanticCustomError(kind, "“{value}”不是有效的数量：{reason}",
                                  {"value": as_written(value), "reason": str(exc)}) from None


_AS_TEXT = PlainSerializer(str, return_type=str)


def _amount_schema(example: str) -> WithJsonSchema:
    """An amount as text (``3000余份``) or as the mapping ``{数值, 单位, 约数}``."""
    mapping = {"type": "object", "additionalProperties": False,
               "properties": {k: {"type": "string"} for k in ("数值", "value", "单位", "unit", "约数", "approx")}}
    return WithJsonSchema({"anyOf": [{"type": "string", "examples": [example]}, mapping]})


AmountField = Annotated[Amount, PlainValidator(_amount), _AS_TEXT, _amount_schema("3000余份")]
PeopleTimes = Annotated[Amount, PlainValidator(partial(_amount, default_unit="人次")), _AS_TEXT,
                        _amount_schema("2万余人次")]
People = Annotated[Amount, PlainValidator(partial(_amount, default_unit="人")), _AS_TEXT, _amount_schema("45人")]


def _checked_date(value: object, within: tuple[dt.date, dt.date] | None = None) -> dt.date:
    try:
        return parse_date(value, within)
    except DateError as exc:
        raise PydanticCustomError(_kind(exc, "date"), "{reason}", {"reason": str(exc)}) from None


# When the period is written but wrong, its own error is the one to show: a short date is then read
# in a stand-in year (a leap year, for 2月29日) instead of being reported as lacking one.
_STAND_IN = (dt.date(2000, 1, 1), dt.date(2000, 12, 31))


def _within(info: ValidationInfo) -> tuple[dt.date, dt.date] | None:
    context = info.context or {}
    period = context.get("period")
    return (period.start, period.end) if period else _STAND_IN if context.get("period_wrong") else None


def _date(value: object, info: ValidationInfo) -> dt.date:
    """An exact date: ``3月5日`` takes its year from the period in the context."""
    return _checked_date(value, _within(info))


def _when(value: object, info: ValidationInfo) -> When:
    """A date of any precision (``3月上旬``, ``一季度``); the year, when left out, from the period."""
    try:
        return parse_when(value, _within(info))
    except DateError as exc:
        raise PydanticCustomError(_kind(exc, "date"), "{reason}", {"reason": str(exc)}) from None


FullDate = Annotated[dt.date, PlainValidator(_checked_date), WithJsonSchema({"type": "string"})]


def _text_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


# A single sentence where a list is expected is taken as a list of one.
TextList = Annotated[list[str], BeforeValidator(_text_list), WithJsonSchema(
    {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})]


class Model(BaseModel):
    """Strict base: unknown keys are errors, text is stripped, values are immutable."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True,
                              str_min_length=1)


class Unit(Model):
    name: str = Field(title="名称", description="单位全称（必填），如 官塘社区")
    type: UnitType = Field(title="类型", description="单位类型（必填）：" + "|".join(UNIT_TYPES))
    parent: str | None = Field(None, title="上级", description="领导本单位的上级，写进“在……的正确领导下”")
    guided_by: str | None = Field(None, title="指导", description="具体指导单位，如 区文明办")
    district: str | None = Field(None, title="所属区", description="所属区县")
    about: TextList = Field(default_factory=list, title="简介",
                            description="写进“基本情况”的介绍，一句或几句，如 位于横沙岛东部，是全乡果树种植最多的村")
    profile: dict[str, str] = Field(default_factory=dict, title="基本情况",
                                    description="基本情况：名称: 数量或文字，如 常住人口: 35000人、位置: 横沙岛东部")


class Period(Model):
    start: FullDate = Field(title="开始", description="开始日期，如 2026-01-01")
    end: FullDate = Field(title="结束", description="结束日期，如 2026-06-30")
    label: str | None = Field(None, title="名称", description="报告期名称，如 2026年上半年；不写则按日期生成")

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end < self.start:
            raise PydanticCustomError("period", "结束日期 {end} 早于开始日期 {start}",
                                      {"end": self.end.isoformat(), "start": self.start.isoformat()})
        return self

    @property
    def name(self) -> str:
        """The period's label, or one derived from its dates."""
        return self.label or period_label(self.start, self.end)


def _times(value: object) -> int:
    """次数: a whole number from 1 up (``26``, ``26次``)."""
    text = as_written(value).strip().removesuffix("次").strip()
    if not text.isdigit() or not text.isascii():
        raise PydanticCustomError("times", "“{value}”不是次数：写一个整数，如 26（每周一次、半年写 26）",
                                  {"value": as_written(value)})
    number = int(text)
    if number < 1:
        raise PydanticCustomError("times", "次数至少为 1；没有开展的活动请删除这一项", {})
    if number > MAX_TIMES:
        raise PydanticCustomError("limit", "超出限制：次数最多写 {limit}，请核对", {"limit": MAX_TIMES})
    return number


Times = Annotated[int, PlainValidator(_times), WithJsonSchema({"type": ["integer", "string"], "examples": [26]})]
Date = Annotated[dt.date, PlainValidator(_date), WithJsonSchema({"type": "string"})]
AnyDate = Annotated[When, PlainValidator(_when), PlainSerializer(str, return_type=str), WithJsonSchema(
    {"type": "string", "examples": ["2026-03-05", "3月5日", "3月上旬", "一季度", "上半年"]})]
_BAD_PHOTO = re.compile(r"^(?:[a-zA-Z]:|[\\/]|~)")


class Activity(Model):
    date: AnyDate | None = Field(None, title="日期", description=(
        "日期：2026-03-05、3月5日，或只知道大概时间时写 3月、3月上旬、一季度、上半年；"
        "整个报告期都在做的工作不写日期"))
    end_date: AnyDate | None = Field(
        None, title="结束日期", description="持续一段时间的活动的结束日期，写法同“日期”")
    title: str = Field(title="名称", description="活动名称（必填），如 学雷锋主题宣传活动")
    times: Times = Field(1, title="次数", description="报告期内开展的次数，如每周一次写 26；默认 1")
    organiser: str | None = Field(None, title="组织", description="组织者（不是整个单位时），如 街道团工委")
    audience: str | None = Field(None, title="对象", description="参与的是谁：居民、党员、家长、师生、患者、职工……")
    place: str | None = Field(None, title="地点", description="活动地点")
    quantities: dict[str, AmountField] = Field(
        default_factory=dict, title="数量", description="做了什么，每项“事项: 数量”，如 悬挂横幅: 10条")
    participants: PeopleTimes | None = Field(None, title="参与", description="参与人数，默认单位“人次”")
    volunteers: People | None = Field(None, title="志愿者", description="志愿者人数，默认单位“人”")
    description: str | None = Field(None, title="说明", description="活动说明，一句或几句话")
    photos: TextList = Field(
        default_factory=list, title="照片", description="照片路径，相对于本文件，不能在本文件所在文件夹之外")

    @field_validator("photos")
    @classmethod
    def _inside_folder(cls, value: list[str]) -> list[str]:
        for photo in value:
            parts = set(PurePosixPath(photo).parts) | set(PureWindowsPath(photo).parts)
            if _BAD_PHOTO.match(photo) or ".." in parts:
                raise PydanticCustomError(
                    "photo_path",
                    "照片路径“{path}”指向本文件所在文件夹之外；"
                    "请把照片放进单位文件所在的文件夹（或其子文件夹），写相对路径，如 photos/0305.jpg",
                    {"path": photo})
        return value

    @model_validator(mode="after")
    def _end_after_start(self) -> "Activity":
        if self.end_date is not None and self.date is None:
            raise PydanticCustomError("date_order", "写了结束日期，却没有写“日期”；请补上日期，或删去结束日期", {})
        if self.end_date is not None and self.date is not None and self.end_date.last < self.date.first:
            raise PydanticCustomError("date_order", "结束日期 {end} 早于开始日期 {start}",
                                      {"end": str(self.end_date), "start": str(self.date)})
        return self

    @property
    def sort_key(self) -> tuple[int, dt.date, dt.date]:
        """Dated work in date order, undated work (spread over the period) first."""
        if self.date is None:
            return (0, dt.date.min, dt.date.min)
        return (1, self.date.first, (self.end_date or self.date).last)


class Section(Model):
    """A section of the work: a list of activities, or 做法/成效/活动 (and its own keys)."""

    list_field: ClassVar[str | None] = "activities"

    title: str | None = Field(None, title="标题", description="小标题；不写则用默认标题")
    measures: TextList = Field(default_factory=list, title="做法", description="常规做法，一句一项")
    results: TextList = Field(default_factory=list, title="成效", description="取得的成效，一句一项")
    activities: list[Activity] = Field(default_factory=list, title="活动", description="活动列表")

    @model_validator(mode="before")
    @classmethod
    def _list_form(cls, value: object) -> object:
        return {"activities": value} if isinstance(value, list) else value

    def is_empty(self) -> bool:
        """True when the section has nothing to print."""
        return not (self.measures or self.results or self.activities)


class Leadership(Section):
    group: str | None = Field(None, title="领导小组", description="领导小组，如 以社区党委书记为组长的创城工作领导小组")
    mechanisms: TextList = Field(default_factory=list, title="工作机制", description="工作机制，如 周调度、月总结")

    def is_empty(self) -> bool:
        return super().is_empty() and not (self.group or self.mechanisms)


class Volunteering(Section):
    registered: People | None = Field(None, title="注册志愿者", description="注册志愿者人数，如 2900人")
    teams: TextList = Field(default_factory=list, title="队伍", description="志愿服务队伍名称")

    def is_empty(self) -> bool:
        return super().is_empty() and self.registered is None and not self.teams


class OtherSection(Section):
    list_field: ClassVar[str | None] = None

    title: str = Field(title="标题", description="本单位自设工作的小标题（必填）")

    @model_validator(mode="before")
    @classmethod
    def _list_form(cls, value: object) -> object:
        return value


class Honour(Model):
    """One honour the unit (or one of its people) received."""

    title: str = Field(title="名称", description="荣誉名称（必填），如 上海市平安示范小区")
    by: str | None = Field(None, title="授予", description="授予单位，如 上海市综治委")
    date: AnyDate | None = Field(None, title="日期", description="授予日期，写法同活动日期，如 2025年11月")
    holder: str | None = Field(None, title="获得者", description="获得者；不写则为本单位")

    @model_validator(mode="before")
    @classmethod
    def _sentence(cls, value: object) -> object:
        return {"title": value} if isinstance(value, str) else value


def _honour_list(value: object) -> object:
    return [value] if isinstance(value, (str, dict)) else value


class Signoff(Model):
    signer: str | None = Field(None, title="署名", description="署名，默认为单位名称")
    date: Date | None = Field(
        None, title="日期", description="成文日期，默认为报告期结束日期")


SECTION_KEYS = ("leadership", "publicity", "sanitation", "volunteering", "infrastructure",
                "civic_morality")


class Report(Model):
    """One unit's file for one reporting period."""

    unit: Unit = Field(title="单位", description="单位信息（必填）")
    period: Period = Field(title="报告期", description="报告期（必填）")
    goal: str = Field("全国文明城市", title="创建目标", description="创建目标，默认 全国文明城市")
    title: str | None = Field(None, title="标题", description="报告标题；不写则为“{名称}{报告期}创建{目标}工作总结”")
    leadership: Leadership | None = Field(None, title="组织领导", description="组织领导")
    publicity: Section | None = Field(None, title="宣传发动", description="宣传发动")
    sanitation: Section | None = Field(None, title="环境整治", description="环境整治")
    volunteering: Volunteering | None = Field(None, title="志愿服务", description="志愿服务")
    infrastructure: Section | None = Field(None, title="基础设施", description="基础设施")
    civic_morality: Section | None = Field(
        None, title="道德建设", description="道德建设：道德讲堂、好人评选、文明家庭 …")
    other: list[OtherSection] = Field(
        default_factory=list, title="其他工作", description="本单位自设的工作，按顺序排在最后")
    preface: str | None = Field(None, title="引言",
                                description="本单位自己的开头一段；报告仍接着写本期的主要数字")
    highlights: TextList = Field(default_factory=list, title="亮点", description="本单位有、别的单位没有的做法")
    results: TextList = Field(default_factory=list, title="成效", description="整个报告期的成效（各板块成效之外）")
    honours: Annotated[list[Honour], BeforeValidator(_honour_list)] = Field(
        default_factory=list, title="荣誉", description="获得的荣誉：每项写 名称、授予、日期、获得者，或一句话")
    previous: str | None = Field(None, title="上期", description=(
        "上一报告期本单位的文件（相对于本文件），如 ../2025年下半年/横东村.yaml；写了就与上期比较主要数字"))
    problems: TextList = Field(default_factory=list, title="存在问题",
                               description="存在的问题（不写时报告略去这一部分，检查时提醒）")
    next_steps: TextList = Field(default_factory=list, title="下一步",
                                 description="下一步工作打算（不写时报告略去这一部分，检查时提醒）")
    closing: str | None = Field(None, title="结语", description="结尾段落（可选）")
    signoff: Signoff = Field(default_factory=Signoff, title="落款", description="落款")

    @property
    def display_title(self) -> str:
        """The report's title, given or derived."""
        return self.title or f"{self.unit.name}{self.period.name}创建{self.goal}工作总结"

    @property
    def signer(self) -> str:
        return self.signoff.signer or self.unit.name

    @property
    def signed_on(self) -> dt.date:
        return self.signoff.date or self.period.end

    def sections(self) -> list[tuple[str, Section]]:
        """The non-empty sections in report order: the core ones, then the unit's own."""
        core: list[tuple[str, Section]] = [
            (key, sec) for key in SECTION_KEYS if (sec := getattr(self, key)) is not None
        ]
        core += [("other", sec) for sec in self.other]
        return [(key, sec) for key, sec in core if not sec.is_empty()]

    def located_sections(self) -> list[tuple[tuple[str | int, ...], Section]]:
        """Every section given, with its field path (``("publicity",)``, ``("other", 0)``)."""
        found: list[tuple[tuple[str | int, ...], Section]] = [
            ((key,), sec) for key in SECTION_KEYS if (sec := getattr(self, key)) is not None]
        return found + [(("other", i), sec) for i, sec in enumerate(self.other)]

    def activities(self) -> list[tuple[str, Activity]]:
        """Every activity with the key of its section."""
        return [(key, act) for key, sec in self.sections() for act in sec.activities]


class RosterEntry(Model):
    name: str = Field(title="名称", description="单位名称")
    type: UnitType | None = Field(None, title="类型", description="单位类型")
    group: str | None = Field(None, title="所属", description="所属街道、镇或系统，如 石城街道")
    contact: str | None = Field(None, title="联系人", description="联系人")
    phone: str | None = Field(None, title="电话", description="联系电话，如 0717-1234567")
    aliases: TextList = Field(default_factory=list, title="别名",
                              description="单位文件里可能写的其他名称，如 桂花社区居委会")


def _percent(value: object) -> Decimal:
    text = as_written(value).strip().rstrip("%％").strip()
    try:
        number = Decimal(text) if _PERCENT.fullmatch(text) else None
    except InvalidOperation:  # pragma: no cover - _PERCENT admits only what Decimal reads
        number = None
    if number is None:
        raise PydanticCustomError("percent", "“{value}”不是百分比，应写作 8%", {"value": as_written(value)})
    if not 0 < number <= 100:
        raise PydanticCustomError("percent", "百分比应在 0% 到 100% 之间", {})
    return number


_PERCENT = re.compile(r"\d{1,3}(?:\.\d{1,4})?")
_YES = {"是", "要", "true", "yes", "on", "1"}
_NO = {"否", "不", "不要", "false", "no", "off", "0"}


def _yes_no(value: object) -> bool:
    text = as_written(value).strip().lower()
    if text in _YES | _NO:
        return text in _YES
    raise PydanticCustomError("yes_no", "应为 是 或 否", {})


def _section_key(value: object) -> str:
    text = as_written(value).strip()
    for key in SECTION_KEYS:
        if text in (key, Report.model_fields[key].title):
            return key
    names = "、".join(str(Report.model_fields[k].title) for k in SECTION_KEYS)
    raise PydanticCustomError("section", "“{value}”不是核心板块，应为：{names}", {"value": text, "names": names})


Percent = Annotated[Decimal, PlainValidator(_percent), PlainSerializer(lambda d: f"{d}%", return_type=str),
                    WithJsonSchema({"type": "string", "examples": ["8%"]})]
YesNo = Annotated[bool, PlainValidator(_yes_no), WithJsonSchema({"type": "string", "enum": ["是", "否"]})]
SectionKey = Annotated[str, PlainValidator(_section_key), WithJsonSchema({"type": "string"})]


class Indicators(Model):
    """``指标``: the 测评体系 bars units are checked against (rules CC301–CC303)."""

    volunteer_share: Percent = Field(Decimal(8), title="志愿者占比",
                                     description="注册志愿者占常住人口的最低比例，默认 8%")
    publicity_every_quarter: YesNo = Field(True, title="每季度宣传",
                                           description="报告期内每个季度都要有宣传活动，默认 是")
    core_sections: list[SectionKey] = Field(
        default_factory=lambda: list(SECTION_KEYS), title="核心板块",
        description="每个板块至少要有一次活动，默认六个板块都要")
    as_errors: YesNo = Field(False, title="不达标为错误", description="指标不达标算作错误（默认只是警告）")


class Checks(Model):
    """``检查``: which rules ``chuangcheng validate`` applies in this district, as ruff's select/ignore."""

    select: TextList = Field(default_factory=list, title="选择", description="只检查这些规则，如 [CC2, CC3]；默认全部")
    ignore: TextList = Field(default_factory=list, title="忽略", description="不检查这些规则，如 [CC213]")
    strict: YesNo = Field(False, title="严格", description="有警告也算不通过，同 --strict")


def _layout_value(parse: Callable[[object], float]) -> Callable[[object], float]:
    """A layout parser (:mod:`chuangcheng.layout`) whose Chinese ValueError becomes pydantic's error."""

    def validate(value: object) -> float:
        if not isinstance(value, str):
            raise PydanticCustomError("layout", "应写一个值，如 三号、16 或 37mm，而不是“{value}”",
                                      {"value": as_written(value)})
        try:
            return parse(value)
        except ValueError as exc:
            raise PydanticCustomError("layout", str(exc), {}) from None

    return validate


def _activity_style(value: object) -> str:
    text = as_written(value).strip()
    if text in {"概括", "summary", "举例"}:
        return "summary"
    if text in {"逐项", "all", "全部"}:
        return "all"
    raise PydanticCustomError("layout", "活动写法应为 概括（先写总数，再举一至三个例子）或 逐项（每项活动都写）", {})


def _page_number(value: object) -> str:
    text = as_written(value).strip()
    if text in {"外侧", "outside", "单右双左"}:
        return "outside"
    if text in {"居中", "center", "centre"}:
        return "center"
    raise PydanticCustomError("layout", "页码位置应为 外侧（单页右、双页左）或 居中", {})


_SIZE_SCHEMA = WithJsonSchema({"type": ["string", "number"], "examples": ["三号", "16"]})
FontSize = Annotated[float, PlainValidator(_layout_value(points)), _SIZE_SCHEMA]
LineSpacing = Annotated[float, PlainValidator(_layout_value(partial(points, what="行距"))), _SIZE_SCHEMA]
Millimetres = Annotated[float, PlainValidator(_layout_value(millimetres)),
                        WithJsonSchema({"type": ["string", "number"]})]
ActivityStyle = Annotated[str, PlainValidator(_activity_style),
                          WithJsonSchema({"type": "string", "enum": ["概括", "逐项"]})]
PageNumberPosition = Annotated[str, PlainValidator(_page_number),
                               WithJsonSchema({"type": "string", "enum": ["外侧", "居中"]})]


class Margins(Model):
    top: Millimetres | None = Field(None, title="上", description="上边距（毫米），默认 37")
    bottom: Millimetres | None = Field(None, title="下", description="下边距（毫米），默认 35")
    left: Millimetres | None = Field(None, title="左", description="左边距（毫米），默认 28")
    right: Millimetres | None = Field(None, title="右", description="右边距（毫米），默认 26")


class LayoutSettings(Model):
    """``版式``: the district's house style; anything not given stays as GB/T 9704-2012 has it."""

    reference: str | None = Field(None, title="参考文档", description=(
        "本区的 Word 参考文档（.docx，相对于区文件）：页面设置、样式、页眉页脚取自它，如 信笺.docx"))
    title_font: str | None = Field(None, title="标题字体", description="默认 方正小标宋简体")
    title_size: FontSize | None = Field(None, title="标题字号", description="默认 二号（22磅）")
    body_font: str | None = Field(None, title="正文字体", description="默认 仿宋_GB2312；也常用 仿宋")
    body_size: FontSize | None = Field(None, title="正文字号", description="默认 三号（16磅）")
    heading1_font: str | None = Field(None, title="一级标题字体", description="“一、”的字体，默认 黑体")
    heading2_font: str | None = Field(None, title="二级标题字体", description="“（一）”的字体，默认 楷体_GB2312")
    heading3_font: str | None = Field(None, title="三级标题字体", description="“1.”的字体，默认 仿宋_GB2312 加粗")
    latin_font: str | None = Field(None, title="数字字母字体",
                                   description="数字和英文字母的字体，如 Times New Roman；默认与中文相同")
    table_font: str | None = Field(None, title="表格字体", description="默认 仿宋_GB2312")
    table_size: FontSize | None = Field(None, title="表格字号", description="默认 四号（14磅）")
    line_spacing: LineSpacing | None = Field(None, title="行距",
                                             description="固定值行距（磅），默认 28.95（每页22行）；也常用 28 或 29")
    page_number_font: str | None = Field(None, title="页码字体", description="默认 宋体")
    page_number_position: PageNumberPosition | None = Field(None, title="页码位置",
                                                            description="外侧（单页右、双页左，默认）或 居中")
    margins: Margins | None = Field(None, title="页边距", description="上、下、左、右（毫米）")
    activities: ActivityStyle | None = Field(None, title="活动写法", description=(
        "各部分的活动怎么写：概括（默认：先写总数，再举一至三个有代表性的例子）或 逐项（每项活动都写）"))

    def apply(self, layout: Layout) -> Layout:
        """``layout`` with what this block sets."""
        changes: dict[str, object] = {
            name: value for name in ("title_font", "title_size", "body_font", "body_size", "latin_font",
                                     "table_font", "table_size", "line_spacing", "page_number_font",
                                     "page_number_position", "activities")
            if (value := getattr(self, name)) is not None}
        fonts = list(layout.heading_fonts)
        if self.body_font:  # 1. and （1） are body text, in bold or not
            fonts[2] = fonts[3] = self.body_font
        for level, font in enumerate((self.heading1_font, self.heading2_font, self.heading3_font)):
            fonts[level] = font or fonts[level]
        if tuple(fonts) != layout.heading_fonts:
            changes["heading_fonts"] = tuple(fonts)
        if self.margins is not None:
            given = (self.margins.top, self.margins.bottom, self.margins.left, self.margins.right)
            changes["margins_mm"] = tuple(g if g is not None else d for g, d in zip(given, layout.margins_mm,
                                                                                   strict=True))
        return dataclasses.replace(layout, **changes)  # type: ignore[arg-type]  # checked above, by name


class District(Model):
    """``district.yaml`` (or ``区.yaml``): the district, its period, deadline and roster."""

    name: str = Field(title="区", description="区名称（必填）")
    period: Period = Field(title="报告期", description="报告期（必填）")
    deadline: FullDate = Field(title="截止日期", description="报送截止日期（必填）")
    goal: str = Field("全国文明城市", title="创建目标", description="各单位默认的创建目标")
    roster: list[RosterEntry] = Field(default_factory=list, title="单位名单", description="应报送的单位")
    indicators: Indicators = Field(default_factory=Indicators, title="指标", description="测评体系指标（可选）")
    checks: Checks = Field(default_factory=Checks, title="检查", description="检查哪些规则（可选）")
    layout: LayoutSettings = Field(default_factory=LayoutSettings, title="版式",
                                   description="本区公文的版式：字体、字号、行距、页边距、参考文档（可选）")
    previous: str | None = Field(None, title="上期", description="上一报告期的区文件夹（相对于区文件），汇总时比较")
    signoff: Signoff = Field(default_factory=Signoff, title="落款", description="汇总报告的落款：署名、日期")
    next_steps: TextList = Field(default_factory=list, title="下一步", description="汇总报告里本区的下一步工作")
    synonyms: dict[str, TextList] = Field(default_factory=dict, title="同义",
                                          description="汇总时算作同一项的事项名称，如 劝导不文明行为: [劝阻不文明行为]")


def resident_population(report: Report) -> Amount | None:
    """常住人口 from the profile, when it is given as an amount in 人 (a key named 常住人口 first,
    else another …人口 that is not 流动人口)."""
    profile = report.unit.profile
    keys = sorted((k for k in profile if "人口" in k and "流动" not in k), key=lambda k: k != "常住人口")
    for key in keys:
        try:
            amount = parse_amount(profile[key])
        except AmountError:
            continue
        if amount.unit in {"人", "万人"}:
            return amount
    return None
