"""Profiles: a folder with the Word template (the text and look) and ``profile.toml`` (settings).

The template holds every sentence and section; the settings only decide what is not text:
table order (and so the 公开NN表 numbers), table titles, percent decimals, thousands
separators in text, whether zero items are listed, the table layout variant. ``--profile``
takes a shipped name (a folder of ``templates/``) or the path of any such folder. The
settings are validated on load (``profile_settings``, once per file's bytes): an unknown key is one
clear line listing the valid ones.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import template_cache
from .errors import InputError
from .model import TABLE_TITLES, TableKind
from .phrasing import Settings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_PROFILE = "上海2024"
VARIANTS = ("2018", "湖南2020", "2024")


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


def _settings(path: Path) -> dict:
    """The validated settings of ``profile.toml`` (every key, defaults filled in). pydantic checks
    a file the first time this program sees its bytes; the result is kept in the template cache,
    so later runs neither parse nor validate it again (and do not import pydantic)."""
    raw = path.read_bytes()
    key = template_cache.entry_key(raw, "profile.toml")
    hit = template_cache.load(key, "settings")
    if hit is not None:
        return hit[0]["settings"]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"格式设置文件有错误，无法读取（{exc}）。", file=str(path)) from None
    from .profile_settings import validate  # pydantic: only for settings not validated before

    settings = validate(data, path)
    template_cache.store(key, {"settings": settings}, None, "settings")
    return settings


def load_profile(name: str | Path | None = None, template: str | Path | None = None) -> Profile:
    folder = _folder(str(name or DEFAULT_PROFILE))
    s = _settings(folder / "profile.toml")
    profile = Profile(
        name=s["name"] or folder.name,
        folder=folder,
        description=s["description"],
        settings=Settings(
            percent_decimals=s["percent_decimals"],
            thousands_in_text=s["thousands_in_text"],
            list_zero_items=s["list_zero_items"],
            list_numbering=s["list_numbering"],
            terms=tuple(s["terms"].items()),
        ),
        tables=[TableKind(t) for t in s["tables"]],
        titles=dict(s["titles"]),
        variant=s["table_variant"],
        rows={k: list(v) for k, v in s["rows"].items()},
    )
    if template is not None:
        path = Path(template)
        if not path.exists():
            raise InputError("找不到指定的 Word 模板。", file=str(template))
        profile.custom_template = path
    elif not profile.template.is_file():
        raise InputError("格式文件夹中没有 template.docx。", file=str(folder))
    return profile
