"""Fuzz, long mode: mutated and generated unit files and mutated Excel ledgers through validate, render
and the CLI.

    python benchmarks/fuzz.py --mutated 20000 --generated 5000 --ledgers 2000 --render 5000 [--seed N] [--jobs 2]
                              [--cli-every 100] [--out findings/]
    python benchmarks/fuzz.py --replay findings/internal-error/m0-42.validate.yaml
    python benchmarks/fuzz.py --minimize --out findings/   # one cut-down reproducer per group

Prints the counts per mode and outcome, the failures per class and the slowest inputs; saves
every failing input (with its class, detail and origin) under --out, with a README.md listing
the classes, groups and one smallest reproducer each. Exit code 1 when anything failed.
A failure is reproduced from its file (--replay) or from (seed, index): mutants are
deterministic, generated files come from hypothesis under the same seed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz.runner import Plan, Tally, minimize_findings, replay, run, save_findings, summary, tasks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mutated", type=int, default=20000)
    parser.add_argument("--generated", type=int, default=5000)
    parser.add_argument("--ledgers", type=int, default=2000, help="mutated Excel ledgers (examples/台账/)")
    parser.add_argument("--render", type=int, default=5000, help="how many of the inputs are also rendered")
    parser.add_argument("--cli-every", type=int, default=100, help="every N-th input also through the CLI; 0: never")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("findings"))
    parser.add_argument("--replay", type=Path, nargs="*", help="run saved inputs again instead")
    parser.add_argument("--minimize", action="store_true",
                        help="cut down the smallest input of each group saved under --out, and list them in README.md")
    args = parser.parse_args(argv)
    if args.minimize:
        readme = args.out / "README.md"
        old = readme.read_text(encoding="utf-8") if readme.is_file() else ""
        header = old.split("| class |")[0].removeprefix("# Fuzz findings").strip()
        print(minimize_findings(args.out, header))
        return 0
    if args.replay:
        for path in args.replay:
            for outcome in replay(path):
                print(f"{path}: {outcome.mode}: {outcome.verdict}: {outcome.detail}")
        return 0
    plan = Plan(args.seed, args.mutated, args.generated, args.render, args.cli_every, args.jobs, args.ledgers)
    start = time.perf_counter()
    tally = Tally()
    total = plan.mutated + plan.generated + plan.ledgers
    for done, (case, outcomes) in enumerate(run(tasks(plan), plan.jobs), 1):
        tally.add(case, outcomes)
        if done % 1000 == 0:
            print(f"… {done}/{total} inputs, {tally.failed()} failing runs, {time.perf_counter() - start:.0f} s",
                  file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    command = " ".join(["python benchmarks/fuzz.py", *(argv if argv is not None else sys.argv[1:])])
    text = summary(tally, seconds)
    print(text)
    readme = save_findings(tally, args.out, f"`{command}`\n\n```\n{text}\n```")
    print(f"findings: {readme}")
    return 1 if tally.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
