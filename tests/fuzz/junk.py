"""The hostile pieces: what careless and hostile users put into unit files. Data, not code.

Each entry of the ``*_ESCAPES`` lists is YAML source for a double-quoted scalar (so ``\\uD800`` is a
lone surrogate only after YAML reads it); the other lists are the text itself.
"""

from __future__ import annotations

# Characters a file may hold as they are (they pass YAML's reader, then meet the rest of the tool).
RAW_JUNK = (
    "\u3000",  # ideographic space
    "\u00a0",  # no-break space
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",  # zero-width
    "\u2028", "\u2029", "\u0085",  # line and paragraph separators, NEL
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069",  # bidi
    "\t", "\r", "\r\n",
    "\U0001f600", "\U00020000",  # an emoji, a CJK extension B character
    "\u0301",  # a lone combining mark
    "\uff10", "\uff11", "\uff19",  # full-width digits
    "\ufe30", "\uff0c", "\uff1a",  # vertical and full-width punctuation
    "&", "<", ">", "]]>", "'", '"', "\\", "{{", "{%", "%}", "}}", "${x}", "=1+1", "=HYPERLINK(\"http://x\",\"y\")",
)

# Characters YAML's reader refuses when written raw (a good error, or not).
RAW_FORBIDDEN = ("\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\ufffe", "\uffff", "\ud800")

# Escapes in double-quoted YAML: the reader lets them in, so they reach the model and the writers.
DOUBLE_ESCAPES = (
    "\\0", "\\a", "\\b", "\\e", "\\v", "\\f", "\\x01", "\\x1f", "\\x7f", "\\x85",
    "\\uD800", "\\uDFFF", "\\uD83D", "\\uFFFE", "\\uFFFF", "\\U0010FFFF", "\\U0001F600",
    "\\L", "\\P", "\\N", "\\_", "\\t", "\\n", "\\r\\n", "\\u3000", "\\u200B", "\\u202E",
)

# Numbers for amounts written as text: the digits (a measure word and 余/多 are added by the caller).
NUMBER_TEXTS = (
    "10", "3000", "8900", "1.5", "0", "0.0", "-0", "-5", "2.5", "01", "007",
    "８９００", "１０", "３．５", "8,900", "8，900", "1,000,000", "1e5", "1E3", "1e100000", "nan", "inf",
    "-inf", "NaN", "Infinity", "99999999999999999999999999999999999999", "0.000000000000001",
    "1_000", "0x1F", "½", "十", "三千", "二十", "1/2", "5%", "", " ", "１.５", "3.",
)
MULTIPLIERS = ("", "", "", "万", "千", "百", "亿", "万万", "千万")
APPROX = ("", "", "", "余", "多", "余余", "约")
MEASURES = (
    "条", "份", "人次", "人", "元", "万元", "平方米", "米", "个", "块", "幅", "次", "处", "吨", "千米", "千克",
    "斤", "户", "", "条条", "％", "%", "個", "人·次",
)

# Numbers for 数值 in the mapping form, as YAML source.
NUMBER_SOURCES = (
    "8900", "0", "-0", "-0.0", "1.5", "-3", "1e100000", "-1e100000", "1e-100000", ".nan", ".NaN", ".inf",
    "-.inf", "+.inf", "nan", "inf", "1e308", "1e309", "4.9e-324", "99999999999999999999999999999999999999999",
    str(10 ** 400), "0x1F", "0o17", "0b101", "1_000", "0777", "1:20", "~", "null", "true", "''", "[]", "{}",
    '"8900"', '"八千"', '"１０"', "!!float 3", "!!int 3.5", "!!str 10", "2026-01-01", "12:30:00",
)
APPROX_SOURCES = ("true", "false", "yes", "no", "是", "否", "on", "off", "~", "3", "[]", '"true"', "余", "")

DATE_TEXTS = (
    "2026-03-05", "2026年3月5日", "3月5日", "2026年3月", "3月", "3月上旬", "3月中旬", "3月下旬", "一季度",
    "第一季度", "二季度", "上半年", "下半年", "全年", "2026-1-5", "２０２６年３月５日", "2026.03.05", "2026/03/05",
    # broken
    "2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01",
    "3月32日", "13月", "0月", "2月29日", "2025-02-29", "五季度", "上上半年", "20260305", "2026-03-05T10:00:00",
    "2026-03-05 10:00:00+08:00", "2026-03-05t25:00", "去年", "2026年13月", "-2026-03-05", "3月上旬到中旬",
    "2026-03-05 ", "\u30002026-03-05", "2026-03-05\u200b", "2026—03—05", "",
)

PERIODS = (  # (开始, 结束) as YAML source
    ("2026-01-01", "2026-06-30"), ("2026-01-01", "2026-12-31"), ("2026-07-01", "2026-12-31"),
    ("2026-06-30", "2026-01-01"), ("2026-01-01", "2026-01-01"), ("9999-01-01", "9999-12-31"),
    ("2026-01-01", "9999-12-31"), ("0001-01-01", "9999-12-31"), ("1900-01-01", "2026-06-30"),
    ("2026-01-01", "2126-06-30"), ("2026年1月1日", "2026年6月30日"), ("2026-02-30", "2026-06-30"),
    ("2026", "2027"), ("上半年", "下半年"), ("~", "~"), ("2026-01-01", "2026-06-31"), ("0", "1e100000"),
)

UNIT_NAMES = (
    "官塘社区", "江城区人民医院", "A/B", "A:B", "A\\B", "../上级", "..", ".", "CON", "NUL", "COM1", "AUX", "LPT9",
    "con.txt", "PRN.社区", "社区.", "社区 ", " 社区", "社区*?", '社区"<>|', "江城区汇总", "汇总表", "社" * 300,
    "社区\u200b", "社区\u3000", "\u202e区社", "社区\t二", "", " ", "~", "Null", "None", "0", "社区\u2028二",
    "社区&<b>", "{{ 单位 }}", "社区.yaml", "社区.docx", "郑州市第1000000000000中学", "ＡＢＣ社区", "𠀀社区",
)

UNIT_TYPES = ("社区", "街道", "村", "医院", "学校", "幼儿园", "企业", "机关", "其他", "公司", "社区 ", "", "community")

PHOTO_PATHS = (
    "照片/0305-学雷锋宣传-1.jpg", "照片/0305-学雷锋宣传-2.jpg", "照片/0224-春季大扫除.jpg",
    "./照片/0224-春季大扫除.jpg", "照片/../照片/0224-春季大扫除.jpg", "照片//0224-春季大扫除.jpg",
    "照片\\0224-春季大扫除.jpg", "照片/缺少.jpg", "照片/0224-春季大扫除.JPG", "照片", "照片/", "", " ",
    "../x.jpg", "../../etc/passwd", "/etc/passwd", "/dev/zero", "/dev/urandom", "/proc/self/mem",
    "C:\\Windows\\win.ini", "C:/x.jpg", "\\\\server\\share\\a.jpg", "//server/share/a.jpg", "file:///etc/passwd",
    "http://example.com/a.jpg", "CON", "照片/CON.jpg", "NUL.jpg", "照片/" + "长" * 300 + ".jpg", "~/x.jpg",
    "照片/*.jpg", "照片/0224-春季大扫除.jpg\u200b", "照片/0224-春季大扫除.jpg ", ".",
)

TEXTS = (
    "学雷锋主题宣传活动", "志愿者向市民发放倡议书并现场解答疑问。", "民主东路", "社区文化中心会议室",
    "部分居民对创建工作的认识还不够到位，参与度有待提高", "建立环境卫生长效管理机制，巩固整治成果",
    "C:\\new\\bin", "C:\\temp\\x", "a & b < c > d", "<w:p>", "]]>", "{{ 1 + 1 }}", "{% raw %}", "${HOME}",
    "=1+1", "@SUM(A1)", "+1", "-1", "None", "null", "~", "true", "Yes", "NO", "0", "1e5", "3.14", "0x10",
    "2026-03-05", "12:30", "1:20:30", "'", '"', "#", "# 注释", "- 项", "? 键", ": 值", "|", ">", "*a", "&a", "!x",
    "%x", "@x", "`x`", "，", "。", "“”", "【】", "（）", "发放宣传单8000余份", "參與居民", "里面", "著名",
)

KEY_TYPOS = {  # a key as written by someone in a hurry: near misses, other scripts, other punctuation
    "名称": ("名字", "名稱", "名 称", "名称：", "称名", "mingcheng", "Name", "NAME"),
    "日期": ("时间", "日 期", "日期日期", "date ", "Date"),
    "数量": ("數量", "数目", "quantity", "数量数量"),
    "活动": ("活動", "activity", "活动们"),
    "报告期": ("报告周期", "報告期", "Period"),
    "单位": ("單位", "Unit", "单 位"),
}
