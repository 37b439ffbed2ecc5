"""``validate DIR --notices OUT``: what a coordinator sends out to chase units.

- ``报送情况.xlsx``: one row per roster unit and per file off the roster, grouped by 所属 in
  roster order, with contact, verdict, counts and the first problems; filterable, printable on
  A4 landscape.
- one ``退回修改通知_{单位}.docx`` per unit to send back (退回修改, 报告期不符, 重复报送, 无法读取),
  in the official layout, naming each problem in plain words with its place and the fix.
- ``变化情况.md``: what changed since the last ``--notices`` run into the same folder (newly
  submitted, fixed, newly sent back, new problems), from ``.chuangcheng-notices.json``.

Everything is written all-or-nothing; the notices of units no longer sent back are removed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..check.validate import Validation
from ..check.verdicts import (
    ACCEPTED,
    DUPLICATE,
    MISSING,
    SENT_BACK,
    UNLISTED,
    UNREADABLE,
    VERDICTS,
    WRONG_PERIOD,
    UnitVerdict,
)
from ..errors import Diagnostic, Severity
from ..load.dates import cn_date
from ..office.docx_package import Properties, xml_clean
from ..output import safe_filename, write_all
from ..read.discover import MARK
from .writing import signer_of

WORKBOOK = "报送情况.xlsx"
CHANGES = "变化情况.md"
STATE = ".chuangcheng-notices.json"
NOTICE_PREFIX = "退回修改通知_"
FIRST = 3  # problems in the workbook's 主要问题 column
COLUMNS = ("所属", "单位", "联系人", "电话", "状态", "错误", "警告", "主要问题", "文件")
WIDTHS = (12, 20, 10, 14, 10, 6, 6, 70, 30)


def plain(d: Diagnostic) -> str:
    """A problem in the words of a notice: where (file, line, field), what, and the fix."""
    where = Path(d.path).name
    if d.sheet:
        where += d.pos.words().replace(" ", "")
    elif d.line > 1 or d.field not in ("", "文件"):
        where += f"第{d.line}行"
    if d.field and d.field != "文件":
        where += f"“{d.field}”"
    return f"{where}：{d.message}"


@dataclass(frozen=True)
class Row:
    group: str
    unit: str
    contact: str
    phone: str
    verdict: str
    errors: int
    warnings: int
    problems: str
    files: str


def rows(validation: Validation) -> list[Row]:
    """The workbook's rows: roster units grouped by 所属 (groups and units in roster order), then
    the files off the roster."""
    verdicts = validation.verdicts
    units = [u for _, group in verdicts.by_group(set(VERDICTS)) for u in group] + \
        [u for u in verdicts.units if u.entry is None]
    out = []
    for unit in units:
        entry = unit.entry
        problems = [plain(d) for d in unit.problems(FIRST)]
        if unit.verdict == MISSING:
            problems = ["没有收到该单位的文件"]
        elif unit.verdict == UNLISTED and unit.hint:
            problems.insert(0, f"不在单位名单上；名单上最接近的是“{unit.hint}”")
        out.append(Row(unit.group or ("（不在名单）" if entry is None and validation.verdicts.roster else ""),
                       unit.name, (entry.contact or "") if entry else "", (entry.phone or "") if entry else "",
                       unit.verdict, sum(f.errors for f in unit.files), sum(f.warnings for f in unit.files),
                       "；".join(problems), "、".join(Path(f.path).name for f in unit.files)))
    return out


def status_workbook(table: Sequence[Row], title: str) -> bytes:
    """报送情况.xlsx: a title row, a frozen header with filters, one row per unit; A4 landscape,
    fit to the page's width, the header repeated on every printed page."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    base = {"font_name": "宋体", "font_size": 10, "valign": "top", "border": 1}
    head = book.add_format({**base, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#F2F2F2"})
    cell = book.add_format({**base, "text_wrap": True})
    number = book.add_format({**base, "align": "center"})
    shades = {"red": book.add_format({**base, "font_color": "#C00000", "bold": True}),
              "amber": book.add_format({**base, "font_color": "#9C5700"}),
              "green": book.add_format({**base, "font_color": "#006100"})}
    heading = book.add_format({"font_name": "黑体", "font_size": 14, "bold": True})
    sheet = book.add_worksheet("报送情况")
    sheet.write_string(0, 0, xml_clean(title), heading)
    for c, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True)):
        sheet.write_string(1, c, name, head)
        sheet.set_column(c, c, width)
    for r, row in enumerate(table, 2):
        colour = "green" if row.verdict in ACCEPTED - {"有警告"} else "amber" if row.verdict in {"有警告", UNLISTED} \
            else "red"
        values = (row.group, row.unit, row.contact, row.phone, row.verdict)
        for c, value in enumerate(values):
            sheet.write_string(r, c, xml_clean(value), shades[colour] if c == 4 else cell)
        sheet.write_number(r, 5, row.errors, number)
        sheet.write_number(r, 6, row.warnings, number)
        sheet.write_string(r, 7, xml_clean(row.problems), cell)
        sheet.write_string(r, 8, xml_clean(row.files), cell)
        lines = max(-(-len(row.problems) // (WIDTHS[7] // 2)), -(-len(row.files) // (WIDTHS[8] // 2)), 1)
        sheet.set_row(r, 14 * min(lines, 8))  # wrapped text: Excel does not size rows a program wrote
    last = len(table) + 1
    sheet.freeze_panes(2, 2)
    sheet.autofilter(1, 0, max(last, 1), len(COLUMNS) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    book.set_properties({"title": xml_clean(title)})
    book.set_custom_property("生成", MARK)  # not a unit's ledger, when it lies in the district folder
    book.close()
    return out.getvalue()


def _why(unit: UnitVerdict, period: str) -> str:
    files = "、".join(f"“{Path(f.path).name}”" for f in unit.files)
    if unit.verdict == DUPLICATE:
        return (f"你单位报送了{len(unit.files)}份文件（{files}），区里无法确定以哪一份为准，均未予汇总。"
                "请确认以哪一份为准，撤回（删除）其余的")
    if unit.verdict == UNREADABLE:
        return f"你单位报送的{files}无法读取，未予汇总"
    if unit.verdict == WRONG_PERIOD:
        return f"你单位报送的{files}写的报告期与全区要求的{period}不一致，未予汇总"
    return f"你单位报送的{files}经检查有以下问题，未予汇总"


def notice_markdown(unit: UnitVerdict, validation: Validation, signer: str, today: dt.date) -> str:
    """One 退回修改通知 as Markdown, for the report writer's Word layout."""
    district = validation.district
    period = district.period.name if district else ""
    problems = [d for d in unit.problems() if d.severity is Severity.ERROR] or unit.problems()
    if district is not None and district.deadline >= today:
        when = f"请于{cn_date(district.deadline)}前修改后重新报送"
    else:
        when = "请尽快修改后重新报送"
    lines = [f"# 关于{unit.name}{period}创建工作总结退回修改的通知", "", f"{unit.name}：", "",
             f"{_why(unit, period)}。{when}。", ""]
    if problems:
        lines += [f"{i}. {plain(d)}" for i, d in enumerate(problems, 1)] + [""]
    lines += ["修改后可先运行 chuangcheng validate 检查，没有错误后再报送。", "", f"{signer}\\", cn_date(today), ""]
    return "\n".join(lines)


State = dict[str, dict[str, Any]]  # unit → {"verdict": …, "problems": [...]}


def _state(validation: Validation) -> State:
    return {u.name: {"verdict": u.verdict, "problems": [plain(d) for d in u.problems()]}
            for u in validation.verdicts.units}


def changes(before: State, now: State, when: str) -> str:
    """变化情况.md: newly submitted, fixed (now accepted), newly sent back, new problems."""
    sent = {MISSING}
    new = [n for n, u in now.items() if u["verdict"] not in sent and (n not in before or before[n]["verdict"] in sent)]
    fixed = [n for n, u in now.items() if u["verdict"] in ACCEPTED and n in before
             and before[n]["verdict"] not in ACCEPTED | sent]
    back = [n for n, u in now.items() if u["verdict"] in SENT_BACK and n in before
            and before[n]["verdict"] in ACCEPTED]
    fresh: list[str] = []
    for name, unit in now.items():
        old = set(before.get(name, {}).get("problems", []))
        if name in before and before[name]["verdict"] not in sent:
            fresh += [f"{name}：{p}" for p in unit["problems"] if p not in old]
    lines = [f"# 与上次检查（{when}）相比", ""]
    for title, names in (("新报送", new), ("已改好、可以汇总", fixed), ("新退回修改", back)):
        lines.append(f"- {title}（{len(names)}个）：{'、'.join(names) if names else '无'}")
    lines += ["", f"## 新出现的问题（{len(fresh)}处）", ""]
    lines += [f"{i}. {p}" for i, p in enumerate(fresh, 1)] if fresh else ["无"]
    return "\n".join(lines) + "\n"


def write_notices(validation: Validation, out: Path, today: dt.date | None = None) -> list[Path]:
    """Write the workbook, the notices and the changes into ``out``; returns what was written."""
    from ..load.layout import Layout
    from ..office.render import report_files

    today = today or dt.date.today()
    district = validation.district
    name = district.name if district else Path(validation.folders[0]).name if validation.folders else ""
    period = district.period.name if district else ""
    signer = signer_of(district, name)
    files: dict[Path, bytes] = {out / WORKBOOK: status_workbook(rows(validation), f"{name}{period}创建工作总结报送情况"
                                                                                  f"（{cn_date(today)}）")}
    for unit in validation.verdicts.units:
        if unit.verdict not in SENT_BACK:
            continue
        markdown = notice_markdown(unit, validation, signer, today)
        made, _ = report_files(markdown, out, safe_filename(NOTICE_PREFIX + unit.name), ("docx",), layout=Layout(),
                               properties=Properties(f"关于{unit.name}创建工作总结退回修改的通知", signer, today))
        files.update(made)
    now = _state(validation)
    state_file = out / STATE
    try:
        previous = json.loads(state_file.read_text(encoding="utf-8"))
        if isinstance(previous, dict) and isinstance(previous.get("units"), dict):
            files[out / CHANGES] = changes(previous["units"], now, str(previous.get("date", ""))).encode("utf-8")
    except (OSError, ValueError):
        pass
    files[state_file] = json.dumps({"date": cn_date(today), "units": now}, ensure_ascii=False).encode("utf-8")
    written = write_all(files)
    keep = {p.name for p in files}
    for old in out.glob(f"{NOTICE_PREFIX}*.docx"):  # the notices of units no longer sent back
        if old.name not in keep:
            old.unlink(missing_ok=True)
    return [p for p in written if p.name != STATE]
