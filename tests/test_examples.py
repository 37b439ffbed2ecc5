"""Every example renders cleanly; two of them are pinned as golden Markdown."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from chuangcheng import load_unit, render_markdown, render_unit

from .conftest import SEED_FILES, UNIT_FILES

GOLDEN = Path(__file__).parent / "golden"
PINNED = ["官塘社区", "桃源村"]
PLACEHOLDERS = re.compile(r"XX|xx|某某|＊＊|\* \* \*|20xx|小编|范文|[\u4e00-\u9fff]'")


def test_there_are_six_kinds_of_unit() -> None:
    kinds = {load_unit(p).model.unit.type for p in UNIT_FILES}
    assert len(UNIT_FILES) >= 6 and {"社区", "街道", "村", "医院", "学校"} <= kinds


@pytest.mark.parametrize("path", [*UNIT_FILES, *SEED_FILES], ids=lambda p: p.stem)
def test_example_renders_cleanly(path: Path, tmp_path: Path) -> None:
    result = render_unit(path, tmp_path)
    assert [w.code for w in result.warnings] == (["CC109"] if path in SEED_FILES and "辦" in path.name else [])
    assert sorted(p.suffix for p in result.outputs) == [".docx", ".md"]
    text = (tmp_path / f"{load_unit(path).model.unit.name}.md").read_text(encoding="utf-8")
    assert not PLACEHOLDERS.search(text)
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("|"))
    assert "  " not in prose
    assert not re.search(r"[\u4e00-\u9fff][,;:?!]|[,;:?!][\u4e00-\u9fff]", prose), "half-width punctuation"
    assert not re.search(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", prose), "space between Chinese and digits"


@pytest.mark.parametrize("name", PINNED)
def test_golden_markdown(name: str) -> None:
    path = next(p for p in UNIT_FILES if p.stem == name)
    text = render_markdown(load_unit(path).model)
    golden = GOLDEN / f"{name}.md"
    if os.environ.get("CHUANGCHENG_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_totals_agree_between_opening_sections_and_table() -> None:
    """The opening's headline numbers are the sums the sections and the table print."""
    text = render_markdown(load_unit(next(p for p in UNIT_FILES if p.stem == "官塘社区")).model)
    assert "共开展各类创建活动20次" in text
    assert "发放宣传单1.2万余份、环保袋3000个" in text  # the publicity section's totals, said once
    assert "通过以上活动" not in text
    assert "| 宣传发动 | 发放宣传单 | 1.2万余份 | 3 |" in text
