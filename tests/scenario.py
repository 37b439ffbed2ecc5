"""A district inbox with the mess a real one has, and the verdict each unit must get.

:func:`build` writes a district folder (its roster grouped by 所属, with contacts and aliases)
and unit files made from the examples: units that pass, one sent twice, placeholders left in,
a YAML syntax error, another period, a GBK file, a Word file and a ``.yaml.txt`` instead of a
unit file, a name written with 居委会 or an alias, a unit off the roster, units that sent
nothing. It returns what it made, so that tests check every count against it.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import EXAMPLES

SOURCE = EXAMPLES / "石城街道" / "官塘社区.yaml"
GROUPS = ("石城街道", "柳岸街道", "桃源镇")


@dataclass
class Scenario:
    folder: Path
    expected: dict[str, str] = field(default_factory=dict)  # roster unit → verdict
    unlisted: list[str] = field(default_factory=list)  # names of files off the roster
    groups: dict[str, str] = field(default_factory=dict)  # roster unit → 所属
    written_as: dict[str, str] = field(default_factory=dict)  # roster unit → the name its file gives

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.expected.values())

    @property
    def accepted(self) -> list[str]:
        return [n for n, v in self.expected.items() if v in {"通过", "有警告"}]

    def report_names(self, units: list[str] | set[str]) -> list[str]:
        """The reports' names: a unit's report is named as its file names it."""
        return sorted(self.written_as.get(n, n) for n in units)


def _unit(text: str, name: str) -> str:
    """The example as unit ``name``: its problems and next steps its own (not copied, CC212)."""
    head, tail = text.replace("名称: 官塘社区", f"名称: {name}", 1).split("存在问题:", 1)
    return head + "存在问题:" + tail.replace("\n  - ", f"\n  - {name}", 7)


def build(root: Path, passing: int = 12) -> Scenario:
    """The district under ``root / 江城区``."""
    folder = root / "江城区"
    folder.mkdir(parents=True)
    shutil.copytree(EXAMPLES / "石城街道" / "照片", folder / "照片")
    source = SOURCE.read_text(encoding="utf-8")
    scene = Scenario(folder)
    roster: list[str] = []

    def listed(name: str, verdict: str, extra: str = "") -> None:
        group = GROUPS[len(roster) % len(GROUPS)]
        scene.expected[name] = verdict
        scene.groups[name] = group
        roster.append(f"  - {{名称: {name}, 类型: 社区, 所属: {group}, 联系人: 联系人{len(roster)}, "
                      f"电话: 0717-55{len(roster):05d}{extra}}}")

    def write(file: str, text: str, encoding: str = "utf-8") -> None:
        (folder / file).write_bytes(text.encode(encoding))

    for i in range(passing):
        name = f"第{i + 1}社区"
        listed(name, "通过")
        write(f"{name}.yaml", _unit(source, name))
    listed("重报社区", "重复报送")
    write("重报社区.yaml", _unit(source, "重报社区"))
    write("重报社区（修改版）.yaml", _unit(source, "重报社区"))
    listed("占位社区", "退回修改")
    write("占位社区.yaml", _unit(source, "占位社区").replace("存在问题:\n", "存在问题:\n  - XX问题\n", 1))
    listed("语法社区", "退回修改")
    write("语法社区.yaml", _unit(source, "语法社区").replace("  类型: 社区", "  类型：社区", 1))
    listed("上期社区", "报告期不符")
    write("上期社区.yaml", _unit(source, "上期社区").replace("开始: 2026-01-01", "开始: 2025-07-01", 1)
          .replace("结束: 2026-06-30", "结束: 2025-12-31", 1).replace("2026-", "2025-"))
    listed("编码社区", "有警告")
    write("编码社区.yaml", _unit(source, "编码社区"), "gb18030")
    listed("文档社区", "无法读取")
    write("文档社区.doc", "\ufeffa Word 97 document")
    listed("后缀社区", "无法读取")
    write("后缀社区.yaml.txt", _unit(source, "后缀社区"))
    listed("居委社区", "通过")
    write("居委社区居委会.yaml", _unit(source, "居委社区居委会"))
    scene.written_as["居委社区"] = "居委社区居委会"
    listed("别名社区", "通过", ", 别名: [别名社区筹备组]")
    write("别名社区筹备组.yaml", _unit(source, "别名社区筹备组"))
    scene.written_as["别名社区"] = "别名社区筹备组"
    for name in ("未报一社区", "未报二社区"):
        listed(name, "未报送")
    scene.unlisted = ["名单外社区"]
    write("名单外社区.yaml", _unit(source, "名单外社区"))
    district = (EXAMPLES / "district.yaml").read_text(encoding="utf-8")
    head = district.split("单位名单:", 1)[0]
    write("district.yaml", head + "单位名单:\n" + "\n".join(roster) + "\n")
    return scene
