"""The rules ``chuangcheng validate`` checks, each with a code, and the ruff-style choice of them.

CC1xx 格式 (what the loader rejects), CC2xx 内容, CC3xx 测评体系指标, CC4xx 名单与截止日期.
Rules found while reading (``stops``) leave no model to check further: a file that breaks one
is reported whatever the selection says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import Severity, UsageError
from ..limits import (
    MAX_ACTIVITIES,
    MAX_AMOUNT_DIGITS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_PERIOD_DAYS,
    MAX_PHOTOS,
    MAX_REFERENCE_BYTES,
    MAX_TEXT_CHARS,
    MAX_YEAR,
    MIN_YEAR,
)

GROUPS = {"CC1": "格式", "CC2": "内容", "CC3": "测评体系指标", "CC4": "名单与截止日期"}


@dataclass(frozen=True)
class Rule:
    """One check: its code, default severity, what it finds, a file that breaks it, the fix."""

    code: str
    name: str
    severity: Severity
    summary: str
    example: str
    fix: str
    stops: bool = False  # found while reading: the file cannot be checked further

    @property
    def group(self) -> str:
        return GROUPS[self.code[:3]]


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
LEVELS = {E: "错误", W: "警告", INFO: "提示"}

RULES: dict[str, Rule] = {r.code: r for r in (
    Rule("CC101", "文件无法读取", E, "文件不存在、是空的，或编码无法识别。",
         "（一个 0 字节的 官塘社区.yaml）", "确认路径；用记事本或 WPS 另存为 UTF-8 编码。", stops=True),
    Rule("CC102", "YAML 格式错误", E,
         "缩进用了 Tab、键后用了中文冒号、引号没有闭合、一个文件写了两个单位、锚点和别名。",
         "单位：\n  名称: 官塘社区", "键和值之间写英文冒号加空格“: ”，缩进只用空格。", stops=True),
    Rule("CC103", "键名错误", E, "不认识的键（提示最接近的写法）、重复的键、中英文写法的同一个键、键里的全角空格。",
         "宣传发动:\n  - 日期: 2026-03-05\n    地址: 民主东路", "按提示改成“地点”；删除重复的键。", stops=True),
    Rule("CC104", "缺少必填项", E, "单位名称、类型、报告期、活动的名称、荣誉的名称等必填项没有写或为空。",
         "单位:\n  名称: 官塘社区", "补上该项（这里缺“类型”）。", stops=True),
    Rule("CC105", "取值无效", E, "数量、日期、单位类型等写法不对，或该写列表的地方写了文字。",
         "数量:\n  清理垃圾广告: 8900", "数量写成“数字+量词”（8900条），日期写成 2026-03-05。", stops=True),
    Rule("CC106", "照片路径越界", E, "照片路径指向单位文件所在文件夹之外（../、绝对路径、网络路径）。",
         "照片: [../../etc/passwd]", "把照片放进单位文件所在的文件夹，写相对路径，如 photos/0305.jpg。",
         stops=True),
    Rule("CC107", "文件不是 UTF-8 编码", W, "文件是 GBK、UTF-16 或带 BOM 的编码，已自动识别。",
         "（用记事本按 ANSI 保存的文件）", "在记事本“另存为”时选择 UTF-8。"),
    Rule("CC108", "含有看不见的字符", W, "从 Word 或网页粘贴带来的控制字符、零宽字符，已自动删除。",
         "地点: 民主东路\\v", "在编辑器中删除该处的空白后重新输入。"),
    Rule("CC109", "文件用繁体字书写", INFO,
         "键和内容用繁体字书写，已按简体字读取（公文使用规范汉字）；只是提示，每个文件说一次。",
         "單位:\n  名稱: 官塘社區", "不必修改；要繁体的总结，生成时加 --script hant。"),
    Rule("CC110", "超出限制", E,
         f"单位文件或区文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB、嵌套超过 {MAX_DEPTH} 层、一项超过 "
         f"{MAX_TEXT_CHARS} 字、活动超过 {MAX_ACTIVITIES} 项、照片超过 {MAX_PHOTOS} 张、日期不在 "
         f"{MIN_YEAR}—{MAX_YEAR} 年间、报告期超过 {MAX_PERIOD_DAYS // 366} 年、数量超过 {MAX_AMOUNT_DIGITS} 位数；"
         f"参考文档（信笺）超过 {MAX_REFERENCE_BYTES // 1024 // 1024} MB 或解压后过大。",
         "报告期: {开始: 2026-01-01, 结束: 2099-12-31}",
         "按提示删减或拆分：照片另放，过长的段落分成几项，一个报告期写一个文件。", stops=True),
    Rule("CC111", "参考文档有无法使用的部分", W,
         "参考文档（信笺）的页眉、页脚、主题等部分里有生成的 Word 文件不能带上的内容：嵌入的字体、"
         "Word 不能显示的图片格式、指向文件里不存在部分的链接、文档类型声明（DOCTYPE），已略去。",
         "（页眉里引用了嵌入字体的 信笺.docx）",
         "不必修改；要去掉提示，在 Word 中打开参考文档，取消“将字体嵌入文件”，重新插入图片后另存为 .docx。"),
    Rule("CC112", "不是单位文件", E,
         "收到的是 Word、WPS、PDF、文本或 Excel 97-2003 文件，或文件名多了“.txt”（如 官塘社区.yaml.txt）；"
         "单位算作已报送，但文件无法读取，不能汇总。",
         "（文件夹里有 桂花社区.docx）", "请单位把内容填进单位文件（.yaml）重新报送；文件名多了 .txt 的，改名即可。"),
    Rule("CC113", "台账中不认识的表或列", W,
         "Excel 台账里有不认识的表、列或“单位”表的项目（序号、备注列和“说明”表除外），已忽略。",
         "宣传发动 表里有一列“负责人”", "核对列名（可以有的列见 chuangcheng init --xlsx 生成的空白台账）；"
         "数量可以每个事项一列，列名写成“悬挂横幅（条）”。"),
    Rule("CC201", "占位符", E, "从模板抄来没有改的占位符：XX、xx、20xx、20_年、某某、＊＊、* * *、□□、“请填写”。",
         "说明: 共清理垃圾广告XX余条", "写上实际的内容和数字。"),
    Rule("CC202", "网页模板残留", E, "从网上范文抄来的字句：小编、范文、篇1、以下是……整理的、仅供参考。",
         "说明: 以下是小编整理的社区创城活动总结", "删除这些字句，写本单位的实际情况。"),
    Rule("CC203", "量词前缺少数字", E,
         "量词前面没有数字，如“投资万元”“长约米”“粉刷墙面平方米”“总长度达公里”“可耕地面积亩”“路灯 盏”。",
         "做法: 投资万元新建长约米的科普画廊", "在量词前补上数字：投资12万元，长约30米。"),
    Rule("CC204", "日期不在报告期内", E, "活动日期（或结束日期）在报告期之外。",
         "报告期: {开始: 2026-01-01, 结束: 2026-06-30}\n宣传发动:\n  - {日期: 2026-07-05, 名称: ……}",
         "改正日期，或把活动放到它所属报告期的文件里。"),
    Rule("CC205", "结束日期早于开始日期", E, "报告期或活动的结束日期早于开始日期。",
         "- {日期: 2026-03-10, 结束日期: 2026-03-01, 名称: ……}", "交换或改正两个日期。", stops=True),
    Rule("CC206", "日期晚于今天", E, "活动日期在今天之后：总结只写已经做过的事。",
         "- {日期: 2099-03-05, 名称: ……}", "改正日期；计划中的工作写进“下一步”。"),
    Rule("CC207", "活动重复", W, "同一天、同一名称的活动写了两次（常见于复制粘贴）。",
         "宣传发动:\n  - {日期: 3月5日, 名称: 学雷锋主题宣传活动}\n  - {日期: 3月5日, 名称: 学雷锋主题宣传活动}",
         "删除重复的一项，或改正其日期和名称。"),
    Rule("CC208", "数量为零或负数", E,
         "数量、参与人数或志愿者人数为 0 或负数（负数在读入时就会发现，文件无法继续检查，不能忽略）。",
         "数量: {悬挂横幅: 0条}", "写实际数量；没有做的事项直接删除。"),
    Rule("CC209", "数字不合常理", W,
         "一次活动的参与人次超过常住人口的 2 倍、注册志愿者或一次活动的志愿者多于常住人口、物品数量上千万。",
         "基本情况: {常住人口: 3500人}\n宣传发动:\n  - {日期: 3月5日, 名称: ……, 参与: 2万人次}",
         "核对数字（是否多写了 0，单位是否写错）。"),
    Rule("CC210", "存在问题或下一步没有内容", E, "“存在问题”“下一步”只写了“无”“暂无”“略”等。",
         "存在问题: [无]", "如实写出存在的不足和下一步的打算，各至少一条。"),
    Rule("CC211", "照片不存在或无法读取", E, "照片路径指向的文件不存在，或不是能读取的图片（已损坏、HEIC 等格式）。",
         "照片: [photos/0305-1.jpg]   # 文件夹里没有这张照片", "把照片放到该路径或改正路径；HEIC 照片先转成 JPG。"),
    Rule("CC212", "多个单位雷同", W, "同一句话（12 个字以上）出现在 3 个及以上单位的“存在问题”或“下一步”里。",
         "存在问题: [部分居民对创建工作的认识还不够到位，参与度有待提高]   # 另有 5 个单位一字不差",
         "写本单位的实际问题和打算。"),
    Rule("CC213", "中文里的英文撇号", W, "中文文字中夹着英文撇号“'”（常见于从网页复制）。",
         "说明: 加强社区的'文明建设", "删除撇号，或改用中文引号“”。"),
    Rule("CC214", "没有写存在问题或下一步", W,
         "没有写“存在问题”或“下一步”（或写成了空列表）：总结会略去这一部分，但区里一般要求写。",
         "存在问题: []", "如实写出存在的不足和下一步的打算，各至少一条。"),
    Rule("CC215", "上期文件不对", E,
         "“上期”指向的文件不存在、在区文件夹的上一级之外、无法读取，或不是本单位更早报告期的文件。",
         "上期: ../2025年下半年/桃源村.yaml   # 本文件是 官塘社区",
         "改正路径，指向本单位上一个报告期的文件；没有就删去“上期”。"),
    Rule("CC301", "注册志愿者占比不足", W, "注册志愿者占常住人口的比例低于指标（默认 8%）；两者都写了才检查。",
         "基本情况: {常住人口: 35000人}\n志愿服务: {注册志愿者: 2000人}",
         "动员更多居民注册志愿者；数字有误则改正。"),
    Rule("CC302", "有季度没有宣传活动", W, "报告期内某个季度没有一次宣传发动活动（测评体系要求宣传栏每季度更新）。",
         "宣传发动:\n  - {日期: 2026-01-20, 名称: ……}   # 4—6 月没有宣传活动",
         "补记该季度的宣传活动；确实没有则在下一步中安排。"),
    Rule("CC303", "核心板块没有内容", W,
         "组织领导、宣传发动、环境整治、志愿服务、基础设施、道德建设中有板块没有写，或既没有活动也没有做法、成效"
         "（写成做法的常规工作也算）。",
         "道德建设: []", "补记该板块的活动或做法；没有写的板块，按提示的位置补上。"),
    Rule("CC401", "名单上的单位未报送", E, "区文件“单位名单”中的单位没有对应的单位文件（按单位名称对应）。",
         "单位名单: [{名称: 桃源村}]   # 文件夹里没有桃源村的文件",
         "催报；或检查单位文件中的“单位.名称”是否与名单一致。"),
    Rule("CC402", "单位不在名单上", W, "单位文件的单位名称不在区文件的“单位名单”里。",
         "单位: {名称: 官塘社区居委会}   # 名单上写的是 官塘社区", "统一名称，或把该单位加入名单。"),
    Rule("CC403", "同一单位报送了多个文件", E, "两个及以上文件写的是同一个单位名称。",
         "（官塘社区.yaml 和 官塘社区(1).yaml 都写 名称: 官塘社区）", "删除多余的文件，只保留最新的一份。"),
    Rule("CC404", "报告期与区不一致", E, "单位文件的报告期与区文件的报告期不同。",
         "报告期: {开始: 2025-07-01, 结束: 2025-12-31}   # 区里收的是 2026 年上半年", "按区里要求的报告期填写。"),
    Rule("CC405", "单位类型与名单不一致", W, "单位文件的类型与区文件名单上的类型不同。",
         "单位: {名称: 官塘社区, 类型: 村}   # 名单上是 社区", "改正其中之一。"),
    Rule("CC406", "已过截止日期", W, "今天已过区文件的截止日期，仍有单位未报送或有错误。",
         "截止日期: 2026-07-10   # 今天是 7 月 12 日，还有 2 个单位未报送", "尽快催报、催改。"),
    Rule("CC407", "没有区文件", W, "检查文件夹时没有找到 district.yaml（或 区.yaml），无法核对名单和截止日期。",
         "（江城区/ 下只有单位文件）", "在文件夹根目录放一个区文件，写明区、报告期、截止日期和单位名单。"),
    Rule("CC408", "报告文件名冲突", E,
         "同一文件夹里两个单位的报告会是同一个文件名（名称相同、只差大小写或 Windows 不允许的字符），"
         "或单位名称与区级汇总同名；生成时这些单位都不生成报告，以免互相覆盖。",
         "单位: {名称: 城东/城西联合社区}   # 另一个文件写 城东:城西联合社区，都成为 城东_城西联合社区.docx",
         "核对单位名称：同一单位只保留一个文件，不同单位写全称。"),
)}


def _expand(patterns: Iterable[str], where: str) -> set[str]:
    chosen: set[str] = set()
    for raw in patterns:
        for pattern in (p.strip().upper() for p in raw.split(",")):
            if not pattern:
                continue
            matched = set(RULES) if pattern == "ALL" else {c for c in RULES if c.startswith(pattern)}
            if not matched:
                raise UsageError(f"{where}：没有规则“{pattern}”；规则代码形如 CC201，也可以写前缀 CC2 或 ALL"
                                 "（chuangcheng rules 列出全部规则）")
            chosen |= matched
    return chosen


@dataclass(frozen=True)
class Selection:
    """Which rules are on, as ruff chooses them: ``select`` (default all) minus ``ignore``."""

    enabled: frozenset[str]

    @classmethod
    def parse(cls, select: Iterable[str] = (), ignore: Iterable[str] = (), where: str = "--select/--ignore"
              ) -> Selection:
        chosen = _expand(select, where) or set(RULES)
        return cls(frozenset(chosen - _expand(ignore, where)))

    def __contains__(self, code: str) -> bool:
        return code in self.enabled
