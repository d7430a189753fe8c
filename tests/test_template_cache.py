"""The on-disk cache of compiled templates (generator/template_cache.py): a second process hits
it, a changed template misses it, a corrupt or foreign entry is ignored and rebuilt, and a
cached template gives the same document bytes as a freshly compiled one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from generator import render
from generator.pipeline import build_book
from generator.profiles import load_profile

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "示例单位_2024.xlsx"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(folder))
    render._COMPILED.clear()  # a fresh process, as far as the template is concerned
    yield folder / "templates"
    render._COMPILED.clear()


def fresh(profile):
    render._COMPILED.clear()
    return render.compiled(profile)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bin"))


def test_second_process_hits_the_cache(cache):
    code = "from generator.profiles import load_profile; from generator.render import compiled; print(compiled(load_profile('上海2024')).cached)"
    env = {**os.environ, "JUESUAN_CACHE_DIR": str(cache.parent)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout.strip() for _ in range(2)]
    assert runs == ["False", "True"]
    assert len(entries(cache)) == 1
    assert len(entries(cache.parent / "settings")) == 1  # the validated profile.toml


def test_second_process_skips_pydantic(cache):
    """profile.toml is validated by pydantic once, and zh_CN's number symbols are looked up in babel
    once; a later `check` neither validates nor looks up again, and imports none of pydantic, babel,
    docxtpl, python-docx or lxml: the start-up cost of every run."""
    code = (
        "import sys; from generator.pipeline import check_book; check_book('samples/示例单位_2024.xlsx', '上海2024'); "
        "print(sorted(m for m in ('pydantic', 'babel', 'docxtpl', 'docx', 'lxml', 'openpyxl') if m in sys.modules))"
    )
    env = {**os.environ, "JUESUAN_CACHE_DIR": str(cache.parent)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout.strip() for _ in range(2)]
    # the first run prepares the template, validates the settings and asks babel
    assert runs == ["['babel', 'docx', 'docxtpl', 'lxml', 'pydantic']", "[]"]


def test_number_symbols_are_babels_and_a_bad_cache_entry_is_not_used(cache, monkeypatch):
    """The cached separators are babel's zh_CN ones ("," and "."); an entry that does not hold two
    single characters is ignored and babel is asked again."""
    from generator import locale_symbols, template_cache
    from generator.phrasing import format_amount

    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(cache.parent))
    locale_symbols.separators.cache_clear()
    try:
        _number_symbols_round(locale_symbols, template_cache, format_amount)
    finally:
        locale_symbols.separators.cache_clear()  # the other tests see the real symbols again


def _number_symbols_round(locale_symbols, template_cache, format_amount) -> None:
    assert locale_symbols.separators() == locale_symbols.from_babel() == (",", ".")
    key = template_cache.entry_key(b"zh_CN", "number symbols")
    template_cache.store(key, {"symbols": ["||", "."]}, None, "locale")  # a corrupted entry
    locale_symbols.separators.cache_clear()
    assert locale_symbols.separators() == (",", ".")
    assert template_cache.load(key, "locale")[0]["symbols"] == [",", "."]  # written again
    template_cache.store(key, {"symbols": ["'", ","]}, None, "locale")  # a well-formed entry is what the next start uses
    locale_symbols.separators.cache_clear()
    assert format_amount(Decimal("2140.775")) == "2'140,78"  # 2140.775 → 2,140.78 (HALF_UP), then these symbols


def test_cached_settings_do_not_hide_a_broken_profile(cache, tmp_path):
    """The settings entry is keyed by the file's bytes: an edited profile.toml is validated again."""
    from generator.errors import InputError

    folder = tmp_path / "格式"
    shutil.copytree(ROOT / "templates" / "上海2024", folder)
    assert load_profile(folder).settings.percent_decimals == 2
    toml = folder / "profile.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("percent_decimals = 2", "percent_decimals = 7"), encoding="utf-8")
    with pytest.raises(InputError, match="percent_decimals 应为 0 到 4"):
        load_profile(folder)


def test_cached_template_gives_the_same_document(cache, tmp_path):
    first = build_book(SAMPLE, tmp_path / "a.docx", profile_name="上海2024")
    assert not render.compiled(load_profile("上海2024")).cached
    render._COMPILED.clear()
    build_book(SAMPLE, tmp_path / "b.docx", profile_name="上海2024")
    assert render.compiled(load_profile("上海2024")).cached
    assert first.output.read_bytes() == (tmp_path / "b.docx").read_bytes()


def _edited_copy(src: Path, dest: Path, old: bytes, new: bytes) -> None:
    """The template with one text replaced in its body (a user's edit in Word)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                assert old in data
                data = data.replace(old, new, 1)
            zout.writestr(info, data)


def test_changed_template_misses(cache, tmp_path):
    base = load_profile("上海2024")
    own = tmp_path / "own.docx"
    shutil.copy(base.template, own)
    profile = load_profile("上海2024", template=own)
    assert not fresh(profile).cached
    assert fresh(profile).cached
    _edited_copy(base.template, own, "名词解释".encode(), "名词解释（改）".encode())
    changed = fresh(profile)
    assert not changed.cached  # other bytes: another key
    assert len(entries(cache)) == 2
    narrative = build_book(SAMPLE, tmp_path / "own-out.docx", profile_name="上海2024", template=own).narrative
    assert "名词解释（改）" in narrative.body  # the edit is in the document, not a stale compile


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1] + bytes([b[-1] ^ 0xFF]),  # a flipped byte in the bytecode
        lambda b: b.replace(b'"problems": []', b'"problems": [1]', 1),  # still valid JSON: only the digest tells
        lambda b: b[: len(b) // 2],  # torn write
        lambda b: b"not a cache entry",  # a foreign file
        lambda b: b.replace(b"JUESUAN-TEMPLATE-CACHE-1", b"JUESUAN-TEMPLATE-CACHE-9", 1),  # another format
    ],
    ids=["flipped", "edited", "truncated", "foreign", "magic"],
)
def test_corrupt_entry_is_ignored_and_rebuilt(cache, tmp_path, damage):
    profile = load_profile("上海2024")
    fresh(profile)
    (entry,) = entries(cache)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    again = fresh(profile)
    assert not again.cached  # ignored, compiled afresh
    assert entry.read_bytes() == good  # and rewritten
    assert fresh(profile).cached
    build_book(SAMPLE, tmp_path / "x.docx", profile_name="上海2024")


def test_entry_of_another_key_is_not_used(cache):
    profile = load_profile("上海2024")
    fresh(profile)
    (entry,) = entries(cache)
    other = load_profile("湖南2020")
    fresh(other)
    (second,) = [e for e in entries(cache) if e != entry]
    second.write_bytes(entry.read_bytes())  # a valid entry under the wrong name
    assert not fresh(other).cached


def test_folder_writable_by_others_is_not_used(cache):
    profile = load_profile("上海2024")
    fresh(profile)
    if not hasattr(os, "getuid"):
        pytest.skip("POSIX permissions")
    cache.chmod(0o777)
    assert not fresh(profile).cached
    cache.chmod(0o700)
    assert fresh(profile).cached


def test_cache_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("JUESUAN_CACHE_DIR", "off")
    render._COMPILED.clear()
    try:
        assert not render.compiled(load_profile("上海2024")).cached
        render._COMPILED.clear()
        assert not render.compiled(load_profile("上海2024")).cached
    finally:
        render._COMPILED.clear()


def test_template_problems_are_cached_too(cache, tmp_path):
    """A broken template's lint lines come back from the cache, word for word."""
    base = load_profile("上海2024")
    bad = tmp_path / "bad.docx"
    _edited_copy(base.template, bad, "名词解释".encode(), "{{ 没有这个名称 }}".encode())
    profile = load_profile("上海2024", template=bad)
    first = fresh(profile)
    assert first.problems and not first.cached
    second = fresh(profile)
    assert second.cached and second.problems == first.problems
    assert any("没有这个名称" in p for p in second.problems)


def test_old_entries_are_pruned(cache, monkeypatch):
    from generator import template_cache

    monkeypatch.setattr(template_cache, "MAX_ENTRIES", 2)
    for name in ("上海2024", "湖南2020", "2018"):
        fresh(load_profile(name))
    assert len(entries(cache)) == 2


def test_check_and_build_stay_light_with_a_cached_template(cache, tmp_path):
    """With the template in the cache, `check` imports neither the Word libraries nor lxml, and
    `build` no docxtpl/python-docx (their import was most of a single command's time)."""
    code = (
        "import sys\nfrom generator.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('docxtpl', 'docx', 'lxml', 'openpyxl') if m in sys.modules))"
    )
    env = {**os.environ, "JUESUAN_CACHE_DIR": str(cache.parent)}

    def loaded(*args: str) -> str:
        run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        return run.stdout.strip().splitlines()[-1]

    loaded("check", str(SAMPLE))  # fills the cache
    assert loaded("check", str(SAMPLE)) == "[]"
    assert loaded("build", str(SAMPLE), "-o", str(tmp_path / "x.docx")) == "['lxml']"


def _fresh_process(monkeypatch) -> None:
    """Forget what this process remembers of styles and verified parts (a new `build` process)."""
    from generator import files, printing

    monkeypatch.setattr(printing, "_STYLE_INFO", {})
    monkeypatch.setattr(files, "_VERIFIED", {})
    monkeypatch.setattr(files, "_VERIFIED_DISK", None)
    render._COMPILED.clear()


def test_a_second_process_neither_reads_styles_nor_verifies_template_parts_again(cache, tmp_path, monkeypatch):
    """styles.xml's ids, outline levels, type sizes and lines (folder "styles") and the verdict on the
    large template parts (folder "verified") come from the cache in a later process: styles.xml is not
    parsed again, and the document is byte-identical."""
    from generator import files, printing

    _fresh_process(monkeypatch)
    build_book(SAMPLE, tmp_path / "a.docx", profile_name="上海2024")
    assert len(entries(cache.parent / "styles")) == 1 and len(entries(cache.parent / "verified")) == 1
    _fresh_process(monkeypatch)
    monkeypatch.setattr(printing, "style_ids", lambda root: pytest.fail("styles.xml read again"))
    parsed = []
    real = files._xml_part
    monkeypatch.setattr(files, "_xml_part", lambda part, parser: parsed.append(part.name) or real(part, parser))
    build_book(SAMPLE, tmp_path / "b.docx", profile_name="上海2024")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert parsed and "word/styles.xml" not in parsed  # the small parts are parsed as ever


def test_a_changed_template_part_is_verified_again(cache, tmp_path, monkeypatch):
    """The verdict is kept for the part's exact bytes: styles.xml cut short (other bytes, same name) is
    parsed and the package refused, though the intact one was verified before."""
    from generator import files
    from generator.errors import InternalError

    _fresh_process(monkeypatch)
    build_book(SAMPLE, tmp_path / "a.docx", profile_name="上海2024")
    members = files.read_members((tmp_path / "a.docx").read_bytes())
    styles = members["word/styles.xml"].data()
    broken = files.zip_bytes((name, files.member(name, styles[:-40]) if name == "word/styles.xml" else m) for name, m in members.items())
    _fresh_process(monkeypatch)
    with pytest.raises(InternalError, match="styles.xml|无法解析"):
        files.verify_docx(broken)


def test_a_bad_style_info_entry_is_read_again(cache, monkeypatch):
    """An entry whose maps hold values of the wrong type is ignored: styles.xml is read and the entry
    written again."""
    from generator import printing, template_cache
    from generator.files import member

    profile = load_profile("上海2024")
    with zipfile.ZipFile(profile.template) as zf:
        styles = member("word/styles.xml", zf.read("word/styles.xml"))
    _fresh_process(monkeypatch)
    good = printing.style_info(styles)
    key = template_cache.entry_key(styles.deflated, "style info")
    template_cache.store(key, {"ids": {"决算表格": 5}, "levels": {}, "sizes": {}, "lines": {}}, None, "styles")
    _fresh_process(monkeypatch)
    assert printing.style_info(styles) == good
    assert template_cache.load(key, "styles")[0]["ids"] == good.ids
