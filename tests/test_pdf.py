"""Optional PDF: produced where LibreOffice is installed; a clear message where it is not."""

import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from generator import pdf
from generator.cli import app


def test_without_libreoffice_the_docx_is_built_and_the_user_is_told(tmp_path, samples, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    out = tmp_path / "doc.docx"
    result = CliRunner().invoke(app, ["build", str(samples / "示例单位_2024.xlsx"), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert out.exists() and not out.with_suffix(".pdf").exists()
    assert "未找到 LibreOffice" in result.output


@pytest.mark.skipif(pdf.soffice() is None, reason="LibreOffice is not installed here")
def test_with_libreoffice_a_pdf_with_the_text_is_written(tmp_path, samples):
    out = tmp_path / "doc.docx"
    result = CliRunner().invoke(app, ["build", str(samples / "示例单位_2024.xlsx"), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    produced = out.with_suffix(".pdf")
    assert produced.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(produced), "-"], capture_output=True, text=True).stdout
        assert "2,852.39" in text
