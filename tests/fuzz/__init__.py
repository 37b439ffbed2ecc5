"""The fuzz harness: generated and mutated unit and district files through validate and render.

- :mod:`.junk` — the hostile pieces both sources use (Unicode junk, nasty numbers, dates, names, paths);
- :mod:`.strategies` — hypothesis strategies that write whole unit files as YAML text;
- :mod:`.mutators` — a corpus drawn from examples/, mutated deterministically from (seed, index);
- :mod:`.harness` — one input through validate, render or the CLI, in a fresh folder, classified;
- :mod:`.runner` — many inputs in worker processes, counts per class, findings saved for reproduction.

CI runs a small budget (tests/test_fuzz.py); the long mode is ``python benchmarks/fuzz.py`` or
``FUZZ_MUTATED=20000 pytest -m fuzz``.
"""
