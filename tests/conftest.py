"""Shared fixtures: the examples, a minimal valid unit file, a CLI runner, and a check that
every .docx a test leaves in its ``tmp_path`` is sound (tests/docx_check.py)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "江城区"
UNIT_FILES = sorted(p for p in EXAMPLES.rglob("*.yaml") if p.name not in {"district.yaml", "区.yaml"})
# Seed reports transcribed into unit files (a village without dates, a 机关, a school, one in traditional script).
SEED_FILES = sorted((ROOT / "examples" / "范文转录").glob("*.yaml"))

MINIMAL = """\
单位:
  名称: 官塘社区
  类型: 社区
  上级: 石城街道党工委
报告期:
  开始: 2026-01-01
  结束: 2026-06-30
宣传发动:
  - 日期: 3月5日
    名称: 学雷锋主题宣传活动
    地点: 民主东路
    数量:
      悬挂横幅: 10条
      发放宣传单: 3000余份
    参与: 2万余人次
    志愿者: 45人
存在问题:
  - 部分居民参与度有待提高
下一步:
  - 建立环境卫生长效管理机制
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def unit_file(tmp_path: Path) -> Path:
    """A minimal valid unit file in a temporary folder."""
    path = tmp_path / "unit.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


# Folders of inputs made broken on purpose (hostile reference documents): not checked; a test
# that writes stand-ins for Word files elsewhere is marked ``fake_docx``.
HOSTILE = "hostile"


def pytest_configure(config: pytest.Config) -> None:
    # The user's cache folder (compiled templates) is a folder of the run's own, not the home's.
    os.environ.setdefault("CHUANGCHENG_CACHE_DIR", tempfile.mkdtemp(prefix="chuangcheng-cache-"))
    config.addinivalue_line("markers", "fake_docx: the test writes .docx files that are not Word files on purpose")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a test that used ``tmp_path`` and passed: every .docx in it (outside a ``hostile``
    folder) opens, its XML is well-formed, every part has a content type, every link resolves."""
    result = yield
    root = getattr(item, "funcargs", {}).get("tmp_path")
    if isinstance(root, Path) and item.get_closest_marker("fake_docx") is None:
        from .docx_check import problems

        found = {str(path.relative_to(root)): problems(path) for path in sorted(root.rglob("*.docx"))
                 if HOSTILE not in path.relative_to(root).parts}
        bad = {name: faults for name, faults in found.items() if faults}
        if bad:
            pytest.fail(f"unsound .docx written: {bad}", pytrace=False)
    return result
