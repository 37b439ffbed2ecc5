"""Fuzz, CI budget: seeded mutants of the examples and hypothesis-generated unit files through
validate and render (and a few through the real CLI), every outcome classified by the harness
(tests/fuzz/). Deterministic: fixed seeds, hypothesis derandomized, no example database.

Nothing a user feeds the tool may end in an internal error, a message without ``path:line:col``
or in English, a run over the harness's time bound, a file written for a failed unit or an
invalid .docx. The long mode (``python benchmarks/fuzz.py``, or ``pytest -m fuzz`` with
FUZZ_MUTATED / FUZZ_GENERATED / FUZZ_LEDGERS / FUZZ_RENDER / FUZZ_JOBS / FUZZ_SEED) is not part of the
default run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from .fuzz.harness import Case, Outcome, cli_case, render_case, validate_case
from .fuzz.runner import Plan, Tally, run, run_task, save_findings, summary, tasks
from .fuzz.strategies import unit_files

# The CI budget (about 25–35 s on a shared 2-core machine once the tool passes; less while it
# fails, since the hypothesis test stops at its first failure).
MUTANTS = 1000  # through validate
RENDERED = 150  # of those, also rendered
GENERATED = 120  # hypothesis examples, each through validate and render
CLI_MUTANTS = 2  # through `chuangcheng validate` and `chuangcheng render`
LEDGERS = 150  # mutated Excel ledgers through validate
LEDGERS_RENDERED = 30  # of those, also rendered


def _report(tally: Tally, folder: Path) -> str:
    readme = save_findings(tally, folder)
    lines = [f"{o.verdict} [{o.mode}] {case.origin}: {o.detail}" for case, o in tally.failures[:15]]
    return "\n".join([f"{tally.failed()} failing runs; findings in {readme}", *lines])


def test_mutated_examples_through_validate_and_render(tmp_path: Path) -> None:
    tally = Tally()
    for task in tasks(Plan(seed=0, mutated=MUTANTS, render=RENDERED)):
        tally.add(task[0], run_task(task))
    assert tally.counts["render", "ok"] + tally.counts["render", "warnings"] > 0  # the writers were reached
    if tally.failures:
        pytest.fail(_report(tally, tmp_path / "findings"), pytrace=False)


def test_mutated_ledgers_through_validate_and_render(tmp_path: Path) -> None:
    tally = Tally()
    for task in tasks(Plan(seed=0, ledgers=LEDGERS, render=LEDGERS_RENDERED)):
        tally.add(task[0], run_task(task))
    assert tally.counts["validate", "rejected"] > 0 and tally.counts["render", "ok"] + tally.counts[
        "render", "warnings"] > 0  # the checks and the writers were reached
    if tally.failures:
        pytest.fail(_report(tally, tmp_path / "findings"), pytrace=False)


class UnitFile(bytes):
    """A generated file that hypothesis reports by its size and start, not as 60 kB of repr."""

    def __repr__(self) -> str:
        return f"<unit file, {len(self)} bytes: {bytes(self[:120])!r}…>"


@settings(max_examples=GENERATED, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(unit_files().map(UnitFile))
def test_generated_unit_files_through_validate_and_render(data: UnitFile) -> None:
    case = Case("generated", "hypothesis", bytes(data))
    failed: list[Outcome] = [o for o in (validate_case(case), render_case(case)) if o.failed]
    if failed:
        saved = Path(tempfile.mkdtemp(prefix="cc-fuzz-finding-")) / "单位.yaml"
        saved.write_bytes(data)
        pytest.fail("\n".join([*(f"{o.verdict} [{o.mode}]: {o.detail}" for o in failed),
                               f"the input: {saved} (python benchmarks/fuzz.py --replay {saved})"]), pytrace=False)


def test_mutants_through_the_cli(tmp_path: Path) -> None:
    """The real command: exit code 3, 内部错误 or a traceback are failures, as are its messages."""
    tally = Tally()
    for case, _ in tasks(Plan(seed=1, mutated=CLI_MUTANTS)):
        tally.add(case, [cli_case(case, "validate"), cli_case(case, "render")])
    if tally.failures:
        pytest.fail(_report(tally, tmp_path / "findings"), pytrace=False)


@pytest.mark.fuzz
def test_long_mode(tmp_path: Path) -> None:
    """``FUZZ_MUTATED=20000 FUZZ_GENERATED=5000 FUZZ_RENDER=5000 pytest -m fuzz`` (findings in FUZZ_OUT)."""
    env = os.environ.get
    plan = Plan(seed=int(env("FUZZ_SEED", "0")), mutated=int(env("FUZZ_MUTATED", "2000")),
                generated=int(env("FUZZ_GENERATED", "500")), render=int(env("FUZZ_RENDER", "500")),
                cli_every=int(env("FUZZ_CLI_EVERY", "100")), jobs=int(env("FUZZ_JOBS", "2")),
                ledgers=int(env("FUZZ_LEDGERS", "300")))
    tally = Tally()
    for case, outcomes in run(tasks(plan), plan.jobs):
        tally.add(case, outcomes)
    print(summary(tally, 0))
    if tally.failures:
        pytest.fail(_report(tally, Path(env("FUZZ_OUT", str(tmp_path / "findings")))), pytrace=False)
