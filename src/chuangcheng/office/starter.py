"""``chuangcheng init``: a starter unit file with every section and a Chinese comment on each key.

What the unit must fill in is marked so that ``validate`` finds it: ``XX`` in text (CC201) and
``0`` in amounts (CC208). Once those are replaced, the file passes ``validate``.
"""

from __future__ import annotations

import datetime as dt
from string import Template

from ..load.layout import Layout
from ..load.models import UNIT_TYPES

SCHEMA_FILE = "chuangcheng-unit.schema.json"

# Per type: the unit's name, who leads it, and a few activities that suit it.
_KINDS: dict[str, tuple[str, str, str, str]] = {
    # type: (name, parent, publicity activity, infrastructure item)
    "社区": ("XX社区", "XX街道党工委", "文明城市创建入户宣传", "修复破损路面"),
    "街道": ("XX街道办事处", "XX区委、区政府", "文明城市创建集中宣传", "改造背街小巷"),
    "村": ("XX村", "XX镇党委", "移风易俗宣传", "硬化村组道路"),
    "医院": ("XX医院", "XX区卫生健康局", "文明就医宣传", "改造无障碍设施"),
    "学校": ("XX学校", "XX区教育局", "文明校园主题宣传", "改造校园文化墙"),
    "幼儿园": ("XX幼儿园", "XX区教育局", "文明家庭亲子宣传", "改造园内活动场地"),
    "企业": ("XX有限公司", "XX区国资委", "诚信经营宣传", "改造厂区绿化带"),
    "机关": ("XX局", "XX区委、区政府", "文明单位创建宣传", "改造机关院落"),
    "其他": ("XX单位", "XX主管部门", "文明城市创建宣传", "改造办公场所"),
}

_TEXT = Template("""\
# yaml-language-server: $$schema=./$schema
# $name $label创城工作台账：把 XX 换成实际内容，把 0 换成实际数量，没有做的事项整行删除。
# 填好后运行 chuangcheng validate 本文件 检查，chuangcheng render 本文件 生成总结。
# 键可以写中文或英文（如 名称 或 name）；每个键后是英文冒号加空格“: ”，缩进只用空格。

单位:                           # unit（必填）
  名称: $name               # name（必填）：单位全称，生成的文件以它命名
  类型: $type                    # type（必填）：$types
  上级: $parent          # parent：写进“在……的正确领导下”
  指导: XX区文明办               # guided_by：写进“在……的具体指导下”；没有就删除这一行
  # 简介: 位于XX，是XX            # about：写进“基本情况”的介绍，一句或几句
  基本情况:                      # profile：写进“基本情况”，每项“名称: 数量或文字”
    辖区面积: 0平方公里
    常住人口: 0人                # 写了常住人口和注册志愿者，才能检查志愿者占比（8%）

报告期:                          # period（必填）
  开始: $start              # start：2026-01-01 这样的日期
  结束: $end              # end
  名称: $label              # label：不写则按日期生成

创建目标: 全国文明城市            # goal：也可以是 省级文明城市、全国文明城区 等
# 引言: XX                        # preface：本单位自己写的开头一段；报告接着写本期的主要数字
# 上期: ../2025年下半年/XX.yaml    # previous：本单位上一期的文件，写了就与上期比较主要数字

组织领导:                        # leadership
  领导小组: 以XX为组长的创城工作领导小组   # group
  工作机制: [XX]                 # mechanisms：一项一句，如 [周调度、月总结, 网格员包楼栋]
  活动:                          # activities：会议、督查等
    - 日期: $d1                  # date：$start、${m1}月${d1day}日，或只知道大概时写 ${m1}月、${m1}月上旬、一季度；
                                 #   整个报告期都在做的工作不写日期
      名称: XX创城工作推进会      # title（必填）
      参与: 0人次                 # participants：默认单位“人次”

宣传发动:                        # publicity：测评体系要求每个季度都有宣传活动
  - 日期: $d2
    名称: $publicity
    地点: XX                      # place
    数量:                         # quantities：做了什么，每项“事项: 数量+量词”
      悬挂横幅: 0条
      发放宣传单: 0份
    参与: 0人次
    志愿者: 0人                   # volunteers：默认单位“人”
    说明: XX                      # description：一句或几句话
    照片: []                      # photos：照片路径，相对于本文件，如 [照片/0305.jpg]
  - 日期: $d5
    名称: XX主题宣传活动
    参与: 0人次
  - 名称: XX文明交通劝导          # 没有日期：整个报告期都在做的工作
    次数: 1                       # times：报告期内开展的次数，如每周一次写 26
    组织: XX                      # organiser：组织者（不是整个单位时），如 街道团工委
    对象: 居民                    # audience：参与的是谁：居民、党员、家长、师生、职工……
    参与: 0人次

环境整治:                        # sanitation
  - 日期: $d3
    名称: XX环境卫生整治行动
    数量:
      清理卫生死角: 0处
      清运垃圾: 0吨
    志愿者: 0人

志愿服务:                        # volunteering
  注册志愿者: 0人                # registered
  队伍: [XX志愿服务队]            # teams
  活动:
    - 日期: $d4
      名称: XX志愿服务活动
      志愿者: 0人

基础设施:                        # infrastructure
  - 日期: $d4
    名称: $infrastructure
    数量:
      XX: 0处

道德建设:                        # civic_morality：道德讲堂、好人评选、文明家庭……
  - 日期: $d5
    名称: XX道德讲堂
    参与: 0人次

# 其他工作:                      # other：本单位自设的工作，按顺序排在最后
#   - 标题: XX                   # title（必填）
#     做法: [XX]                 # measures
#     活动: []

# 成效: [XX]                     # results：整个报告期的成效（各板块的成效写在板块里）
# 亮点: [XX]                     # highlights：本单位有、别的单位没有的做法
# 荣誉:                          # honours：每项写名称，可加 授予、日期、获得者
#   - {名称: XX, 授予: XX, 日期: 2026年3月}

存在问题:                        # problems：如实写出不足（不写时报告略去这一部分，检查时提醒）
  - XX
下一步:                          # next_steps：下一步的打算（不写时同上）
  - XX

落款:                            # signoff
  署名: $name               # signer：默认为单位名称
  日期: $end              # date：默认为报告期结束日期
""")


def half_year(today: dt.date) -> tuple[dt.date, dt.date, str]:
    """The half-year ``today`` falls in: the usual period of a 创城 summary."""
    if today.month <= 6:
        return dt.date(today.year, 1, 1), dt.date(today.year, 6, 30), f"{today.year}年上半年"
    return dt.date(today.year, 7, 1), dt.date(today.year, 12, 31), f"{today.year}年下半年"


def starter(unit_type: str, today: dt.date) -> str:
    """The starter file's text for a unit of ``unit_type`` (one of :data:`UNIT_TYPES`)."""
    name, parent, publicity, infrastructure = _KINDS[unit_type]
    start, end, label = half_year(today)
    # one activity in each month of the period's first and second quarter (so CC302 holds)
    days = [start.replace(month=start.month + k, day=10) for k in (0, 1, 2, 3, 4)]
    return _TEXT.substitute(
        schema=SCHEMA_FILE, name=name, type=unit_type, types="|".join(UNIT_TYPES), parent=parent,
        start=start.isoformat(), end=end.isoformat(), label=label, publicity=publicity,
        infrastructure=infrastructure, m1=start.month, d1day=10,
        **{f"d{i}": d.isoformat() for i, d in enumerate(days, 1)},
    )


REFERENCE_SAMPLE = """\
# 参考文档（样式示例）

这是 chuangcheng 的参考文档，用法：chuangcheng render 单位.yaml --reference-docx 本文件.docx，
或在区文件里写“版式: {参考文档: 本文件.docx}”。生成总结时，只取用本文件的页面设置、样式、页眉和页脚，
这里的正文不会出现在总结里。

修改方法：在 Word 或 WPS 中打开本文件，在“样式”窗格里修改各个样式（正文、标题、标题 1 至 4、落款、
表格文字等），不要直接改下面文字的格式；在页眉里放本单位的信笺抬头或标志；页码在页脚里，不需要可删除。

## 一、一级标题（标题 1：黑体）

### （一）二级标题（标题 2：楷体）

#### 1.三级标题（标题 3：仿宋加粗）

##### （1）四级标题（标题 4：仿宋）

正文（样式“正文”）：仿宋_GB2312 三号，两端对齐，首行缩进 2 字，固定值行距 28.95 磅，每页 22 行。

<p class="signoff" align="right">落款单位<br>2026年7月5日</p>

---

**附表**

# 表格示例

| 序号 | 项目 | 数量 |
|:---:|:---|---:|
| 1 | 表格文字 | 10条 |
"""


def reference_docx(layout: Layout | None = None) -> bytes:
    """A reference document to start from: chuangcheng's page setup, styles and page numbers,
    with a page that shows each style (its body is ignored when the document is used)."""
    from .word import build_docx

    return build_docx(REFERENCE_SAMPLE, layout)
