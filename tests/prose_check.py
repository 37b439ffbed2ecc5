"""The project's own prose checker (issue 11 §4): what a 区文明办 reviewer sends back on sight.

``findings(markdown, unit_type)`` reads a rendered report's Markdown (headings, paragraphs,
numbered lists; tables, images, raw HTML and everything after a ``---`` line are skipped) or a
plain-text seed, and lists each defect of the classes in ``NAMES``. It prefers silence to a
false alarm: every rule is narrow enough to pass the good sentences of the seeds
(tests/fixtures/prose/good.txt). The word lists below are data; extend them, not the code.

Run ``python tests/prose_check.py FILE.md ... [--type 社区]`` for ``file:line: code 名称: snippet``
lines and each file's findings per 1,000 characters of body text (paragraphs and list items);
the exit status is 1 when anything was found.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# ---------------------------------------------------------------- word lists (data)

NAMES = {
    "P101": "地点重复",        # 在新苑广场新增新苑广场居民健身点
    "P102": "主语重复",        # 社区在社区文化中心、我校在学校
    "P103": "名词叠用",        # 机制工作机制
    "P104": "队伍计数重复",    # 组建了文明劝导队共1支志愿服务队伍
    "P201": "开展嫁接",        # 开展建成口袋公园、开展关爱留守儿童，
    "P202": "标题动词复现",    # 开展夏粮收购，收购夏粮148万斤
    "P203": "列举动词重复",    # 发放宣传单8000余份、发放环保袋3000个
    "P301": "多在万前",        # 2多万人次
    "P302": "人与人次并列",    # 300人、40人次
    "P401": "引号嵌套",        # “…“…””
    "P501": "重复小计",        # 通过以上活动，共…… (figures already printed)
    "P502": "段落同构",        # three or more paragraphs of one skeleton in a row
    "P601": "辖区误用",        # 辖区 for a hospital, school, company, agency
    "P602": "会议称群众",      # 召开……会……参与群众86人次
    "P603": "机关称单位",      # a 机关 speaking of itself as 单位
    "P604": "基本情况罗列",    # 户数11800户、位置横沙岛东部
}

# Verbs that head what a unit did ("在X<verb>…", the first word of a quantity "清理卫生死角42处").
ACTION_VERBS = (
    "开展", "举办", "举行", "召开", "组织", "实施", "推进", "建设", "新建", "建成", "改造", "改建",
    "评选", "表彰", "走访", "慰问", "参加", "完成", "设立", "设置", "制定", "印发", "更新", "清理",
    "清运", "清除", "整治", "修复", "安装", "投入", "签订", "选树", "培训", "宣讲", "新增", "增设",
    "维修", "更换", "铺设", "修缮", "评比", "开设", "发布", "播放", "播出", "拆除", "开通", "启用",
    "充实", "规范", "整修", "绘制", "硬化", "补植", "种植", "发放", "张贴", "悬挂", "收购", "收集",
    "劝导", "巡查", "检查", "督查", "认领", "看望", "结对", "赠送", "展出", "发展", "施划", "粉刷",
    "惠及", "提供", "义诊", "上门", "整改", "交办", "拆后", "改善", "美化", "亮化", "绿化", "捐赠",
)
# People named both in a place and in what was done there, which is no echo (残疾人之家…关爱残疾人).
ECHO_OK = ("残疾人", "老年人", "老人", "儿童", "未成年人", "志愿者", "职工", "居民", "群众", "党员")
# Verbs too general to count as a title's own verb when a quantity repeats them (P202).
GENERIC_VERBS = ("开展", "组织", "参加")
# What 开展 can never take: a finished result or another event verb (P201, always a finding).
GRAFT_ALWAYS = ("建成", "启用", "充实", "完成", "新增", "增设", "新建", "安装", "召开", "举办",
                "举行", "实施", "签订", "开展", "在")
# What only looks like a graft: 开展在职党员进社区活动; 活动的开展召开了会议 (开展 as a noun).
NOT_GRAFT = ("开展在职", "开展在线")
# Other verbs 开展 takes only with a nominal head: 开展关爱留守儿童活动, not 开展关爱留守儿童.
GRAFT_IF_BARE = ("关爱", "慰问", "走访", "看望", "赠送", "更新", "改造", "修复", "维修", "拆除",
                 "收购", "发放", "张贴", "悬挂", "评选", "表彰")
ACTIVITY_HEADS = ("活动", "行动", "工作", "服务", "宣传", "教育", "整治", "检查", "督查", "竞赛",
                  "比赛", "评比", "评选", "培训", "讲座", "仪式", "演练", "巡查", "调研", "志愿服务",
                  "月", "周", "日", "试点", "攻坚", "专项", "集中")
# How a unit speaks of itself, and places that echo it right after 在 (P102).
SELF_PLACES = {
    "社区": ("社区",), "街道": ("街道",), "公司": ("公司",), "单位": ("单位",),
    "我校": ("学校", "本校", "我校"), "我院": ("医院", "本院", "我院"), "我村": ("村",),
    "我园": ("幼儿园", "本园", "我园"), "我局": ("局机关", "本局", "我局"),
}
# Places that only look like an echo of the subject: 我村在村道两侧 is a road, not 村 twice.
NOT_SELF_ECHO = ("村道", "村民", "社区卫生服务中心")
# Nouns a careless template says twice ("机制工作机制", P103).
DOUBLED_NOUNS = ("机制", "制度", "模式", "体系", "机构", "活动", "行动")
# Words for meetings, and the wrong people to have taken part in them (P602).
MEETING_WORDS = ("会议", "大会", "动员会", "推进会", "部署会", "例会", "座谈会", "评议会", "讲评会",
                 "调度会", "总结会", "工作会")
CROWD_NOUNS = ("群众", "居民", "村民")
# Unit types that have no 辖区 (P601), and how a report's title tells the type.
NO_DISTRICT_TYPES = ("医院", "学校", "幼儿园", "企业", "机关")
TYPE_BY_SUFFIX = (
    ("幼儿园", "幼儿园"), ("医院", "医院"), ("卫生院", "医院"), ("小学", "学校"), ("中学", "学校"),
    ("学校", "学校"), ("大学", "学校"), ("学院", "学校"), ("有限公司", "企业"), ("公司", "企业"),
    ("集团", "企业"), ("社区", "社区"), ("街道办事处", "街道"), ("街道", "街道"), ("村", "村"),
    ("局", "机关"), ("委", "机关"), ("办公室", "机关"), ("中心", "机关"),
)
# What a 机关 does when it wrongly calls itself 单位 at the head of a clause (P603).
SELF_ACTS = ("在", "成立", "现有", "组建", "把", "将", "结合", "开展", "召开", "举办", "坚持",
             "按照", "积极", "认真", "高度", "共", "还", "先后", "多次", "组织")
# How a recap of the figures just printed starts (P501).
RECAP_LEADS = ("通过以上活动", "通过上述活动", "通过以上工作", "以上活动", "上述活动")
# 基本情况 keys that a writer turns into a verb (位于横沙岛东部), never prints bare (P604).
BARE_KEYS = ("位置", "地址", "性质", "类型", "级别")

# ---------------------------------------------------------------- reading the Markdown

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_ITEM = re.compile(r"^\s*(?:\d+[.．、]|[-*+])\s+(.*)$")
_SKIPPED = ("|", "![", "<")
_CLAUSE_END = "，,。；;！？!?："
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Finding:
    """One defect: its code, its short Chinese name, the offending text and its line (from 1)."""

    code: str
    name: str
    snippet: str
    line: int


@dataclass(frozen=True)
class Block:
    """A heading, paragraph or list item, with the H2/H3 it falls under."""

    line: int
    text: str
    kind: str  # "heading" | "para" | "item"
    section: str  # the latest H2's text ("" before any)
    part: int  # counts headings: blocks with one part share a subsection


def blocks(markdown: str) -> list[Block]:
    """The prose of ``markdown``, up to the attachments' ``---``."""
    out: list[Block] = []
    section, part = "", 0
    for number, raw in enumerate(markdown.replace("\0", "").splitlines(), 1):
        line = raw.strip()
        if line == "---":
            break
        if not line or line.startswith(_SKIPPED):
            continue
        if heading := _HEADING.match(line):
            part += 1
            if len(heading.group(1)) == 2:
                section = heading.group(2)
            out.append(Block(number, heading.group(2).strip(), "heading", section, part))
        elif item := _LIST_ITEM.match(line):
            out.append(Block(number, item.group(1).strip(), "item", section, part))
        else:
            out.append(Block(number, line, "para", section, part))
    return out


def clauses(text: str) -> list[str]:
    """``text`` cut at every clause or sentence mark."""
    return [c for c in re.split(f"[{_CLAUSE_END}]", text) if c]


def sentences(text: str) -> list[str]:
    return [s for s in re.split("[。！？!?]", text) if s]


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clause_at(text: str, index: int) -> str:
    start = max((text.rfind(ch, 0, index) for ch in _CLAUSE_END), default=-1) + 1
    ends = [i for i in (text.find(ch, index) for ch in _CLAUSE_END) if i >= 0]
    return _cut(text[start : min(ends) if ends else len(text)])


def _find(code: str, snippet: str, block: Block) -> Finding:
    return Finding(code, NAMES[code], _cut(snippet), block.line)


def _regex_rule(code: str, pattern: re.Pattern[str], block: Block) -> Iterator[Finding]:
    for match in pattern.finditer(block.text):
        yield _find(code, _clause_at(block.text, match.start()), block)


# ---------------------------------------------------------------- the rules on one block

_VERB_ALT = "|".join(sorted(ACTION_VERBS, key=len, reverse=True))
_AT_PLACE = re.compile(f"在([^{_CLAUSE_END}的]{{2,24}}?)({_VERB_ALT})")
_QUOTES = re.compile("[“”‘’《》「」()（）]")


def _common_run(a: str, b: str) -> int:
    """Length of the longest run of characters ``a`` and ``b`` share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _plain(text: str) -> str:
    """``text`` without quotes, brackets and the people words of ``ECHO_OK``."""
    text = _QUOTES.sub("", text)
    for word in ECHO_OK:
        text = text.replace(word, "·")
    return text


_PLACE_GLUE = "、，和及与"  # what joins the places of one 地点


def place_echo(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P101: the place said again in what was done there."""
    for clause in clauses(block.text):
        match = _AT_PLACE.search(clause)
        if not match:
            continue
        place, rest = _plain(match.group(1)), clause[match.end() :]
        head, rest = rest[:2], _plain(rest)
        if "工作" in place:  # 在……工作中: a time, not a place
            continue
        tokens = re.split(f"[{_PLACE_GLUE}]", place)
        heads_a_token = any(t.removeprefix("各").startswith(head) for t in tokens)
        if _common_run(place, rest) >= 3 or (len(head) == 2 and _CJK.fullmatch(head[0]) and heads_a_token):
            yield _find("P101", clause, block)


_SELF_ECHO = re.compile("|".join(f"{who}在(?:{'|'.join(places)})" for who, places in SELF_PLACES.items()))


def subject_echo(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P102: 社区在社区文化中心, 我校在学校."""
    for match in _SELF_ECHO.finditer(block.text):
        place = block.text[match.start() + match.group(0).index("在") + 1 :]
        if not place.startswith(NOT_SELF_ECHO):
            yield _find("P102", _clause_at(block.text, match.start()), block)


_DOUBLED = re.compile(f"({'|'.join(DOUBLED_NOUNS)})[”」’]?(?:工作)?\\1")
_ONE_TEAM = re.compile(f"组建了?[^{_CLAUSE_END}、]{{2,24}}?共[1一]支")


def doubled_noun(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P103: 机制工作机制; P104: 组建了文明劝导队共1支志愿服务队伍."""
    yield from _regex_rule("P103", _DOUBLED, block)
    yield from _regex_rule("P104", _ONE_TEAM, block)


_GRAFT = re.compile(f"开展({'|'.join(GRAFT_ALWAYS)})")
_GRAFT_BARE = re.compile(f"开展(?:{'|'.join(GRAFT_IF_BARE)})[^{_CLAUSE_END}]*")


def grafted_kaizhan(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P201: 开展 before a title that has a verb of its own."""
    text = block.text
    for match in [*_GRAFT.finditer(text), *_GRAFT_BARE.finditer(text)]:
        start = match.start()
        bare = match.re is _GRAFT_BARE and not any(head in match.group(0) for head in ACTIVITY_HEADS)
        if text.startswith(NOT_GRAFT, start) or text[start - 1 : start] == "的":
            continue
        if match.re is _GRAFT or bare:
            yield _find("P201", _clause_at(text, start), block)


_DATE = re.compile(r"^\d{1,2}月\d{1,2}日(?:至(?:\d{1,2}月)?\d{1,2}日)?[上下]?午?$")
_SUBJECT = re.compile(f"^(?:{'|'.join(SELF_PLACES)}|我们)")


def _title_verbs(title: str) -> set[str]:
    """The verbs that head a title clause: after 在<place>, at its start, at its end."""
    verbs = set()
    if match := _AT_PLACE.search(title):
        verbs.add(match.group(2))
    body = _SUBJECT.sub("", title)
    verbs.update(v for v in ACTION_VERBS if body.startswith(v) or title.endswith(v))
    return verbs - set(GENERIC_VERBS)


def _quantity_verbs(clause: str) -> list[str]:
    """The leading verbs of a clause's counted items: 共清理卫生死角42处、清运垃圾360吨."""
    items = clause.removeprefix("共").split("、")
    return [item[:2] for item in items if item[:2] in ACTION_VERBS and re.search(r"\d", item)]


def _echoed_items(title: str, clause: str) -> bool:
    """An item that says the title's verb and its object again: 夏粮收购 … 收购夏粮148万斤."""
    at = _AT_PLACE.search(title)
    core = _plain(title[at.start(2):] if at else title)  # what was done, not where
    for item in clause.removeprefix("共").split("、"):
        verb, obj = item[:2], re.split(r"\d", item[2:])[0]
        if verb in _title_verbs(title) and len(obj) >= 2 and obj in core:
            return True
    return False


def title_verb_repeated(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P202: 开展夏粮收购，收购夏粮148万斤 (the verb and its object again; a verb alone, as in
    开展专项检查，共检查营业网点6个, is how careful writers count)."""
    for text in sentences(block.text):
        parts = [c for c in clauses(text) if not _DATE.match(c)]
        if len(parts) < 2:
            continue
        for clause in parts[1:]:
            if _echoed_items(parts[0], clause):
                yield _find("P202", f"{parts[0]}……{clause}", block)
                break


def list_verb_repeated(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P203: 发放宣传单8000余份、发放环保袋3000个."""
    for clause in clauses(block.text):
        verbs = _quantity_verbs(clause)
        if len(verbs) != len(set(verbs)):
            yield _find("P203", clause, block)


_DUO_WAN = re.compile(r"(\d+(?:\.\d+)?)多[万亿]")


def duo_before_wan(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P301: 2多万人次 (20多万 is right: round tens take 多 before 万)."""
    for match in _DUO_WAN.finditer(block.text):
        number = match.group(1)
        if "." in number or not number.endswith("0"):
            yield _find("P301", _clause_at(block.text, match.start()), block)


_N = r"\d+(?:\.\d+)?[余多]?[万亿]?[余多]?"
_MIXED = re.compile(f"{_N}人、[^\\d{_CLAUSE_END}、]{{0,6}}{_N}人次|{_N}人次、[^\\d{_CLAUSE_END}、]{{0,6}}{_N}人(?!次)")


def mixed_people(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P302: 参与师生幼儿300人、40人次."""
    yield from _regex_rule("P302", _MIXED, block)


_NESTED = re.compile("“[^“”]*“[^“”]*”[^“”]*”|‘[^‘’]*‘[^‘’]*’[^‘’]*’")


def nested_quotes(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P401: “…“…”” (the inner pair should be ‘’)."""
    for match in _NESTED.finditer(block.text):
        yield _find("P401", match.group(0), block)


def no_district(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P601: 辖区 for a unit that has none."""
    if unit_type in NO_DISTRICT_TYPES:
        for match in re.finditer("辖区", block.text):
            yield _find("P601", _clause_at(block.text, match.start()), block)


_MEETING_CROWD = re.compile(
    f"召开[^。]*?(?:{'|'.join(MEETING_WORDS)})[^。]*?参与(?:{'|'.join(CROWD_NOUNS)})\\d+[万余多]*人次?")


def meeting_crowd(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P602: a meeting whose participants are 群众."""
    for match in _MEETING_CROWD.finditer(block.text):
        text = match.group(0)
        yield _find("P602", text if len(text) <= 40 else f"{text[:20]}……{text[-10:]}", block)


_SELF_DANWEI = re.compile(f"(?:^|(?<=[{_CLAUSE_END}]))单位(?={'|'.join(SELF_ACTS)})")


def agency_danwei(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P603: a 机关 calling itself 单位."""
    if unit_type == "机关":
        yield from _regex_rule("P603", _SELF_DANWEI, block)


_COUNT_KEY = re.compile(r"[人户]数\d")
_BARE_KEY = re.compile(f"(?:{'|'.join(BARE_KEYS)})(?![于在是为：:])[\u4e00-\u9fff]")


def key_value_dump(block: Block, unit_type: str | None) -> Iterator[Finding]:
    """P604: 户数11800户, 位置横沙岛东部 in 基本情况."""
    if "基本情况" in block.section and block.kind != "heading":
        yield from _regex_rule("P604", _COUNT_KEY, block)
        yield from _regex_rule("P604", _BARE_KEY, block)


BLOCK_RULES: tuple[Callable[[Block, str | None], Iterator[Finding]], ...] = (
    place_echo, subject_echo, doubled_noun, grafted_kaizhan, title_verb_repeated, list_verb_repeated,
    duo_before_wan, mixed_people, nested_quotes, no_district, meeting_crowd, agency_danwei, key_value_dump,
)

# ---------------------------------------------------------------- the rules on a run of blocks

_FIGURE = re.compile(r"\d+(?:\.\d+)?[万亿]?[余多]?[\u4e00-\u9fff]{1,3}$")


def recaps(prose: list[Block]) -> Iterator[Finding]:
    """P501: 通过以上活动，共…… repeating figures the subsection printed just before."""
    for i, block in enumerate(prose):
        if block.kind == "heading" or not block.text.startswith(RECAP_LEADS):
            continue
        before = "".join(b.text for b in prose[:i] if b.part == block.part and b.kind != "heading")
        body = block.text.split("共", 1)[-1]
        items = [c for part in clauses(body) for c in part.split("、") if _FIGURE.search(c)]
        again = [c for c in items if c in before or (len(c) > 4 and c[2:] in before)]
        if again:
            yield _find("P501", f"{block.text[:16]}……（{len(items)}项中{len(again)}项前文已有）", block)


_SHAPE = re.compile(
    rf"^\d{{1,2}}月\d{{1,2}}日(?:至(?:\d{{1,2}}月)?\d{{1,2}}日)?[上下]?午?[，,]?([^{_CLAUSE_END}]{{1,6}}?)(?:在|{_VERB_ALT})")


def same_shape_runs(prose: list[Block]) -> Iterator[Finding]:
    """P502: three or more paragraphs in a row opening with a date and one subject (日期，社区在……)."""
    runs: list[tuple[str | None, list[Block]]] = []
    for block in prose:
        match = _SHAPE.match(block.text) if block.kind == "para" else None
        shape = match.group(1) if match else None
        if runs and shape is not None and runs[-1][0] == shape:
            runs[-1][1].append(block)
        else:
            runs.append((shape, [block]))
    for shape, run in runs:
        if shape is not None and len(run) >= 3:
            yield _find("P502", f"{run[0].text[:18]}……（连续{len(run)}段“日期，{shape}……”）", run[0])


# ---------------------------------------------------------------- the whole report


def unit_type_of(prose: list[Block]) -> str | None:
    """The unit's type guessed from the report's title (``江城区人民医院2026年上半年……``)."""
    title = next((b.text for b in prose if b.kind == "heading"), "")
    name = re.split(r"\d{4}年|创建", title, maxsplit=1)[0]
    return next((kind for suffix, kind in TYPE_BY_SUFFIX if name.endswith(suffix)), None) if name else None


def findings(markdown: str, unit_type: str | None = None) -> list[Finding]:
    """Every defect of ``markdown``; ``unit_type`` (社区, 医院, 机关 …) defaults to the title's."""
    prose = blocks(markdown)
    kind = unit_type or unit_type_of(prose)
    found = [f for block in prose for rule in BLOCK_RULES for f in rule(block, kind)]
    found += [*recaps(prose), *same_shape_runs(prose)]
    return sorted(set(found), key=lambda f: (f.line, f.code, f.snippet))


def body_chars(markdown: str) -> int:
    """Characters of body text (paragraphs and list items, no whitespace)."""
    return sum(len(re.sub(r"\s", "", b.text)) for b in blocks(markdown) if b.kind != "heading")


def _read(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _summary(label: str, count: int, chars: int) -> str:
    density = count * 1000 / chars if chars else 0.0
    return f"{label}: {count} 处，正文 {chars} 字，每千字 {density:.1f} 处"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="找出报告正文中的文字问题")
    parser.add_argument("files", nargs="+", type=Path, help="Markdown 或文本文件；目录则查其中所有 .md")
    parser.add_argument("--type", dest="unit_type", help="单位类型（社区、医院、机关……），默认按标题推断")
    args = parser.parse_args(argv)
    paths = [p for arg in args.files for p in (sorted(arg.rglob("*.md")) if arg.is_dir() else [arg])]
    total = chars_all = 0
    for path in paths:
        text = _read(path)
        found = findings(text, args.unit_type)
        for f in found:
            print(f"{path}:{f.line}: {f.code} {f.name}: {f.snippet}")
        chars = body_chars(text)
        print(_summary(str(path), len(found), chars))
        total += len(found)
        chars_all += chars
    if len(paths) > 1:
        print(_summary(f"合计 {len(paths)} 个文件", total, chars_all))
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
