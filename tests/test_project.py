"""The project keeps its promises: the core is free of CLI libraries, the README's commands are CI's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = {"cli.py", "cli_help.py", "__main__.py"}  # the command line: the only modules that use typer
CORE = [p for p in (ROOT / "src" / "chuangcheng").rglob("*.py") if p.name not in CLI]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_neither_typer_nor_rich() -> None:
    assert CORE
    for path in CORE:
        assert not _imports(path) & {"typer", "rich", "click"}, path.name


def test_the_runtime_never_imports_python_docx_and_needs_opencc_only_for_traditional_script() -> None:
    """python-docx is the tests' (they open the Word files as Word would); OpenCC is the ``hant``
    extra (no wheel for 32-bit or ARM Windows), imported only inside read/script.py."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=\[; ]", d)[0].lower() for d in project["dependencies"]]
    assert "python-docx" not in names and "opencc" not in names
    assert any(d.startswith("opencc>=") for d in project["optional-dependencies"]["hant"])
    assert any(d.startswith("python-docx") for d in project["optional-dependencies"]["test"])
    for path in CORE:
        found = _imports(path)
        assert "docx" not in found, f"{path.name} imports python-docx"
        assert "opencc" not in found or path.name == "script.py", f"{path.name} imports OpenCC"


def test_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    setup = [b for b in blocks if "pytest" in b or "chuangcheng render" in b]
    assert len(setup) >= 2
    for block in setup[:2]:
        for line in block.strip().splitlines():
            assert line.strip() in ci, f"README line not run by CI: {line}"


def test_readme_example_unit_file_is_valid(tmp_path: Path) -> None:
    from chuangcheng import render_markdown
    from chuangcheng.load.loader import load_unit

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if b.startswith("# 官塘社区"))
    path = tmp_path / "官塘社区.yaml"
    path.write_text(example, encoding="utf-8")
    text = render_markdown(load_unit(path).model)
    assert re.search("3月5日，组织[0-9]+名志愿者在民主东路开展学雷锋主题宣传活动", text)
    assert "街道团工委开展文明交通劝导26次" in text
    assert "“周调度、月总结”“网格员包楼栋”" in text


def test_public_api_names_resolve() -> None:
    import chuangcheng

    assert sorted(chuangcheng.__all__) == sorted(["__version__", *chuangcheng._EXPORTS])
    for name in chuangcheng.__all__:
        assert getattr(chuangcheng, name) is not None


def test_version_matches_the_package_metadata() -> None:
    from importlib.metadata import version

    import chuangcheng

    assert chuangcheng.__version__ == version("chuangcheng")


def test_readme_limits_table_says_what_limits_py_enforces() -> None:
    from chuangcheng import limits

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## 限制", 1)[1].split("\n## ", 1)[0]
    mb = 1024 * 1024
    expected = [
        f"| {limits.MAX_FILE_BYTES // mb} MB |", f"| {limits.MAX_DEPTH} 层 |", f"| {limits.MAX_TEXT_CHARS} 字 |",
        f"| {limits.MAX_ACTIVITIES} 项 / {limits.MAX_PHOTOS} 张 |", f"| {limits.MAX_TIMES} 次 |",
        f"| {limits.MIN_YEAR}—{limits.MAX_YEAR} 年 / {limits.MAX_PERIOD_DAYS // 366} 年 |",
        f"小数不超过 {limits.MAX_AMOUNT_DECIMALS} 位", f"{10 ** limits.MAX_AMOUNT_DIGITS // 10 ** 12} 万亿",
        f"| {limits.MAX_PHOTO_BYTES // mb} MB / {limits.MAX_IMAGE_PIXELS // 10 ** 4} 万像素",
        f"| {limits.MAX_REFERENCE_BYTES // mb} MB / {limits.MAX_REFERENCE_PART_BYTES // mb} MB / "
        f"{limits.MAX_REFERENCE_TOTAL_BYTES // mb} MB |",
        f"| {limits.TEMPLATE_SECONDS:g} 秒 |",
        f"| {limits.TEMPLATE_MAX_RANGE // 10 ** 4} 万 / {limits.TEMPLATE_MAX_LENGTH // 10 ** 4} 万 / "
        f"{limits.TEMPLATE_MAX_OUTPUT // 10 ** 4} 万 |",
        f"| {limits.MAX_NAME_CHARS} 字（",
    ]
    assert [e for e in expected if e not in table] == []


STAGES = ["read", "load", "check", "write", "office", "district"]  # the data flow, DESIGN.md §7


def _targets(path: Path) -> set[str]:
    """The chuangcheng modules ``path`` imports (at the top or inside functions), as dotted names."""
    package = path.relative_to(ROOT / "src").with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - node.level + 1])
            stem = [*base, *(node.module.split(".") if node.module else [])]
            found |= {".".join(stem + ([a.name] if not node.module else [])) for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("chuangcheng"):
            found.add(node.module)
    return found


def test_every_import_points_down_the_data_flow() -> None:
    """A module imports its own stage, earlier stages and the shared top-level modules (errors,
    limits, parallel, processes, output, user_cache); only the CLI and the public API sit above everything."""
    shared = {"chuangcheng.errors", "chuangcheng.limits", "chuangcheng.parallel", "chuangcheng.output",
              "chuangcheng.processes", "chuangcheng.user_cache",
              "chuangcheng.__version__", "chuangcheng"}
    wrong = []
    for path in (ROOT / "src" / "chuangcheng").rglob("*.py"):
        parts = path.relative_to(ROOT / "src" / "chuangcheng").parts
        if len(parts) == 1 and path.stem in {"cli", "__main__", "__init__"}:
            continue
        mine = STAGES.index(parts[0]) if len(parts) > 1 else -1
        for target in _targets(path) - shared:
            stage = target.split(".")[1] if target.count(".") >= 1 else ""
            if stage not in STAGES or STAGES.index(stage) > mine:
                wrong.append(f"{'/'.join(parts)} → {target}")
    assert wrong == []


def test_readme_windows_commands_work_in_powershell_and_cmd() -> None:
    """PowerShell 5.1 rejects ``&&``; ``.`` (source) and ``/`` paths are Unix shell: the Windows
    section gives one command a line, run without activating the environment."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### 在 Windows 上", 1)[1].split("\n## ", 1)[0]
    lines = [line.strip() for block in re.findall(r"```text\n(.*?)```", section, re.S)
             for line in block.strip().splitlines()]
    assert len(lines) >= 5
    for line in lines:
        assert "&&" not in line and not line.startswith((". ", "source ")) and "activate" not in line, line
        assert "/" not in line.split(" ", 1)[0], line  # the program's path, if any, in Windows form
    assert any(line.startswith("pipx install") for line in lines) and any(line.startswith("uv tool install")
                                                                         for line in lines)
