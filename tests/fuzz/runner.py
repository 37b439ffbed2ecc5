"""Many inputs through the harness in worker processes; counts per class; findings saved.

Each worker runs one input at a time under the harness's in-process time bound, with its address
space capped (a blow-up is a MemoryError, not a dead machine). The parent kills a worker that
stays silent past :data:`HARD_LIMIT` (a hang the alarm cannot stop) and starts another.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import multiprocessing.connection
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import harness
from .harness import CRASH, FAILURES, Case, Outcome
from .mutators import mutant

HARD_LIMIT = 150.0  # seconds a worker may stay silent on one input (CLI runs included)
MEMORY_LIMIT = 3 * 1024 ** 3  # bytes of address space per worker

Task = tuple[Case, tuple[str, ...]]  # an input and its modes: validate, render, cli-validate, cli-render


@dataclass
class Plan:
    seed: int = 0
    mutated: int = 0
    generated: int = 0
    render: int = 0  # of all inputs, this many also rendered (spread evenly)
    cli_every: int = 0  # every N-th input also through the real CLI (0: never)
    jobs: int = 1
    ledgers: int = 0  # mutated Excel ledgers (tests/fuzz/ledgers.py), also through validate and render


def generated_files(seed: int, count: int) -> list[bytes]:
    """``count`` unit files from the hypothesis strategies, the same for the same seed."""
    if count <= 0:
        return []
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    from .strategies import unit_files

    found: list[bytes] = []

    @hseed(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(unit_files())
    def collect(data: bytes) -> None:
        found.append(data)

    collect()
    return found[:count]


def _modes(n: int, total: int, plan: Plan) -> tuple[str, ...]:
    modes = ["validate"]
    if plan.render and (n * plan.render) // total != ((n + 1) * plan.render) // total:
        modes.append("render")
    if plan.cli_every and n % plan.cli_every == plan.cli_every - 1:
        modes += ["cli-validate", "cli-render"]
    return tuple(modes)


def tasks(plan: Plan) -> Iterator[Task]:
    """Mutants, generated files and mutated ledgers interleaved (so a partial run samples each
    kind), each with its modes."""
    from .ledgers import ledger_mutant

    wanted = {"m": plan.mutated, "g": plan.generated, "l": plan.ledgers}
    total = sum(wanted.values())
    generated = generated_files(plan.seed, plan.generated)
    done = dict.fromkeys(wanted, 0)
    for n in range(total):
        kind = min((k for k in wanted if done[k] < wanted[k] and (k != "g" or done[k] < len(generated))),
                   key=lambda k: (done[k] / wanted[k], k), default=None)
        if kind is None:
            return
        i = done[kind]
        done[kind] += 1
        if kind == "g":
            case = Case(f"g{plan.seed}-{i}", f"generated: seed {plan.seed}, example {i}", generated[i])
        elif kind == "l":
            mu = ledger_mutant(plan.seed, i)
            case = Case(f"l{plan.seed}-{i}", f"ledger: seed {plan.seed}, index {i}, {mu.base.name} "
                        f"{'+'.join(mu.operations)}", mu.data, False, mu.base.name)
        else:
            mu = mutant(plan.seed, i)
            case = Case(f"m{plan.seed}-{i}", f"mutated: seed {plan.seed}, index {i}, {mu.base.name} "
                        f"{'+'.join(mu.operations)}", mu.data, mu.is_district,
                        mu.base.name if not mu.is_district else harness.UNIT_NAME)
        yield case, _modes(n, total, plan)


def run_task(task: Task) -> list[Outcome]:
    case, modes = task
    out = []
    for mode in modes:
        if mode == "validate":
            out.append(harness.validate_case(case))
        elif mode == "render":
            out.append(harness.render_case(case))
        else:
            out.append(harness.cli_case(case, mode.removeprefix("cli-")))
    return out


def _worker(conn: multiprocessing.connection.Connection) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard),
                                            hard))

    while True:
        task = conn.recv()
        if task is None:
            return
        conn.send(run_task(task))


class _Worker:
    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.task: Task | None = None
        self.started = 0.0

    def give(self, task: Task) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        self.process.kill()
        self.process.join()


def run(all_tasks: Iterable[Task], jobs: int = 1) -> Iterator[tuple[Case, list[Outcome]]]:
    """Every task's outcomes, in completion order, over ``jobs`` worker processes."""
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    pending = iter(all_tasks)
    workers = [_Worker(ctx) for _ in range(max(1, jobs))]
    for w in workers:
        first = next(pending, None)
        if first is None:
            break
        w.give(first)
    try:
        while any(w.task for w in workers):
            busy = [w for w in workers if w.task]
            ready = multiprocessing.connection.wait([w.conn for w in busy], timeout=5.0)
            for w in busy:
                done: list[Outcome] | None = None
                assert w.task is not None
                case = w.task[0]
                if w.conn in ready:
                    try:
                        done = w.conn.recv()
                    except (EOFError, OSError):
                        done = [Outcome(case.id, "worker", CRASH, f"worker died (exit {w.process.exitcode})",
                                        time.monotonic() - w.started, f"exit {w.process.exitcode}")]
                elif time.monotonic() - w.started > HARD_LIMIT:
                    w.kill()
                    done = [Outcome(case.id, "worker", CRASH, f"no answer in {HARD_LIMIT:g} s, killed",
                                    time.monotonic() - w.started, "hard hang")]
                if done is None:
                    continue
                yield case, done
                if not w.process.is_alive():
                    w.__init__(ctx)  # type: ignore[misc]
                w.task = None
                task = next(pending, None)
                if task is not None:
                    w.give(task)
    finally:
        for w in workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
            w.process.join(timeout=2)
            if w.process.is_alive():
                w.kill()


@dataclass
class Tally:
    """Counts per mode and verdict, failures kept for the findings folder, the slowest inputs."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[tuple[Case, Outcome]] = field(default_factory=list)
    slowest: list[tuple[float, str, str, str]] = field(default_factory=list)
    inputs: int = 0

    def add(self, case: Case, outcomes: list[Outcome]) -> None:
        self.inputs += 1
        for o in outcomes:
            self.counts[o.mode, o.verdict] += 1
            if o.failed:
                self.failures.append((case, o))
            if not o.mode.startswith("cli-"):
                self.slowest.append((o.seconds, o.mode, case.id, case.origin))
        self.slowest = sorted(self.slowest, reverse=True)[:10]

    def failed(self) -> int:
        return len(self.failures)


def _suffix(case: Case) -> str:
    """The extension a saved input gets: a district file, a ledger or a unit file."""
    return "district.yaml" if case.district else "xlsx" if case.name.endswith(".xlsx") else "yaml"


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text)[:60].strip("_") or "x"


def save_findings(tally: Tally, out: Path, header: str = "",
                  minimal: dict[tuple[str, str], Path] | None = None) -> Path:
    """Every failing input under ``out/<class>/``, with what it did; README.md lists the groups
    (class → group → count, and the smallest input of each group as its reproducer, or the
    minimized one when ``minimal`` has it)."""
    out.mkdir(parents=True, exist_ok=True)
    groups: dict[str, dict[str, list[tuple[Case, Outcome]]]] = defaultdict(lambda: defaultdict(list))
    for case, o in tally.failures:
        groups[o.verdict][o.group or o.verdict].append((case, o))
        folder = out / o.verdict
        folder.mkdir(exist_ok=True)
        stem = f"{case.id}.{o.mode}"
        (folder / f"{stem}.{_suffix(case)}").write_bytes(case.data)
        (folder / f"{stem}.json").write_text(json.dumps(
            {**asdict(o), "origin": case.origin, "district": case.district, "file_name": case.name},
            ensure_ascii=False, indent=1), encoding="utf-8")
    lines = ["# Fuzz findings", "", header, "", "| class | failures | groups |", "|---|---|---|"]
    for verdict in FAILURES:
        if verdict in groups:
            lines.append(f"| {verdict} | {sum(len(v) for v in groups[verdict].values())} | {len(groups[verdict])} |")
    for verdict in FAILURES:
        if verdict not in groups:
            continue
        lines += ["", f"## {verdict}", "", "| group | count | reproducer | modes |", "|---|---|---|---|"]
        for group, items in sorted(groups[verdict].items(), key=lambda kv: -len(kv[1])):
            case, o = min(items, key=lambda co: (len(co[0].data), co[0].id))
            rel = f"{verdict}/{case.id}.{o.mode}.{_suffix(case)}"
            link = f"[{rel}]({rel}) ({len(case.data)} B)"
            small = (minimal or {}).get((verdict, group))
            if small is not None:
                link = f"[{small.relative_to(out)}]({small.relative_to(out)}) ({small.stat().st_size} B, minimized)"
            modes = ", ".join(sorted({x.mode for _, x in items}))
            lines.append(f"| {group.replace('|', '¦')} | {len(items)} | {link} | {modes} |")
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out / "README.md"


def load_findings(out: Path) -> Tally:
    """The failures a run saved under ``out`` (to minimize them, or list them again)."""
    tally = Tally()
    fields = Outcome.__dataclass_fields__
    for meta_path in sorted(out.glob("*/*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        case = Case(meta["case_id"], meta["origin"], b"", meta["district"], meta["file_name"])
        case.data = meta_path.with_name(f"{meta_path.stem}.{_suffix(case)}").read_bytes()
        tally.failures.append((case, Outcome(**{k: meta[k] for k in fields})))
    return tally


def _same(case: Case, target: Outcome, data: bytes) -> bool:
    trial = Case(case.id, case.origin, data, case.district, case.name)
    found = run_task((trial, (target.mode,)))[0]
    return found.verdict == target.verdict and found.group == target.group


def minimize(case: Case, target: Outcome, budget: int = 300) -> bytes:
    """The input cut down line by line (ddmin) while it still fails in the same class and group."""
    lines = _drop_blocks(case, target, case.data.split(b"\n"), budget // 3).split(b"\n")
    parts, trials = 2, budget // 3
    while len(lines) > 1 and trials < budget:
        size = -(-len(lines) // parts)
        for start in range(0, len(lines), size):
            trials += 1
            candidate = lines[:start] + lines[start + size:]
            if _same(case, target, b"\n".join(candidate)):
                lines, parts = candidate, max(parts - 1, 2)
                break
            if trials >= budget:
                break
        else:
            if size == 1:
                break
            parts = min(len(lines), parts * 2)
    return _drop_blocks(case, target, lines, budget - trials)


def _indent(line: bytes) -> int:
    return len(line) - len(line.lstrip(b" -"))


def _drop_blocks(case: Case, target: Outcome, lines: list[bytes], budget: int) -> bytes:
    """A YAML-aware pass: each line with the more indented lines under it goes as one piece."""
    at = 0
    while at < len(lines) and budget > 0:
        end = at + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > _indent(lines[at])):
            end += 1
        candidate = lines[:at] + lines[end:]
        budget -= 1
        if candidate and _same(case, target, b"\n".join(candidate)):
            lines = candidate
        else:
            at += 1
    return b"\n".join(lines)


def minimize_findings(out: Path, header: str) -> Path:
    """For each group of failures saved under ``out``: its smallest input minimized, saved as
    ``<class>/minimal/<n>.yaml``; README.md rewritten to point at them. Timeouts and crashes
    (each trial would cost seconds) keep their smallest input."""
    tally = load_findings(out)
    groups: dict[tuple[str, str], list[tuple[Case, Outcome]]] = defaultdict(list)
    for case, o in tally.failures:
        groups[o.verdict, o.group or o.verdict].append((case, o))
    minimal: dict[tuple[str, str], Path] = {}
    for n, (key, items) in enumerate(sorted(groups.items())):
        if key[0] in (harness.TIMEOUT, CRASH) or items[0][0].name.endswith(".xlsx"):
            continue  # each trial would cost seconds; a ledger is no text to cut line by line
        case, o = min(items, key=lambda co: (len(co[0].data), co[0].id))
        budget = 60 if o.mode.startswith("cli-") else 1500
        small = minimize(case, o, budget) if _same(case, o, case.data) else case.data
        folder = out / key[0] / "minimal"
        folder.mkdir(exist_ok=True)
        path = folder / f"{n:03d}-{_slug(key[1])[:40]}.{'district.' if case.district else ''}yaml"
        path.write_bytes(small)
        path.with_suffix(".txt").write_text(f"{o.verdict} [{o.mode}] {o.group}\n{o.detail}\nfrom {case.origin}\n",
                                            encoding="utf-8")
        minimal[key] = path
    return save_findings(tally, out, header, minimal)


def summary(tally: Tally, seconds: float) -> str:
    """The figures: inputs, counts per mode and class, time, the slowest inputs."""
    modes = sorted({m for m, _ in tally.counts})
    lines = [f"{tally.inputs} inputs in {seconds:.0f} s; {tally.failed()} failing runs"]
    for mode in modes:
        parts = [f"{v} {n}" for (m, v), n in sorted(tally.counts.items(), key=lambda kv: -kv[1]) if m == mode]
        lines.append(f"  {mode:13} {sum(n for (m, _), n in tally.counts.items() if m == mode):6}: {', '.join(parts)}")
    by_class = Counter(o.verdict for _, o in tally.failures)
    lines.append("failures by class: " + (", ".join(f"{v} {n}" for v, n in by_class.most_common()) or "none"))
    lines.append("slowest (in-process):")
    lines += [f"  {s:7.3f} s {mode:8} {cid:12} {origin}" for s, mode, cid, origin in tally.slowest]
    return "\n".join(lines)


def replay(path: Path, modes: Iterable[str] = ("validate", "render")) -> list[Outcome]:
    """A saved input run again (``benchmarks/fuzz.py --replay FILE``); a district file when its
    name ends in ``.district.yaml`` or its saved ``.json`` says so."""
    meta_path = path.with_name(re.sub(r"(\.district)?\.(yaml|xlsx)$", ".json", path.name))
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    district = bool(meta.get("district")) or path.name.endswith(".district.yaml")
    default_name = "台账.xlsx" if path.suffix == ".xlsx" else harness.UNIT_NAME
    case = Case(path.stem, str(path), path.read_bytes(), district, meta.get("file_name", default_name))
    return run_task((case, tuple(modes)))
