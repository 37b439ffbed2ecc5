"""Checking: the rules, what each unit breaks, and validate over files and folders."""
