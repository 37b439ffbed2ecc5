"""The frozen app's entry point (PyInstaller needs a script, not ``python -m``): see build_frozen.py."""

from chuangcheng.cli import main

if __name__ == "__main__":
    main()
