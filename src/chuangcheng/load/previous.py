"""上期: the unit's file for the previous period, found, checked and loaded for comparisons."""

from __future__ import annotations

from pathlib import Path as FsPath

from ..errors import InputError
from ..read.images import posix
from .loader import load_unit
from .models import Report


def previous_path(folder: FsPath, written: str, root: FsPath | None = None) -> FsPath | None:
    """The file 上期 names, relative to the unit file's folder, when it stays inside ``root``
    (the district folder's parent; by default the unit folder's parent)."""
    target = (folder / posix(written)).resolve()
    bound = (root or folder.parent).resolve()
    return target if target.is_relative_to(bound) else None


def earlier_report(folder: FsPath, written: str, report: Report, root: FsPath | None = None
                   ) -> tuple[Report | None, str]:
    """The 上期 file's report, or what is wrong with it in Chinese (rule CC215)."""
    target = previous_path(folder, written, root)
    if target is None:
        return None, f"“{written}”在区文件夹的上一级之外；上期文件应放在同一个工作文件夹里"
    if not target.is_file():
        return None, f"找不到上期文件“{written}”（相对于 {folder}）"
    try:
        earlier = load_unit(target).model
    except InputError:
        return None, f"上期文件“{written}”有错误，无法比较；请先用 chuangcheng validate 检查它"
    if earlier.unit.name != report.unit.name:
        return None, f"上期文件写的是“{earlier.unit.name}”，不是本单位“{report.unit.name}”"
    if earlier.period.end >= report.period.start:
        return None, f"上期文件的报告期（{earlier.period.name}）不在本期（{report.period.name}）之前"
    return earlier, ""


def previous_problem(folder: FsPath, written: str, report: Report, root: FsPath | None = None) -> str:
    """What is wrong with the 上期 file (``""`` when it is this unit's earlier file)."""
    return earlier_report(folder, written, report, root)[1]


def load_previous(folder: FsPath, report: Report, root: FsPath | None = None) -> Report | None:
    """The previous period's report of this unit, when 上期 names a good one (validate says why
    not; the report then leaves the comparison out)."""
    return earlier_report(folder, report.previous, report, root)[0] if report.previous else None
