"""What the 照片台账 says: each activity with photos, in the report's order, captioned as the
binder pages offices keep are (时间、地点、参与人员、活动内容), every caption taken from the
activity's own fields. :mod:`chuangcheng.office.photo_ledger` sets it in Word."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..load.amounts import Amount
from ..load.dates import when_range
from ..load.models import Activity
from ..read.images import posix
from .prose import Voice, action, activity_text, item_list, one_event, people_noun, people_times, said_in, single_day
from .report import ReportView
from .typography import clause, sentence, tidy
from .words import words

# The rows of each page's caption, in this order (组织者 only when the activity names one).
CAPTIONS = ("时间", "地点", "组织者", "参与人员", "活动内容")


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
        return PhotoLedgerView(turn(self.title), turn(self.period), turn(self.compiler),
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
    return PhotoLedgerView(
        title=f"{clause(report.unit.name)}{report.period.name}创建{clause(report.goal)}工作照片台账",
        period=report.period.name, compiler=view.signer, compiled_on=view.signed_on, entries=entries)


def _entry(section: str, act: Activity, voice: Voice, period: str) -> LedgerEntry:
    when = when_range(act.date, act.end_date, with_year=True) if act.date else period
    content = _content(act, voice)
    texts = (when, clause(act.place or ""), clause(act.organiser or ""), _people(act, voice, content), content)
    short = when_range(act.date, act.end_date, with_year=False) if act.date else period
    rows = tuple((label, text) for label, text in zip(CAPTIONS, texts, strict=True) if text)
    return LedgerEntry(section, clause(act.title), short, rows, tuple(posix(p) for p in act.photos))


_MEETING = re.compile(r"召开(.+?)(?:大会|会议)")


def _people(act: Activity, voice: Voice, content: str) -> str:
    """``志愿者45人，群众1500余人``: the volunteers and the people reached, as the activity gives
    them: at one event in 人, over several in 人次 (unless the content counts them as 名 or 人);
    a meeting's people as its name calls them, else by their count alone (not 参会人员96人 under
    参与人员)."""
    many = act.times > 1 or not single_day(act)

    def count(amount: Amount) -> str:
        number = str(amount).removesuffix(amount.unit)
        heads = re.search(re.escape(number) + r"(?:名|人(?!次))", content) is not None
        return str(people_times(amount) if many and not heads else one_event(amount))

    parts = [f"志愿者{count(act.volunteers)}"] if act.volunteers else []
    if act.participants:
        noun = people_noun(act, voice)
        if noun.startswith("参"):  # 参会人员: who met, when the meeting's name says (召开党员和村民代表大会)
            met = _MEETING.fullmatch(clause(act.title))
            noun = met[1] if met and met[1].endswith(tuple(words().data["meeting_people"])) else ""
        parts.append(noun + count(act.participants))
    elif act.audience:
        parts.append(clause(act.audience))
    return "，".join(parts)


def _content(act: Activity, voice: Voice) -> str:
    """What was done, without what the other rows say (the day, the place, the organiser, the
    people): the description, then the figures it does not give and how often (共开展……26次);
    without a description, the report's own sentence for it (收购夏粮148万斤, not 收购夏粮，夏粮148万斤)."""
    desc = "".join(sentence(line) for line in (act.description or "").splitlines() if line.strip())
    if not desc:
        bare = act.model_copy(update={"date": None, "end_date": None, "place": None, "organiser": None,
                                      "participants": None, "volunteers": None})
        return activity_text(bare, voice, subject=False, with_year=True)
    pairs = [(tidy(item), str(amount)) for item, amount in act.quantities.items() if not said_in(str(amount), desc)]
    often = f"共{action(clause(act.title))}{act.times}次" if act.times > 1 and f"{act.times}次" not in desc else ""
    return desc + sentence("，".join(p for p in (often, item_list(pairs)) if p))
