"""The Word template is the format: its text is the document's text, numbering follows what
the template contains, and template mistakes are clear lines (issue 8 acceptance)."""

from __future__ import annotations

import re

import docx
import pytest
from template_edit import copy_profile, delete_section, edit_document, swap_tables
from typer.testing import CliRunner

from generator.cli import app
from generator.errors import InputError
from generator.keys import cn_number
from generator.pipeline import build_book
from generator.profiles import load_profile
from generator.render import REQUIRED_STYLES, check_template

runner = CliRunner()
SHIPPED = ["上海2024", "湖南2020", "2018", "中央2024"]


def doc_text(path) -> str:
    return "\n".join(p.text for p in docx.Document(path).paragraphs)


def replace_in_text(old: str, new: str):
    """Reword inside <w:t> only (what Word's find-and-replace does), never inside tags' XML."""
    return lambda xml: re.sub(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)", lambda m: m.group(1) + m.group(2).replace(old, new) + m.group(3), xml)


# ---- the committed templates: structure, not bytes --------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_template_has_styles_tables_and_passes_check(name):
    profile = load_profile(name)
    d = docx.Document(profile.template)
    styles = {s.name for s in d.styles}
    assert set(REQUIRED_STYLES) <= styles
    xml = d.element.xml
    for kind in profile.tables:
        assert f"{{%tr for r in tables.{kind.value}.rows %}}" in xml
    assert check_template(profile) == []


# ---- rewording in the template changes the document --------------------------------------------


def test_comparison_reworded_in_shanghai_template(tmp_path, samples):
    # the 上海2024 template compares with "与2023年度相比，…" and "比2023年度…"; both are template text
    folder = copy_profile("上海2024", tmp_path)
    edit_document(folder, lambda xml: replace_in_text("年度相比，", "年度比较，")(replace_in_text("'比' ~ 上年度", "'较' ~ 上年度")(xml)))
    out = tmp_path / "out.docx"
    build_book(samples / "示例单位_2024.xlsx", out, profile_name=str(folder))
    body = doc_text(out)
    assert "与2023年度比较，收入支出总计增加393.16万元，增长14.75%" in body  # 3,058.79 − 2,665.63 = 393.16; 393.16 / 2,665.63 = 14.749…%
    assert "较2023年度减少0.44万元，下降4.33%" in body  # 三公: 9.71 − 10.15 = −0.44; 0.44 / 10.15 = 4.334…%
    assert "比2023年度" not in body and "年度相比" not in body and "比上年" not in body
    default = tmp_path / "default.docx"
    build_book(samples / "示例单位_2024.xlsx", default)
    assert "与2023年度相比，收入支出总计增加393.16万元" in doc_text(default)


def test_hunan_sentence_reworded_in_template(tmp_path, samples):
    folder = copy_profile("湖南2020", tmp_path)
    edit_document(folder, replace_in_text("年度收入总计、支出总计均为", "年度收支总计均为"))
    out = tmp_path / "out.docx"
    build_book(samples / "益阳市智慧城市和大数据中心_2020.xlsx", out, profile_name=str(folder))
    body = doc_text(out)
    assert re.search(r"2020年度收支总计均为[\d,.]+万元。", body)
    assert "收入总计、支出总计均为" not in body


def test_own_profile_folder_reworded_section_deleted_tables_swapped(tmp_path, samples):
    folder = copy_profile("上海2024", tmp_path)

    def edit(xml: str) -> str:
        xml = replace_in_text("主要用于以下方面：", "分类情况如下：")(xml)
        xml = delete_section(xml, "支出决算情况说明")
        return swap_tables(xml, "income", "expenditure")

    edit_document(folder, edit)
    toml = (folder / "profile.toml").read_text("utf-8")
    (folder / "profile.toml").write_text(toml.replace('"income", "expenditure"', '"expenditure", "income"'), "utf-8")
    assert check_template(load_profile(str(folder))) == []
    out = tmp_path / "out.docx"
    build_book(samples / "示例单位_2024.xlsx", out, profile_name=str(folder))
    paras = docx.Document(out).paragraphs
    body = doc_text(out)
    assert "分类情况如下：一般公共服务支出（类）" in body and "主要用于以下方面" not in body
    # tables: numbered 01 … 09 in order, 02 is now 支出决算表 and 03 收入决算表
    numbers = [p.text for p in paras if p.style.name == "决算表号"]
    assert numbers == [f"公开{i:02d}表" for i in range(1, 10)]
    titles = [p.text for p in paras if p.style.name == "决算表题"][:3]
    assert titles == ["收入支出决算总表", "支出决算表", "收入决算表"]
    # part 3: no 支出决算情况说明, and 一、二、三… without a gap
    h1 = [p.text for p in paras if p.style.name == "决算一级"]
    part3 = h1[h1.index("一、收入支出决算总体情况说明") :]
    part3 = part3[: next(i for i, h in enumerate(part3) if h.endswith("其他重要事项的情况说明")) + 1]
    assert [h.split("、", 1)[0] for h in part3] == [cn_number(i) for i in range(1, len(part3) + 1)]
    assert "支出决算情况说明" not in [h.split("、", 1)[1] for h in part3]
    assert part3[2] == "三、财政拨款收入支出决算总体情况说明"
    # the TOC follows the document
    toc = [p.text.split("\t")[0].strip() for p in paras if p.style.name.startswith("toc ")]  # the TOC field's entries
    assert "三、财政拨款收入支出决算总体情况说明" in toc and "三、支出决算情况说明" not in toc
    # 国有资本经营 empty: 上海2024 says so in 第三部分 and under the table (its 说明)
    assert "示例市数据资源局2024年度无国有资本经营预算财政拨款收入和支出。" in body
    assert "说明：示例市数据资源局本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。" in body


# ---- template check ----------------------------------------------------------------------------


def _bad_template(tmp_path):
    folder = copy_profile("上海2024", tmp_path)
    d = docx.Document(folder / "template.docx")
    d.add_paragraph("收支总计的变化：{{ 收支总计 | 变化 }}", style="决算正文")
    d.add_paragraph("另一个数：{{ 不存在的数 }}。", style="决算正文")
    d.save(folder / "template.docx")
    return folder


def test_template_check_names_unknown_filter_and_name_with_paragraphs(tmp_path):
    folder = _bad_template(tmp_path)
    result = runner.invoke(app, ["template", "check", str(folder)])
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    assert any("未知的过滤器“变化”" in line and "收支总计的变化：{{ 收支总计 | 变化 }}" in line for line in lines)
    assert any("未知的名称“不存在的数”" in line and "另一个数：{{ 不存在的数 }}" in line for line in lines)
    single = runner.invoke(app, ["template", "check", str(folder / "template.docx")])
    assert single.exit_code == 2


def test_build_with_a_bad_template_prints_the_same_lines_exit_2(tmp_path, samples):
    folder = _bad_template(tmp_path)
    check = runner.invoke(app, ["template", "check", str(folder)])
    out = tmp_path / "out.docx"
    result = runner.invoke(app, ["build", str(samples / "示例单位_2024.xlsx"), "--profile", str(folder), "-o", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for line in check.stdout.strip().splitlines():
        assert line in result.output
    assert not out.exists()


def test_template_check_clean_exit_0():
    result = runner.invoke(app, ["template", "check", str(load_profile("湖南2020").folder)])
    assert result.exit_code == 0, result.output


def test_template_check_reports_a_tag_cut_across_paragraphs(tmp_path):
    folder = copy_profile("2018", tmp_path)
    d = docx.Document(folder / "template.docx")
    d.add_paragraph("收入总计为{{ 收入总计|money", style="决算正文")
    d.add_paragraph("}}。", style="决算正文")
    d.save(folder / "template.docx")
    problems = check_template(load_profile(str(folder)))
    assert any("标记不完整" in p and "收入总计为{{ 收入总计|money" in p for p in problems)


def test_template_without_a_listed_table_frame_is_reported(tmp_path):
    folder = copy_profile("2018", tmp_path)  # eight table frames, no 国有资本经营
    toml = (folder / "profile.toml").read_text("utf-8")
    (folder / "profile.toml").write_text(toml.replace('"gov_fund"]', '"gov_fund", "state_capital"]'), "utf-8")
    problems = check_template(load_profile(str(folder)))
    assert any("模板中没有" in p and "tables.state_capital.rows" in p for p in problems)


# ---- profile settings are validated -------------------------------------------------------------


def test_unknown_profile_setting_is_one_line_listing_valid_ones(tmp_path):
    folder = copy_profile("上海2024", tmp_path)
    toml = (folder / "profile.toml").read_text("utf-8")
    (folder / "profile.toml").write_text('sections = ["总体"]\n' + toml, "utf-8")
    with pytest.raises(InputError) as err:
        load_profile(str(folder))
    msg = str(err.value)
    assert "未知的设置“sections”" in msg and "template.docx" in msg and "percent_decimals" in msg and "\n" not in msg


def test_unknown_table_in_profile_lists_valid_tables(tmp_path):
    folder = copy_profile("上海2024", tmp_path)
    toml = (folder / "profile.toml").read_text("utf-8")
    (folder / "profile.toml").write_text(toml.replace('"sangong"', '"sangong_x"'), "utf-8")
    with pytest.raises(InputError) as err:
        load_profile(str(folder))
    assert "sangong_x" in str(err.value) and "gov_fund" in str(err.value)


def test_profile_name_or_folder(tmp_path):
    assert load_profile("上海2024").folder.name == "上海2024"
    folder = copy_profile("2018", tmp_path)
    assert load_profile(str(folder)).folder == folder
    with pytest.raises(InputError, match="没有名为“火星2099”的文档格式"):
        load_profile("火星2099")
    with pytest.raises(InputError, match="没有 profile.toml"):
        load_profile(str(tmp_path))


def test_fields_lists_filters_names_and_values(samples, tmp_path):
    result = runner.invoke(app, ["fields", str(samples / "示例单位_2024.xlsx")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("过滤器\tchange_with_reason\t") for line in lines)
    assert any(line.startswith("函数\t二级\t") for line in lines)
    assert "数字\t收入总计\t公开01表!C37\t3,058.79万元" in lines
    out = tmp_path / "fields.xlsx"
    assert runner.invoke(app, ["fields", "-o", str(out)]).exit_code == 0
    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]][:2] == ["类别", "名称（模板中的写法）"]


# ---- 中央2024 ------------------------------------------------------------------------------------


def _figures(trace_path) -> dict[str, set[str]]:
    import json

    shown: dict[str, set[str]] = {}
    for part in json.loads(trace_path.read_text("utf-8"))["parts"]:
        for p in part["paragraphs"]:
            for s in p["sentences"]:
                for f in s["figures"]:
                    shown.setdefault(f["name"], set()).add(f["shown"])
    return shown


def test_central_format_sangong_is_table_09_and_figures_agree_with_shanghai(tmp_path, samples):
    book = samples / "示例单位_2024.xlsx"
    zy, sh = tmp_path / "中央.docx", tmp_path / "上海.docx"
    build_book(book, zy, profile_name="中央2024", trace=True)
    build_book(book, sh, profile_name="上海2024", trace=True)
    paras = docx.Document(zy).paragraphs
    i = next(k for k, p in enumerate(paras) if p.style.name == "决算表号" and p.text == "公开09表")
    assert paras[i + 1].text == "财政拨款“三公”经费支出决算表"
    body = doc_text(zy)
    assert "与2023年度相比，增加393.16万元，增长14.75%" in body  # 3,058.79 − 2,665.63; 393.16 / 2,665.63 = 14.749…%
    assert "比上年" not in body and "公开08表为空表" in body  # 国有资本经营 is 公开08 in this format
    a, b = _figures(zy.with_suffix(".trace.json")), _figures(sh.with_suffix(".trace.json"))
    common = set(a) & set(b)
    assert len(common) > 80
    assert {name: a[name] for name in common} == {name: b[name] for name in common}


def test_check_command_refuses_a_bad_template_with_the_same_lines(tmp_path, samples):
    folder = _bad_template(tmp_path)
    result = runner.invoke(app, ["check", str(samples / "示例单位_2024.xlsx"), "--profile", str(folder)])
    assert result.exit_code == 2
    assert "未知的过滤器“变化”" in result.output and "未知的名称“不存在的数”" in result.output


def test_a_runtime_error_in_a_template_is_one_clear_error(tmp_path, samples):
    folder = copy_profile("上海2024", tmp_path)
    d = docx.Document(folder / "template.docx")
    d.add_paragraph("{{ 年度 / 0 }}", style="决算正文")
    d.save(folder / "template.docx")
    with pytest.raises(InputError, match="模板有错误"):
        build_book(samples / "示例单位_2024.xlsx", tmp_path / "out.docx", profile_name=str(folder))
    assert not (tmp_path / "out.docx").exists()
