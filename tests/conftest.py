"""Shared fixtures: the examples, a minimal valid unit file, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "江城区"
UNIT_FILES = sorted(p for p in EXAMPLES.rglob("*.yaml") if p.name not in {"district.yaml", "区.yaml"})

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


@pytest.fixture(autouse=True)
def _every_word_file_written_is_sound(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Every .docx any test makes chuangcheng write (in this process or a forked worker) is
    checked by :func:`tests.docx_check.problems` before it reaches the disk (the fuzz tests'
    harness checks its own)."""
    if request.node.module.__name__.endswith("test_fuzz"):
        return
    import chuangcheng.output as output
    import chuangcheng.render as render

    from .docx_check import problems

    real = output.stage

    def stage(files: dict[Path, bytes]) -> output.Staged:
        for target, data in files.items():
            if target.suffix.lower() == ".docx":
                found = problems(data)
                assert not found, f"{target}: {found}"
        return real(files)

    monkeypatch.setattr(output, "stage", stage)
    monkeypatch.setattr(render, "stage", stage)
