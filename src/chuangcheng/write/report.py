"""What a report says, computed once from a unit's file: totals, dated prose, the statistics.

Templates get these views and only arrange them; every number here is summed from the
activities, so the opening, the sections and the table always agree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ..load.amounts import Amount, AmountError, parse_amount, sum_amounts
from ..load.dates import cn_date, cn_date_range
from ..load.models import Activity, Leadership, Report, Section, Volunteering, resident_population
from ..read.images import posix
from .typography import clause, is_one_clause, join_list, points, sentence, tidy

SECTION_TITLES = {
    "leadership": ("组织领导", "加强组织领导，压实工作责任"),
    "publicity": ("宣传发动", "广泛宣传发动，营造浓厚氛围"),
    "sanitation": ("环境整治", "深化环境整治，改善辖区面貌"),
    "volunteering": ("志愿服务", "强化志愿服务，引领文明风尚"),
    "infrastructure": ("基础设施", "完善基础设施，提升服务功能"),
    "civic_morality": ("道德建设", "深化道德建设，培育文明新风"),
}
# How a unit speaks of itself in the body ("社区在民主东路开展……") and who takes part.
SUBJECTS = {"社区": "社区", "街道": "街道", "村": "我村", "医院": "我院", "学校": "我校",
            "幼儿园": "我园", "企业": "公司", "机关": "单位", "其他": "单位"}
PARTICIPANTS = {"学校": "师生", "幼儿园": "师生幼儿", "医院": "人员", "企业": "职工", "机关": "干部职工"}
_VERBS = ("召开", "开展", "举办", "举行", "组织", "启动", "成立", "实施", "推进", "建设", "新建",
          "改造", "评选", "表彰", "集中", "联合", "走访", "慰问", "参加", "完成", "设立", "制定",
          "印发", "更新", "清理", "整治", "修复", "安装", "投入", "邀请", "承办", "配合", "落实",
          "深化", "创建", "打造", "建立", "发放", "张贴", "悬挂", "进行", "签订", "选树", "命名",
          "培训", "宣讲", "新增", "增设", "维修", "更换", "铺设", "改建", "修缮", "提升", "召集",
          "评比", "开设", "举报", "报送", "创办", "编印", "发布", "播放", "录制", "拍摄", "拆除", "开通",
          "聘请", "组建", "推行", "开放", "规范", "整修", "绘制", "选派", "帮扶", "植树", "补植", "硬化",
          "亮化", "绿化", "美化")
# What a title without a verb of its own is done with: meetings are held, lectures given.
_ENDINGS = (("晚会", "举办"), ("会议", "召开"), ("会", "召开"), ("讲堂", "举办"), ("讲座", "举办"),
            ("竞赛", "举办"), ("比赛", "举办"), ("培训班", "举办"), ("展览", "举办"), ("汇演", "举办"),
            ("节", "举办"), ("工程", "实施"), ("项目", "实施"))


@dataclass(frozen=True)
class ActivityView:
    """One activity, ready to print; ``text`` is its dated sentence(s)."""

    activity: Activity
    when: str
    action: str
    quantities: list[str]
    text: str


@dataclass
class SectionView:
    """One （一）… subsection: its heading and what goes under it."""

    key: str
    name: str
    title: str
    section: Section
    measures: str
    results: str
    activities: list[ActivityView]
    totals: list[str]
    intro: str = ""


@dataclass(frozen=True)
class StatRow:
    """One row of 附表：创建活动统计表."""

    category: str
    item: str
    amount: str
    activities: int


@dataclass
class PhotoView:
    """One photo for 附件 活动照片: its path as written (relative to the unit file), the link
    the Markdown uses (relative to where the report is written) and its caption."""

    path: str
    src: str
    caption: str


@dataclass
class ReportView:
    """Everything the report templates print, computed from one :class:`Report`."""

    report: Report
    title: str
    subject: str
    participant_noun: str
    period: str
    opening_stats: list[str]
    profile: list[str]
    sections: list[SectionView]
    problems: list[str]
    next_steps: list[str]
    closing: str
    signer: str
    signed_on: str
    stats: list[StatRow] = field(default_factory=list)
    photos: list[PhotoView] = field(default_factory=list)


def _with_verb(title: str) -> str:
    """``召开创城工作推进会``: the title with a verb before it when it has none."""
    text = clause(title)
    if text.startswith(_VERBS):
        return text
    verb = next((v for end, v in _ENDINGS if text.endswith(end)), "开展")
    return f"{verb}{text}"


def _people(total: dict[tuple[str, str], Amount]) -> str:
    return "、".join(str(a) for a in total.values())


def activity_view(act: Activity, subject: str, noun: str, with_year: bool) -> ActivityView:
    """The dated sentence of one activity, the way the seeds write it."""
    when = cn_date_range(act.date, act.end_date, with_year)
    action = _with_verb(act.title)
    head = f"{when}，{subject}" + (f"在{clause(act.place)}" if act.place else "") + action
    quantities = [f"{tidy(item)}{amount}" for item, amount in act.quantities.items()]
    tail = []
    if quantities:
        tail.append(("共" if act.description else "") + "、".join(quantities))
    if act.volunteers:
        tail.append(f"出动志愿者{act.volunteers}")
    if act.participants:
        tail.append(f"参与{noun}{act.participants}")
    desc = act.description or ""
    if not desc or is_one_clause(desc):
        text = sentence("，".join([head, *([clause(desc)] if desc else []), *tail]))
    else:
        text = sentence(head) + "".join(sentence(s) for s in _sentences(desc))
        if tail:
            text += sentence("本次活动" + "，".join(tail).removeprefix("共"))
    return ActivityView(act, when, action, quantities, text)


def _sentences(text: str) -> list[str]:
    out, current = [], ""
    for ch in tidy(text):
        current += ch
        if ch in "。！？":
            out.append(current)
            current = ""
    return [*out, current] if current.strip() else out


def _section_intro(key: str, sec: Section, report: Report, subject: str) -> str:
    if isinstance(sec, Leadership):
        parts = []
        if sec.group:
            group = clause(sec.group)
            parts.append(group if group.startswith(("成立", "调整", "建立")) else f"成立了{group}")
        if sec.mechanisms:
            parts.append(f"建立健全{join_list(sec.mechanisms)}工作机制")
        return sentence(subject + "，".join(parts)) if parts else ""
    if isinstance(sec, Volunteering):
        parts = []
        if sec.registered:
            share = _share(sec.registered, report)
            parts.append(f"现有注册志愿者{sec.registered}{share}")
        if sec.teams:
            parts.append(f"组建了{join_list(sec.teams)}共{len(sec.teams)}支志愿服务队伍")
        return sentence(subject + "，".join(parts)) if parts else ""
    return ""


def _share(registered: Amount, report: Report) -> str:
    population = resident_population(report)
    if population is None or population.value == 0 or registered.unit != "人":
        return ""
    percent = (registered.value / population.value * 100).quantize(Decimal("0.1"))
    return f"，占常住人口的{percent}%"


def _section_view(key: str, sec: Section, report: Report, subject: str, noun: str) -> SectionView:
    name, default_title = SECTION_TITLES.get(key, ("", ""))
    name = name or clause(sec.title or "")
    with_year = report.period.start.year != report.period.end.year
    acts = sorted(sec.activities, key=lambda a: a.date)
    views = [activity_view(a, subject, noun, with_year) for a in acts]
    totals: list[str] = []
    if sum(1 for a in acts if a.quantities) > 1:
        summed = sum_amounts((item, amt) for a in acts for item, amt in a.quantities.items())
        totals = [f"{tidy(item)}{amount}" for (item, _), amount in summed.items()]
    return SectionView(
        key=key, name=name, title=clause(sec.title or default_title), section=sec,
        measures=points(sec.measures), results="".join(sentence(r) for r in sec.results),
        activities=views, totals=totals, intro=_section_intro(key, sec, report, subject))


def _profile(report: Report) -> list[str]:
    out = []
    for key, value in report.unit.profile.items():
        try:
            text = str(parse_amount(value))
        except AmountError:
            text = tidy(value)
        out.append(f"{tidy(key)}{text}")
    return out


def _highlights(report: Report) -> list[str]:
    """One headline amount per section: the item most activities report (first on a tie)."""
    out = []
    for _, sec in report.sections():
        pairs = [(item, amt) for a in sec.activities for item, amt in a.quantities.items()]
        if not pairs:
            continue
        counts = Counter((item, amt.unit) for item, amt in pairs)
        totals = sum_amounts(pairs)
        best = max(totals, key=lambda k: counts[k])  # max keeps the first of equals
        out.append(f"{tidy(best[0])}{totals[best]}")
    return out[:6]


def build_view(report: Report) -> ReportView:
    """Compute everything a report template prints."""
    subject = SUBJECTS[report.unit.type]
    noun = PARTICIPANTS.get(report.unit.type, "群众")
    sections = [_section_view(k, s, report, subject, noun) for k, s in report.sections()]
    acts = [a for _, a in report.activities()]
    opening: list[str] = []
    if acts:
        opening.append(f"共开展各类创建活动{len(acts)}次")
        participants = sum_amounts(("参与", a.participants) for a in acts if a.participants)
        if participants:
            opening.append(f"参与{noun}{_people(participants)}")
        volunteers = sum_amounts(("志愿者", person_times(a.volunteers)) for a in acts if a.volunteers)
        if volunteers:
            opening.append(f"出动志愿者{_people(volunteers)}")
        opening += _highlights(report)
    return ReportView(
        report=report,
        title=tidy(report.display_title),
        subject=subject,
        participant_noun=noun,
        period=report.period.name,
        opening_stats=opening,
        profile=_profile(report),
        sections=sections,
        problems=[sentence(p) for p in report.problems],
        next_steps=[sentence(p) for p in report.next_steps],
        closing=sentence(report.closing or ""),
        signer=tidy(report.signer),
        signed_on=cn_date(report.signed_on),
        stats=_stats(sections),
        photos=_photos(acts, with_year=report.period.start.year != report.period.end.year),
    )


def _photos(acts: list[Activity], with_year: bool) -> list[PhotoView]:
    """The photos in report order, captioned with date and title (（1）（2） when several)."""
    out = []
    for act in acts:
        head = f"{cn_date_range(act.date, act.end_date, with_year)} {clause(act.title)}"
        for n, photo in enumerate(act.photos, 1):
            path = posix(photo)
            out.append(PhotoView(path, path, head + (f"（{n}）" if len(act.photos) > 1 else "")))
    return out


def person_times(amount: Amount) -> Amount:
    """Volunteers summed over activities are person-times: 人 becomes 人次."""
    return Amount(amount.value, "人次", amount.approx) if amount.unit == "人" else amount


def _stats(sections: list[SectionView]) -> list[StatRow]:
    rows = []
    for view in sections:
        acts = view.section.activities
        pairs = [(item, amt) for a in acts for item, amt in a.quantities.items()]
        counts = Counter((item, amt.unit) for item, amt in pairs)
        for key, amount in sum_amounts(pairs).items():
            rows.append(StatRow(view.name, tidy(key[0]), str(amount), counts[key]))
    return rows
