"""Every size and time limit chuangcheng enforces, in one place (the README's 限制 table lists them).

Each limit is far above what a real unit needs, and low enough that no input can make a run
take minutes or gigabytes. Exceeding one is an error at its place (file, line and column, or
the template and its line), never a crash or a hang.
"""

from __future__ import annotations

# Unit and district files.
MAX_FILE_BYTES = 2 * 1024 * 1024  # one unit or district file
MAX_DEPTH = 24  # nesting levels of YAML mappings and lists
MAX_TEXT_CHARS = 5000  # one value (a paragraph, a name, a sentence)
MAX_ACTIVITIES = 1000  # activities in one unit file, all sections together
MAX_PHOTOS = 500  # photos named in one unit file
MAX_LEDGER_ROWS = 5000  # rows of one sheet of an Excel ledger (its cells are read as one grid)
MAX_LEDGER_COLUMNS = 100  # its columns
MAX_LEDGER_XML_BYTES = 64 * 1024 * 1024  # its sheets' XML, uncompressed, all together
MAX_TIMES = 10_000  # 次数 of one activity (daily for a period of years stays below it)
MIN_YEAR, MAX_YEAR = 2000, 2100  # every date lies in these years
MAX_PERIOD_DAYS = 5 * 366  # one 报告期, at most five years
MAX_AMOUNT_DIGITS = 12  # digits before the point of one amount (under 1万亿)
MAX_AMOUNT_DECIMALS = 4  # digits after it

# Photos.
MAX_PHOTO_BYTES = 40 * 1024 * 1024  # one photo file
MAX_IMAGE_PIXELS = 64_000_000  # one photo's width × height (a 0.5 MB PNG can ask for gigabytes)

# Reference (letterhead) documents.
MAX_REFERENCE_BYTES = 20 * 1024 * 1024  # the .docx file itself
MAX_REFERENCE_PART_BYTES = 20 * 1024 * 1024  # one part, uncompressed
MAX_REFERENCE_TOTAL_BYTES = 60 * 1024 * 1024  # every part read, uncompressed

# Own templates (--template-dir).
TEMPLATE_SECONDS = 10.0  # one report, one template run
TEMPLATE_MAX_RANGE = 100_000  # items of one range()
TEMPLATE_MAX_LENGTH = 1_000_000  # characters or items a template may build in one operation
TEMPLATE_MAX_OUTPUT = 5 * 1024 * 1024  # characters one template run may write
TEMPLATE_MAX_POWER_BITS = 4096  # size of a number a power may make
TEMPLATE_MAX_BUILT = 50_000_000  # characters or items all operations of one template run may build
TEMPLATE_DIR_MAX_FILES = 2000  # files under --template-dir (every one is read for the cache key)
TEMPLATE_DIR_MAX_BYTES = 20 * 1024 * 1024  # their total size

# Output.
MAX_NAME_CHARS = 80  # characters of a report's file name (the report itself keeps the full name)
MAX_NAME_BYTES = 240  # its UTF-8 bytes: with an extension, under the 255 most file systems allow
