"""Hypothesis strategies that write whole unit files as YAML source (bytes), mostly well formed
so that they reach the model, the checks and the writers, with hostile values and layouts.

``unit_files()`` is the entry point; the pieces (``texts()``, ``amounts()``, ``dates()`` …) are
usable alone. Keys are drawn in Chinese or English spelling, one key at a time.
"""

from __future__ import annotations

from typing import TypeVar

from hypothesis import strategies as st

from . import junk
from .yamltext import Alias, Layout, Map, Node, Scalar, Seq, document

KEYS = {  # Chinese spelling → English spelling
    "单位": "unit", "名称": "name", "类型": "type", "上级": "parent", "指导": "guided_by", "所属区": "district",
    "基本情况": "profile", "报告期": "period", "开始": "start", "结束": "end", "创建目标": "goal", "标题": "title",
    "组织领导": "leadership", "宣传发动": "publicity", "环境整治": "sanitation", "志愿服务": "volunteering",
    "基础设施": "infrastructure", "道德建设": "civic_morality", "其他工作": "other", "存在问题": "problems",
    "下一步": "next_steps", "结语": "closing", "落款": "signoff", "署名": "signer", "日期": "date",
    "结束日期": "end_date", "地点": "place", "数量": "quantities", "参与": "participants", "志愿者": "volunteers",
    "说明": "description", "照片": "photos", "做法": "measures", "成效": "results", "活动": "activities",
    "领导小组": "group", "工作机制": "mechanisms", "注册志愿者": "registered", "队伍": "teams",
}
PERIOD_LABEL = ("名称", "label")
SECTIONS = ("组织领导", "宣传发动", "环境整治", "志愿服务", "基础设施", "道德建设")
VERSION2_KEYS = ("简介", "引言", "亮点", "荣誉", "上期", "次数", "组织", "对象")

ANCHOR = "a"
# How often a value is good rather than hostile, drawn once per file: a hostile file tries many
# wrong things at once; a careful one is valid but for its text (junk that must reach the writers).
HOSTILE, CAREFUL = 5, 200
T = TypeVar("T")


def key(zh: str, r: int = HOSTILE) -> st.SearchStrategy[str]:
    """A key in either spelling; now and then a typo."""
    spellings = st.sampled_from((zh, KEYS.get(zh, zh)))
    typos = junk.KEY_TYPOS.get(zh, ())
    return mostly(spellings, st.sampled_from(typos), r * 4) if typos else spellings


def mostly(good: st.SearchStrategy[T], bad: st.SearchStrategy[T], ratio: int) -> st.SearchStrategy[T]:
    """``good`` about ``ratio`` times as often as ``bad``: most files should reach the writers.
    (``bad`` is taken on a middle value: hypothesis favours the ends of a range.)"""
    return st.integers(0, ratio).flatmap(lambda n: bad if n == (ratio + 1) // 2 else good)


_STYLES = st.sampled_from(("plain", "plain", "plain", "double", "single", "literal", "folded", "raw"))
_CAREFUL_STYLES = st.sampled_from(("plain", "plain", "plain", "double", "single", "literal", "folded"))


@st.composite
def texts(draw: st.DrawFn, base: tuple[str, ...] = junk.TEXTS, junk_rate: float = 0.15, r: int = HOSTILE) -> Scalar:
    """A text value: a word or sentence, now and then with junk inside it, in some quoting style
    (a careful file only has junk that YAML reads: it must then reach the writers intact)."""
    pieces: list[str | tuple[str]] = [draw(st.sampled_from(base))]
    kinds = ("raw",) * 8 + ("escape",) * 8 + (("forbidden", "long") if r < CAREFUL else ())
    escapes = junk.DOUBLE_ESCAPES if r < CAREFUL else [e for e in junk.DOUBLE_ESCAPES if "\\uD" not in e]
    if draw(st.floats(0, 1)) < junk_rate:
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(kinds))
            where = draw(st.integers(0, len(pieces)))
            if kind == "raw":
                pieces.insert(where, draw(st.sampled_from(junk.RAW_JUNK)))
            elif kind == "escape":
                pieces.insert(where, (draw(st.sampled_from(escapes)),))
            elif kind == "forbidden":
                pieces.insert(where, draw(st.sampled_from(junk.RAW_FORBIDDEN)))
            else:
                pieces.insert(where, draw(st.sampled_from(("字", "繁體字。", "a", "，"))) * draw(
                    mostly(st.sampled_from((100, 1000, 5001)), st.just(20000), 5)))
    return Scalar(tuple(pieces), draw(_STYLES if r < CAREFUL else _CAREFUL_STYLES))


GOOD_NUMBERS = ("10", "3000", "8900", "1.5", "2", "45", "120")
GOOD_DATES = ("2026-03-05", "2026年3月5日", "3月5日", "2026-05-12", "2026年4月16日", "6月30日", "2026-01-01",
              # version 2: any precision, and work since a day
              "3月", "3月上旬", "5月底", "一季度", "二季度", "上半年", "6月以来", "2026年4月", "全年")
AUDIENCES = ("居民", "党员干部", "留守儿童", "家长", "师生", "职工")


def plain(value: str) -> Scalar:
    return Scalar((value,), "plain")


@st.composite
def amount_text(draw: st.DrawFn, measure: bool = True, r: int = HOSTILE) -> Scalar:
    number = draw(mostly(st.sampled_from(GOOD_NUMBERS), st.sampled_from(junk.NUMBER_TEXTS), r))
    text = number + draw(mostly(st.sampled_from(("", "万")), st.sampled_from(junk.MULTIPLIERS), r)) + draw(
        mostly(st.sampled_from(("", "余")), st.sampled_from(junk.APPROX), r))
    if measure:
        text += draw(mostly(st.sampled_from(("条", "份", "人次", "个")), st.sampled_from(junk.MEASURES), r))
    if r < CAREFUL and draw(st.booleans()) and draw(st.booleans()):
        return draw(texts((text,), junk_rate=1.0))
    return Scalar((text,), draw(st.sampled_from(("plain", "plain", "double", "raw"))))


@st.composite
def amount_mapping(draw: st.DrawFn) -> Map:
    pairs: list[tuple[str, Node]] = [
        (draw(st.sampled_from(("数值", "value", "数"))), Scalar((draw(st.sampled_from(junk.NUMBER_SOURCES)),), "raw")),
        (draw(st.sampled_from(("单位", "unit", "量词"))), Scalar((draw(st.sampled_from(junk.MEASURES)),), "plain")),
    ]
    if draw(st.booleans()):
        pairs.append((draw(st.sampled_from(("约数", "approx"))),
                      Scalar((draw(st.sampled_from(junk.APPROX_SOURCES)),), "raw")))
    if draw(st.integers(0, 9)) == 0:
        pairs.append(("多余", plain("1")))
    return Map(draw(st.permutations(pairs)), flow=draw(st.booleans()))


def amounts(measure: bool = True, r: int = HOSTILE) -> st.SearchStrategy[Node]:
    odd = st.sampled_from((plain("~"), Scalar(("3",), "raw"), Scalar((".nan",), "raw"), Seq([plain("10条")])))
    return mostly(amount_text(measure, r), st.one_of(amount_mapping(), odd), r)


def dates(r: int = HOSTILE) -> st.SearchStrategy[Node]:
    return mostly(st.sampled_from(GOOD_DATES).map(plain), st.one_of(
        st.builds(lambda t, s: Scalar((t,), s), st.sampled_from(junk.DATE_TEXTS),
                  st.sampled_from(("plain", "plain", "raw", "double", "single"))),
        st.builds(lambda d: Scalar((f"2026-{d // 31 % 12 + 1:02d}-{d % 28 + 1:02d}",), "raw"), st.integers(0, 400)),
        st.sampled_from((Scalar(("~",), "raw"), Scalar(("20260305",), "raw"), Seq([plain("3月")]))),
    ), r)


@st.composite
def photos(draw: st.DrawFn, r: int = HOSTILE) -> Node:
    paths = draw(st.lists(mostly(st.sampled_from(junk.PHOTO_PATHS[:3]), st.sampled_from(junk.PHOTO_PATHS), r),
                          min_size=0, max_size=4))
    items: list[Node] = [Scalar((p,), draw(st.sampled_from(("plain", "double", "single")))) for p in paths]
    if draw(st.booleans()):
        return Seq(items, flow=draw(st.booleans()))
    return items[0] if items else plain("~")


@st.composite
def activity(draw: st.DrawFn, r: int = HOSTILE) -> Map:
    pairs: list[tuple[str, Node]] = []
    if draw(mostly(st.just(True), st.just(False), r * 2)):
        pairs.append((draw(key("日期", r)), draw(dates(r))))
    if draw(st.integers(0, 4)) == 0 and r < CAREFUL:
        pairs.append((draw(key("结束日期", r)), draw(dates(r))))
    if draw(mostly(st.just(True), st.just(False), r * 2)):
        pairs.append((draw(key("名称", r)), draw(texts(r=r))))
    for zh in ("地点", "说明"):
        if draw(st.booleans()):
            pairs.append((draw(key(zh, r)), draw(texts(r=r))))
    if draw(st.booleans()):
        items = draw(st.lists(st.tuples(texts((*junk.TEXTS[:8], "悬挂横幅", "发放宣传单", "=cmd|' /C calc'!A0"), r=r),
                                        amounts(r=r)), min_size=0, max_size=4, unique_by=lambda kv: kv[0].pieces))
        pairs.append((draw(key("数量", r)), Map([(_key_source(k), v) for k, v in items], flow=draw(st.booleans()))))
    for zh in ("参与", "志愿者"):
        if draw(st.booleans()):
            pairs.append((draw(key(zh, r)), draw(amounts(measure=r >= CAREFUL or draw(st.booleans()), r=r))))
    if draw(st.integers(0, 3)) == 0:
        pairs.append((draw(key("照片", r)), draw(photos(r))))
    if r < CAREFUL and draw(st.integers(0, 19)) == 0:
        pairs.append((draw(st.sampled_from(VERSION2_KEYS)), plain("26")))
    if draw(st.integers(0, 3)) == 0:  # version 2: how often, who organised it, for whom
        pairs.append(("次数", draw(mostly(st.sampled_from(("2", "6", "26")).map(plain),
                                          st.sampled_from(("0", "-1", "1e9", "三次", "~")).map(plain), r))))
    for v2 in ("组织", "对象"):
        if draw(st.integers(0, 4)) == 0:
            pairs.append((v2, draw(texts(AUDIENCES if v2 == "对象" else ("局总支", "各企业", "团委"), r=r))))
    return Map(draw(st.permutations(pairs)), flow=draw(st.integers(0, 5)) == 0)


def _key_source(node: Scalar) -> str:
    """A mapping key written from a text value: plain when it can be, else double-quoted."""
    from .yamltext import _scalar_inline

    return _scalar_inline(Scalar(node.pieces, "plain"))


@st.composite
def text_list(draw: st.DrawFn, min_size: int = 0, r: int = HOSTILE) -> Node:
    items = draw(st.lists(texts(r=r), min_size=min_size, max_size=3))
    if len(items) == 1 and draw(st.booleans()):
        return items[0]
    return Seq(list(items), flow=draw(st.integers(0, 3)) == 0)


@st.composite
def section(draw: st.DrawFn, zh: str, r: int = HOSTILE) -> Node:
    acts = draw(st.lists(activity(r), max_size=3))
    if acts and draw(mostly(st.just(False), st.just(True), 40)):  # a big section (the time bound)
        acts = acts * draw(st.sampled_from((50, 400)))
    if draw(st.booleans()):
        return Seq(list(acts), flow=draw(st.integers(0, 9)) == 0)
    pairs: list[tuple[str, Node]] = []
    for part in ("做法", "成效"):
        if draw(st.booleans()):
            pairs.append((draw(key(part, r)), draw(text_list(r=r))))
    if zh == "组织领导":
        pairs.append((draw(key("领导小组", r)), draw(texts(r=r))))
        pairs.append((draw(key("工作机制", r)), draw(text_list(r=r))))
    if zh == "志愿服务":
        pairs.append((draw(key("注册志愿者", r)), draw(amounts(measure=False, r=r))))
        pairs.append((draw(key("队伍", r)), draw(text_list(r=r))))
    pairs.append((draw(key("活动", r)), Seq(list(acts))))
    return Map(draw(st.permutations(pairs)))


@st.composite
def unit_block(draw: st.DrawFn, r: int = HOSTILE) -> Map:
    """单位: its name is hostile in either kind of file (file names are made from it)."""
    name = Scalar((draw(mostly(st.just("官塘社区"), st.sampled_from(junk.UNIT_NAMES), 2)),),
                  draw(st.sampled_from(("plain", "double", "single"))))
    if draw(mostly(st.just(False), st.just(True), 6)):
        name = draw(texts(junk.UNIT_NAMES, junk_rate=1.0, r=r))
    unit_type = draw(mostly(st.sampled_from(junk.UNIT_TYPES[:9]), st.sampled_from(junk.UNIT_TYPES), r))
    pairs: list[tuple[str, Node]] = [(draw(key("名称", r)), name), (draw(key("类型", r)), plain(unit_type))]
    for zh in ("上级", "指导", "所属区"):
        if draw(st.booleans()):
            pairs.append((draw(key(zh, r)), draw(texts(r=r))))
    if draw(st.booleans()):
        items = draw(st.lists(st.tuples(st.sampled_from(("辖区面积", "常住人口", "户数", "位置")), amounts(r=r)),
                              max_size=3, unique_by=lambda kv: kv[0]))
        pairs.append((draw(key("基本情况", r)), Map(list(items))))
    return Map(draw(st.permutations(pairs)))


@st.composite
def period(draw: st.DrawFn, r: int = HOSTILE) -> Node:
    start, end = draw(mostly(st.sampled_from(junk.PERIODS[:2]), st.sampled_from(junk.PERIODS), r))
    pairs: list[tuple[str, Node]] = [(draw(key("开始", r)), Scalar((start,), "raw")),
                                     (draw(key("结束", r)), Scalar((end,), "raw"))]
    if draw(st.booleans()):
        pairs.append((draw(st.sampled_from(PERIOD_LABEL)), draw(texts(("2026年上半年", "全年", "上半年"), r=r))))
    return Map(pairs, flow=draw(st.booleans()))


@st.composite
def report(draw: st.DrawFn, r: int = HOSTILE) -> Map:
    """The whole unit file as a tree, hostile or careful."""
    pairs: list[tuple[str, Node]] = [(draw(key("单位", r)), draw(unit_block(r))),
                                     (draw(key("报告期", r)), draw(period(r)))]
    for zh in SECTIONS:
        if draw(st.booleans()):
            pairs.append((draw(key(zh, r)), draw(section(zh, r))))
    if draw(st.integers(0, 4)) == 0:
        others = draw(st.lists(st.tuples(texts(r=r), section("其他工作", r)), max_size=2))
        items: list[Node] = []
        for title, sec in others:
            body = sec if isinstance(sec, Map) else Map([("活动", sec)])
            items.append(Map([(draw(key("标题", r)), title), *body.pairs]))
        pairs.append((draw(key("其他工作", r)), Seq(items)))
    for zh in ("存在问题", "下一步"):
        if draw(mostly(st.just(True), st.just(False), r)):
            pairs.append((draw(key(zh, r)), draw(text_list(min_size=1, r=r))))
    for v2 in ("引言", "亮点"):  # version 2: the unit's own opening and highlights
        if draw(st.integers(0, 4)) == 0:
            pairs.append((v2, draw(texts(r=r)) if v2 == "引言" else draw(text_list(r=r))))
    if draw(st.integers(0, 5)) == 0:
        pairs.append(("荣誉", Seq([Map([("名称", draw(texts(r=r))), ("日期", draw(dates(r)))])])))
    for zh in ("创建目标", "标题", "结语"):
        if draw(st.integers(0, 3)) == 0:
            pairs.append((draw(key(zh, r)), draw(texts(r=r))))
    if draw(st.booleans()):
        pairs.append((draw(key("落款", r)), Map([(draw(key("署名", r)), draw(texts(r=r))),
                                                (draw(key("日期", r)), draw(dates(r)))])))
    return Map(draw(st.permutations(pairs)))


@st.composite
def yaml_features(draw: st.DrawFn, tree: Map) -> tuple[Map, list[Node]]:
    """Anchors, aliases (also as a key), tags, duplicate keys, merge keys and extra documents."""
    extra: list[Node] = []
    pairs = list(tree.pairs)
    feature = draw(st.sampled_from(("none",) * 8 + ("anchor", "alias-key", "tag", "duplicate", "merge",
                                    "documents", "empty-document", "bad-tag")))
    if feature == "anchor" and pairs:
        _, v = pairs[0]
        if isinstance(v, Scalar | Seq | Map):
            v.anchor = ANCHOR
            pairs.append(("结语" if draw(st.booleans()) else "closing", Alias(ANCHOR)))
    elif feature == "alias-key":
        pairs.append(("*a", plain("x")))
    elif feature == "tag" and pairs:
        _, v = pairs[-1]
        if isinstance(v, Scalar | Seq | Map):
            v.tag = draw(st.sampled_from(("!!str", "!!map", "!!seq", "!!int", "!!float", "!!binary", "!!set",
                                          "!!omap", "!!timestamp", "!!null", "!!bool")))
    elif feature == "bad-tag" and pairs:
        _, v = pairs[-1]
        if isinstance(v, Scalar | Seq | Map):
            v.tag = draw(st.sampled_from(("!x", "!!python/object:os.system", "!!python/name:os.system", "!<tag:x>",
                                          "!!python/tuple")))
    elif feature == "duplicate" and pairs:
        pairs.append(pairs[draw(st.integers(0, len(pairs) - 1))])
    elif feature == "merge" and pairs:
        _, v = pairs[0]
        if isinstance(v, Map):
            v.anchor = ANCHOR
            pairs.append(("其他", Map([("<<", Alias(ANCHOR))])))
    elif feature == "documents":
        extra.append(Map([("单位", Map([("名称", plain("第二个"))]))]))
    elif feature == "empty-document":
        extra.append(plain("~"))
    return Map(pairs, tree.flow), extra


@st.composite
def unit_files(draw: st.DrawFn) -> bytes:
    """A unit file as the bytes a user would save: mostly UTF-8, in any layout."""
    r = draw(st.integers(0, 2).map(lambda n: HOSTILE if n == 1 else CAREFUL))
    tree, extra = draw(yaml_features(draw(report(r)))) if r < CAREFUL else (draw(report(r)), [])
    if draw(st.integers(0, 19)) == 0:  # the whole file in flow style
        tree.flow = True
    lay = Layout(
        indent=draw(st.sampled_from((2, 2, 2, 4, 1, 3))),
        seq_indent=0,
        newline=draw(st.sampled_from(("\n", "\n", "\n", "\r\n", "\r"))),
        bom=draw(st.integers(0, 9)) == 0,
        directive=draw(st.integers(0, 19)) == 0,
        comments=draw(st.booleans()),
        end_marker=draw(st.integers(0, 19)) == 0,
        extra_documents=extra,
    )
    lay.seq_indent = draw(st.sampled_from((0, lay.indent)))
    text = document(tree, lay)
    encoding = draw(st.sampled_from(("utf-8",) * 12 + ("utf-16", "gbk", "utf-8-sig"))) if r < CAREFUL else "utf-8"
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
