"""Intake: reads a workbook (§3) into the typed model. Never imports later stages."""

from .reader import read_workbook

__all__ = ["read_workbook"]
