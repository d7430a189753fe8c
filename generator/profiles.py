"""Profiles: a folder with the Word template (the text and look) and ``profile.toml`` (settings).

The template holds every sentence and section; the settings only decide what is not text:
table order (and so the 公开NN表 numbers), table titles, percent decimals, thousands
separators in text, whether zero items are listed, the table layout variant. ``--profile``
takes a shipped name (a folder of ``templates/``) or the path of any such folder. The
settings are validated on load: an unknown key is one clear line listing the valid ones.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import InputError
from .keys import CLASS_NAMES
from .model import TABLE_TITLES, TableKind
from .phrasing import Settings
from .rowsets import FRAMED

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_PROFILE = "上海2024"
VARIANTS = ("2018", "湖南2020", "2024")


class LookSettings(BaseModel):
    """``[look]``: what a profile may change of the official print layout (see official_look.Look)."""

    model_config = ConfigDict(extra="forbid")

    page_numbers: Literal["outside", "center", "centre", "居中"] = "outside"
    landscape: list[str] = []
    rounding_note: Literal["when_warned", "always", "never"] = "when_warned"
    rounding_note_text: str = ""


def _known_table_names(names, problem: str):
    """``names`` (a list or a dict's keys) must all be TableKind names; else one line listing the valid ones."""
    bad = [t for t in names if t not in TableKind.__members__]
    if bad:
        raise ValueError(problem.format("、".join(bad)) + f"，可用的表：{'、'.join(TableKind.__members__)}")
    return names


class ProfileSettings(BaseModel):
    """The keys ``profile.toml`` may hold (anything else is refused)."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    description: str = ""
    percent_decimals: int = 2
    thousands_in_text: bool = True
    list_zero_items: bool = False
    table_variant: Literal["2018", "湖南2020", "2024"] = "2024"
    tables: list[str] = [k.value for k in TableKind]
    titles: dict[str, str] = {}
    list_numbering: Literal["1．", "1、", "1."] = "1．"  # 三级() numbers: 1． / 1、 / 1.
    terms: dict[str, str] = {}  # [terms]: this format's names for standard terms, in tables and text
    look: LookSettings = LookSettings()  # print layout (official_look.Look reads it)
    rows: dict[str, list[str]] = {}  # [rows]: the 类 codes 公开01/04 print, in the format's order (rowsets)

    @field_validator("rows")
    @classmethod
    def _known_rows(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        framed = [k.value for k in FRAMED]
        bad = [k for k in v if k not in framed]
        if bad:
            raise ValueError(f"[rows] 只能设定 {'、'.join(framed)}，不认识“{'、'.join(bad)}”")
        for key, codes in v.items():
            unknown = [c for c in codes if c not in CLASS_NAMES]
            if unknown:
                raise ValueError(f'[rows] {key} 中“{"、".join(unknown)}”不是功能分类的类级科目编码（如 "201"）')
            twice = sorted({c for c in codes if codes.count(c) > 1})
            if twice:
                raise ValueError(f"[rows] {key} 中“{'、'.join(twice)}”重复")
        return v

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, v: list[str]) -> list[str]:
        return _known_table_names(v, "未知的表“{}”")

    @field_validator("titles")
    @classmethod
    def _known_titles(cls, v: dict[str, str]) -> dict[str, str]:
        return _known_table_names(v, "[titles] 中未知的表“{}”（章节标题写在 template.docx 里）")

    @field_validator("percent_decimals")
    @classmethod
    def _decimals(cls, v: int) -> int:
        if not 0 <= v <= 4:
            raise ValueError("percent_decimals 应为 0 到 4")
        return v


@dataclass
class Profile:
    name: str
    folder: Path
    description: str = ""
    settings: Settings = field(default_factory=Settings)
    tables: list[TableKind] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    variant: str = "2024"  # table layout variant: "2018" | "湖南2020" | "2024"
    custom_template: Path | None = None  # build --template: another .docx, same settings
    rows: dict[str, list[str]] = field(default_factory=dict)  # 公开01/04: the format's 类 rows (rowsets)

    @property
    def template(self) -> Path:
        return self.custom_template or self.folder / "template.docx"

    def title(self, key: str) -> str:
        """A table's title: the profile's wording, else the standard one."""
        if key in self.titles:
            return self.titles[key]
        if key in TableKind.__members__:
            return TABLE_TITLES[TableKind(key)]
        return key

    def table_number(self, kind: TableKind) -> str:
        """ "公开07表" — computed from this profile's table order, never stored in the model."""
        return f"公开{self.tables.index(kind) + 1:02d}表"


def available() -> list[str]:
    return sorted(p.parent.name for p in TEMPLATES.glob("*/profile.toml"))


def _folder(name: str) -> Path:
    """A shipped name, or the path of a folder with profile.toml (and template.docx)."""
    shipped = TEMPLATES / name
    if (shipped / "profile.toml").is_file():
        return shipped
    path = Path(name)
    if path.is_file() and path.name == "profile.toml":
        path = path.parent
    if (path / "profile.toml").is_file():
        return path
    if path.is_dir():
        raise InputError("文件夹中没有 profile.toml，不是文档格式文件夹（应有 profile.toml 和 template.docx）。", file=str(path))
    raise InputError(f"没有名为“{name}”的文档格式。可用的格式：{'、'.join(available())}；也可以给出格式文件夹的路径（含 profile.toml 和 template.docx）。")


def _settings(path: Path) -> ProfileSettings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"格式设置文件有错误，无法读取（{exc}）。", file=str(path)) from None
    try:
        return ProfileSettings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(x) for x in err["loc"]) or "（整个文件）"
        if err["type"] == "extra_forbidden":
            valid = "、".join(ProfileSettings.model_fields)
            hint = "（章节和句子写在 template.docx 里）" if key in ("sections", "other_items", "part1", "overview", "fiscal_overview") else ""
            raise InputError(f"未知的设置“{key}”{hint}。可用的设置：{valid}。", file=str(path)) from None
        raise InputError(f"设置“{key}”有误：{err['msg'].removeprefix('Value error, ')}。", file=str(path)) from None


def load_profile(name: str | Path | None = None, template: str | Path | None = None) -> Profile:
    folder = _folder(str(name or DEFAULT_PROFILE))
    s = _settings(folder / "profile.toml")
    profile = Profile(
        name=s.name or folder.name,
        folder=folder,
        description=s.description,
        settings=Settings(
            percent_decimals=s.percent_decimals,
            thousands_in_text=s.thousands_in_text,
            list_zero_items=s.list_zero_items,
            list_numbering=s.list_numbering,
            terms=tuple(s.terms.items()),
        ),
        tables=[TableKind(t) for t in s.tables],
        titles=dict(s.titles),
        variant=s.table_variant,
        rows={k: list(v) for k, v in s.rows.items()},
    )
    if template is not None:
        path = Path(template)
        if not path.exists():
            raise InputError("找不到指定的 Word 模板。", file=str(template))
        profile.custom_template = path
    elif not profile.template.is_file():
        raise InputError("格式文件夹中没有 template.docx。", file=str(folder))
    return profile
