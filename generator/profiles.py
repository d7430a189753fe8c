"""Profiles: a folder in ``templates/`` with the Word template and a small settings file.

The settings decide what differs by region and year (table order and numbering, which
sections exist and in what order, percent decimals, thousands separators in text, whether
zero items are listed); the model never hard-codes a table's number.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .model import TABLE_TITLES, TableKind
from .phrasing import Settings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_PROFILE = "上海2024"

SECTION_TITLES = {
    "总体": "收入支出决算总体情况说明",
    "收入": "收入决算情况说明",
    "支出": "支出决算情况说明",
    "财政拨款总体": "财政拨款收入支出决算总体情况说明",
    "一般公共预算支出": "一般公共预算财政拨款支出决算情况说明",
    "基本支出": "一般公共预算财政拨款基本支出决算情况说明",
    "三公": "财政拨款“三公”经费支出决算情况说明",
    "政府性基金": "政府性基金预算财政拨款收入支出决算情况说明",
    "国有资本经营": "国有资本经营预算财政拨款收入支出决算情况说明",
    "绩效": "预算绩效管理情况",
    "其他重要事项": "其他重要事项的情况说明",
    "机关运行经费": "机关运行经费支出情况",
    "一般性支出": "一般性支出情况",
    "政府采购": "政府采购支出情况",
    "国有资产": "国有资产占有使用情况",
    "主要职能": "主要职能",
    "机构设置": "机构设置",
    "决算单位构成": "部门决算单位构成",
}


@dataclass
class Profile:
    name: str
    folder: Path
    description: str = ""
    settings: Settings = field(default_factory=Settings)
    overview: str = "收支总计"
    fiscal_overview: str = "收支总计"
    tables: list[TableKind] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    other_items: list[str] = field(default_factory=list)
    part1: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    variant: str = "2024"  # table layout variant: "2018" | "湖南2020" | "2024"
    custom_template: Path | None = None  # build --template: another .docx, same settings

    @property
    def template(self) -> Path:
        return self.custom_template or self.folder / "template.docx"

    def title(self, key: str) -> str:
        """A section's or table's title: the profile's wording, else the standard one."""
        if key in self.titles:
            return self.titles[key]
        if key in TableKind.__members__:
            return TABLE_TITLES[TableKind(key)]
        return SECTION_TITLES.get(key, key)

    def table_number(self, kind: TableKind) -> str:
        """"公开07表" — computed from this profile's table order, never stored in the model."""
        return f"公开{self.tables.index(kind) + 1:02d}表"


def available() -> list[str]:
    return sorted(p.parent.name for p in TEMPLATES.glob("*/profile.toml"))


def load_profile(name: str | None = None, template: str | Path | None = None) -> Profile:
    name = name or DEFAULT_PROFILE
    folder = TEMPLATES / name
    settings_file = folder / "profile.toml"
    if not settings_file.exists():
        raise InputError(f"没有名为“{name}”的文档格式。可用的格式：{'、'.join(available())}。")
    try:
        data = tomllib.loads(settings_file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"格式设置文件有错误，无法读取（{exc}）。", file=str(settings_file)) from None
    profile = Profile(
        name=data.get("name", name),
        folder=folder,
        description=data.get("description", ""),
        settings=Settings(
            percent_decimals=int(data.get("percent_decimals", 2)),
            thousands_in_text=bool(data.get("thousands_in_text", True)),
            list_zero_items=bool(data.get("list_zero_items", False)),
        ),
        overview=data.get("overview", "收支总计"),
        fiscal_overview=data.get("fiscal_overview", "收支总计"),
        tables=[TableKind(t) for t in data.get("tables", [k.value for k in TableKind])],
        sections=list(data.get("sections", [])),
        other_items=list(data.get("other_items", [])),
        part1=list(data.get("part1", ["主要职能", "机构设置", "决算单位构成"])),
        titles=dict(data.get("titles", {})),
        variant=str(data.get("table_variant", "2024")),
    )
    if template is not None:
        path = Path(template)
        if not path.exists():
            raise InputError("找不到指定的 Word 模板。", file=str(template))
        profile.custom_template = path
    return profile
