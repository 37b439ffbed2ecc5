"""What the 照片台账 says: each activity with photos, in the report's order, captioned as the
binder pages offices keep are (时间、地点、参与人员、活动内容), every caption taken from the
activity's own fields. :mod:`chuangcheng.office.photo_ledger` sets it in Word."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from ..load.dates import when_range
from ..load.models import Activity
from ..read.images import posix
from .prose import Voice, action, item_list, one_event, people_noun, people_times, said_in, single_day
from .report import ReportView
from .typography import clause, sentence, tidy

CAPTIONS = ("时间", "地点", "参与人员", "活动内容")  # the rows of each page's caption, in this order


@dataclass(frozen=True)
class LedgerEntry:
    """One activity's page(s): its section, its name, its caption rows (those with something to
    say, in :data:`CAPTIONS` order) and its photos as written in the unit file."""

    section: str
    title: str
    when: str  # for the contents: 3月5日, or the period for undated work
    rows: tuple[tuple[str, str], ...]
    photos: tuple[str, ...]


@dataclass(frozen=True)
class PhotoLedgerView:
    """The cover's lines and the entries, in report order."""

    title: str
    unit: str
    period: str
    compiler: str
    compiled_on: str
    entries: tuple[LedgerEntry, ...]

    @property
    def photo_count(self) -> int:
        return sum(len(entry.photos) for entry in self.entries)

    def translated(self, turn: Callable[[str], str]) -> PhotoLedgerView:
        """Every text passed through ``turn`` (into traditional script); photo paths kept."""
        entries = tuple(dataclasses.replace(
            e, section=turn(e.section), title=turn(e.title), when=turn(e.when),
            rows=tuple((turn(label), turn(text)) for label, text in e.rows)) for e in self.entries)
        return PhotoLedgerView(turn(self.title), turn(self.unit), turn(self.period), turn(self.compiler),
                               turn(self.compiled_on), entries)


def photo_ledger_view(view: ReportView) -> PhotoLedgerView | None:
    """The photo ledger of a report; None when none of its activities has a photo."""
    report = view.report
    voice = Voice(report.unit.name, report.unit.type, report.period.name, report.goal)
    entries = tuple(
        _entry(section.name, act, voice, report.period.name)
        for section in view.sections
        for act in sorted(section.section.activities, key=lambda a: a.sort_key) if act.photos)
    if not entries:
        return None
    name = clause(report.unit.name)
    return PhotoLedgerView(
        title=f"{name}{report.period.name}创建{clause(report.goal)}工作照片台账", unit=name,
        period=report.period.name, compiler=view.signer, compiled_on=view.signed_on, entries=entries)


def _entry(section: str, act: Activity, voice: Voice, period: str) -> LedgerEntry:
    when = when_range(act.date, act.end_date, with_year=True) if act.date else period
    if act.times > 1:
        when += f"（共{act.times}次）"
    rows = ((CAPTIONS[0], when), (CAPTIONS[1], clause(act.place or "")), (CAPTIONS[2], _people(act, voice)),
            (CAPTIONS[3], _content(act)))
    short = when_range(act.date, act.end_date, with_year=False) if act.date else period
    return LedgerEntry(section, clause(act.title), short, tuple((k, v) for k, v in rows if v),
                       tuple(posix(p) for p in act.photos))


def _people(act: Activity, voice: Voice) -> str:
    """``街道团工委组织，志愿者45人，群众1500余人``: the organiser, the volunteers and the people
    reached, as the activity gives them (people at one event counted in 人, over several in 人次)."""
    many = act.times > 1 or not single_day(act)
    count = people_times if many else one_event
    parts = [f"{clause(act.organiser)}组织"] if act.organiser else []
    if act.volunteers:
        parts.append(f"志愿者{count(act.volunteers)}")
    if act.participants:
        parts.append(f"{people_noun(act, voice)}{count(act.participants)}")
    elif act.audience:
        parts.append(clause(act.audience))
    return "，".join(parts)


def _content(act: Activity) -> str:
    """What was done: the description, then the figures it does not already give; without a
    description, the activity's action with its figures (开展……活动，悬挂横幅10条).
    One cell holds it, so a description's own line breaks become sentence breaks."""
    desc = "".join(sentence(line) for line in (act.description or "").splitlines() if line.strip())
    pairs = [(tidy(item), str(amount)) for item, amount in act.quantities.items() if not said_in(str(amount), desc)]
    figures = item_list(pairs)
    if desc:
        return desc + sentence(figures) if figures else desc
    return sentence("，".join(p for p in (action(clause(act.title)), figures) if p))
