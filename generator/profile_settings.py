"""The keys ``profile.toml`` may hold, validated by pydantic (``profiles`` imports this module
only for a settings file it has not validated before: see ``profiles._settings``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import InputError
from .keys import CLASS_NAMES
from .model import TableKind
from .rowsets import FRAMED


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


def validate(data: dict, path: Path) -> dict:
    """``data`` (the parsed file) checked and completed with the defaults; one clear line when it is wrong."""
    try:
        return ProfileSettings.model_validate(data).model_dump()
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(x) for x in err["loc"]) or "（整个文件）"
        if err["type"] == "extra_forbidden":
            valid = "、".join(ProfileSettings.model_fields)
            hint = "（章节和句子写在 template.docx 里）" if key in ("sections", "other_items", "part1", "overview", "fiscal_overview") else ""
            raise InputError(f"未知的设置“{key}”{hint}。可用的设置：{valid}。", file=str(path)) from None
        raise InputError(f"设置“{key}”有误：{err['msg'].removeprefix('Value error, ')}。", file=str(path)) from None
