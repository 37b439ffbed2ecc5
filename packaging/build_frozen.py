"""Build chuangcheng as one folder that runs without Python (for Windows offices), with PyInstaller.

    python packaging/build_frozen.py [--dist dist]      → dist/chuangcheng/chuangcheng(.exe)

Run it on the system the build is for (PyInstaller does not cross-compile): on Windows it makes
chuangcheng.exe. The package data of chuangcheng (templates, word lists, layouts) and of OpenCC (its
dictionaries) is collected; the entry calls multiprocessing.freeze_support(), without which a
district run's worker processes fail (BrokenProcessPool). Needs ``pip install pyinstaller`` and,
for traditional script, ``pip install ".[hant]"`` in the same environment.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="where the folder is written")
    parser.add_argument("--work", type=Path, default=Path("build"), help="PyInstaller's work folder")
    args = parser.parse_args()
    import PyInstaller.__main__

    collect = ["chuangcheng", *(["opencc"] if importlib.util.find_spec("opencc") else [])]
    options = [str(HERE / "chuangcheng_frozen.py"), "--name", "chuangcheng", "--onedir", "--noconfirm", "--clean",
               "--console", "--distpath", str(args.dist), "--workpath", str(args.work), "--specpath", str(args.work)]
    for package in collect:
        options += ["--collect-data", package, "--collect-submodules", package]
    options += ["--copy-metadata", "chuangcheng"]  # the version the command reports
    spec = importlib.util.find_spec("chuangcheng")
    package = Path(spec.origin).parent if spec and spec.origin else None
    if package is not None and not (package / "templates").is_dir():  # an editable install: the checkout's
        options += ["--add-data", f"{HERE.parent / 'templates'}{os.pathsep}chuangcheng/templates"]
    PyInstaller.__main__.run(options)
    exe = args.dist / "chuangcheng" / ("chuangcheng.exe" if sys.platform == "win32" else "chuangcheng")
    print(f"已生成 {exe}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
