"""``python -m chuangcheng``."""

from .cli import main

main()
