"""决算公开 document engine: workbook → model → checks → figures → narrative → .docx."""

__version__ = "0.1.0"
