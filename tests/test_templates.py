"""User templates: restyled in Word, used with --template; unsafe ones are refused."""

import shutil

import docx
import pytest
from docx.shared import Pt

from generator.errors import InputError
from generator.pipeline import build_book
from generator.profiles import load_profile


def test_a_template_restyled_in_word_is_used_as_is(tmp_path, samples):
    template = tmp_path / "我的模板.docx"
    shutil.copy(load_profile("上海2024").template, template)
    d = docx.Document(template)
    d.styles["决算正文"].font.size = Pt(12)  # what an officer does in Word: change a style
    d.save(template)
    out = tmp_path / "out.docx"
    build_book(samples / "示例单位_2024.xlsx", out, template=template)
    built = docx.Document(out)
    assert built.styles["决算正文"].font.size == Pt(12)
    body = [p for p in built.paragraphs if p.style.name == "决算正文"]
    assert any("本年收入合计2,852.39万元" in p.text for p in body)


def test_a_template_that_reaches_into_python_is_refused(tmp_path, samples):
    template = tmp_path / "恶意模板.docx"
    d = docx.Document(load_profile("上海2024").template)
    d.add_paragraph("{{ title.__class__.__mro__[1].__subclasses__() }}")
    d.save(template)
    with pytest.raises(InputError) as err:
        build_book(samples / "示例单位_2024.xlsx", tmp_path / "out.docx", template=template)
    assert "模板有错误" in str(err.value)
    assert not (tmp_path / "out.docx").exists()


def test_a_missing_template_is_one_clear_error(tmp_path, samples):
    with pytest.raises(InputError, match="找不到指定的 Word 模板"):
        build_book(samples / "示例单位_2024.xlsx", tmp_path / "out.docx", template=tmp_path / "无.docx")
