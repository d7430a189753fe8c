"""A batch survives any unit (issue 10): bad entries fail alone, names never collide, the
manifest and 汇总报告 are atomic and deterministic, a dead worker or a killed batch loses nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import openpyxl
import pytest
from helpers import ROOT
from test_robustness import control_char_book, encrypted_book, far_cell_book, xls_book, zip_bomb
from typer.testing import CliRunner

from generator.batch import LOCK, MANIFEST, REPORT, folder_lock, output_names, run_batch
from generator.cli import app
from generator.errors import OutputError
from generator.files import TEMP_PREFIX

SAMPLES = ["益阳市智慧城市和大数据中心_2020.xlsx", "永州市政务服务中心_2018.xlsx", "示例单位_2024.xlsx"]
runner = CliRunner()


@pytest.fixture()
def hostile(tmp_path, samples) -> Path:
    """The three samples plus every kind of bad or awkward entry of the issue."""
    books = tmp_path / "books"
    books.mkdir()
    for name in SAMPLES:
        shutil.copy(samples / name, books / name)
    far_cell_book(books, "远处单元格.xlsx")
    zip_bomb(books, "炸弹.xlsx")
    (books / "x.xlsx").mkdir()
    (books / "断链.xlsx").symlink_to(books / "不存在.xlsx")
    control_char_book(books, "控制字符.xlsx")
    encrypted_book(books, "加密.xlsx")
    xls_book(books, "旧版.xls")
    sub = books / "二级单位"
    sub.mkdir()
    shutil.copy(samples / "示例单位_2024.xlsx", sub / "示例单位_2024.xlsx")  # same file name, other folder
    return books


GOOD = {
    "益阳市智慧城市和大数据中心_2020.xlsx",
    "永州市政务服务中心_2018.xlsx",
    "示例单位_2024.xlsx",
    "远处单元格.xlsx",
    "控制字符.xlsx",
    "旧版.xls",
    "二级单位/示例单位_2024.xlsx",
}
BAD = {"炸弹.xlsx": "解压后", "x.xlsx": "文件夹", "断链.xlsx": "链接", "加密.xlsx": "密码"}


def relative(report, books: Path) -> dict[str, object]:
    return {str(Path(r.source).relative_to(books)) if Path(r.source).is_relative_to(books) else r.source: r for r in report.results}


def test_hostile_folder_builds_every_good_unit_and_lists_every_bad_one(hostile, tmp_path):
    out = tmp_path / "out"
    user_before = {p: p.read_bytes() for p in hostile.rglob("*") if p.is_file() and not p.is_symlink()}
    first = runner.invoke(app, ["batch", str(hostile), "-o", str(out), "--jobs", "2"])
    assert first.exit_code == 1, first.output
    assert "Traceback" not in first.output
    units = {str(Path(r).relative_to(hostile)): r for r in [str(hostile / k) for k in GOOD | set(BAD)]}
    report = openpyxl.load_workbook(out / REPORT)
    rows = list(report["汇总"].iter_rows(min_row=2, values_only=True))
    status = {}
    for row in rows:
        status.setdefault(row[0], []).append(row)
    for name, why in BAD.items():
        (row,) = status[name]
        assert row[2] == "无法读取" and why in row[6], row
        assert name in first.output
    issues = list(report["问题清单"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in issues if r[3] == "无法读取"} == set(BAD)
    # every good unit built, with its own file: the two 示例单位_2024.xlsx do not collide
    built = sorted(p.name for p in out.glob("*.docx"))
    assert len(built) == len(GOOD), built
    assert "示例单位_2024.docx" in built and "示例单位_2024（二级单位）.docx" in built
    for p in out.glob("*.docx"):
        docx.Document(p)
    good_rows = [r for r in rows if r[2] == "已生成"]
    assert len(good_rows) == len(GOOD)
    assert not list(out.glob(TEMP_PREFIX + "*")) and not list(hostile.rglob(TEMP_PREFIX + "*"))
    assert {p: p.read_bytes() for p in hostile.rglob("*") if p.is_file() and not p.is_symlink()} == user_before
    assert units  # (names above are relative to the folder)

    second = runner.invoke(app, ["batch", str(hostile), "-o", str(out)])
    assert second.exit_code == 1
    assert f"{len(GOOD)} 个未变化已跳过" in second.output and f"{len(BAD)} 个失败" in second.output


def test_report_and_manifest_are_byte_identical_for_the_same_results(tmp_path, samples):
    books = tmp_path / "books"
    books.mkdir()
    for name in SAMPLES[:2]:
        shutil.copy(samples / name, books / name)
    (books / "坏.xlsx").write_text("不是工作簿\x01", encoding="utf-8")
    out = tmp_path / "out"
    run_batch([books], out, jobs=1)
    first = {name: (out / name).read_bytes() for name in (REPORT, MANIFEST)}
    time.sleep(1.1)  # a clock tick: nothing time-dependent may reach the files
    run_batch([books], out, jobs=2, force=True)
    assert {name: (out / name).read_bytes() for name in (REPORT, MANIFEST)} == first


def test_a_corrupt_or_foreign_manifest_is_ignored_with_a_warning(tmp_path, samples):
    books = tmp_path / "books"
    books.mkdir()
    shutil.copy(samples / SAMPLES[0], books / SAMPLES[0])
    out = tmp_path / "out"
    run_batch([books], out, jobs=1)
    for junk in (b'{"units": ', b"\xff\xfe garbage", json.dumps({"someone": "else"}).encode(), b"[]"):
        (out / MANIFEST).write_bytes(junk)
        result = runner.invoke(app, ["batch", str(books), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "已损坏或不是本工具写的" in result.stderr
        assert "0 个未变化已跳过" in result.stdout
        assert json.loads((out / MANIFEST).read_text("utf-8"))["format"] == "juesuan-batch-manifest"


def test_an_output_whose_bytes_changed_is_rebuilt(tmp_path, samples):
    books = tmp_path / "books"
    books.mkdir()
    shutil.copy(samples / SAMPLES[0], books / SAMPLES[0])
    out = tmp_path / "out"
    run_batch([books], out, jobs=1)
    target = out / SAMPLES[0].replace(".xlsx", ".docx")
    good = target.read_bytes()
    target.write_bytes(b"garbage")
    report = run_batch([books], out, jobs=1)
    assert report.results[0].status == "已生成" and report.skipped == 0
    assert target.read_bytes() == good
    assert run_batch([books], out, jobs=1).skipped == 1


def test_a_second_batch_into_the_same_folder_refuses_with_one_line(tmp_path, samples):
    books = tmp_path / "books"
    books.mkdir()
    shutil.copy(samples / SAMPLES[0], books / SAMPLES[0])
    out = tmp_path / "out"
    out.mkdir()
    with folder_lock(out):
        result = runner.invoke(app, ["batch", str(books), "-o", str(out)])
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "另一个批量任务" in result.stderr
        with pytest.raises(OutputError):
            run_batch([books], out, wait=0.5)
    assert sorted(p.name for p in out.iterdir()) == [LOCK]  # nothing was written meanwhile
    assert run_batch([books], out, jobs=1).ok  # the lock is gone with its holder


def test_bad_entries_on_the_command_line_are_failed_units(tmp_path, samples):
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(samples / SAMPLES[0]), str(tmp_path / "没有.xlsx"), str(tmp_path), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1, result.output
    assert "没有.xlsx" in result.output and "文件不存在" in result.output
    assert (out / SAMPLES[0].replace(".xlsx", ".docx")).exists()


def test_output_names_are_unique_and_follow_the_documented_rule(tmp_path):
    a, b, c = tmp_path / "甲", tmp_path / "乙", tmp_path / "丙"
    paths = [a / "单位.xlsx", b / "单位.xlsx", a / "单位.xls", c / "乙" / "单位.xlsx", a / "单位（乙）.xlsx"]
    names = output_names(paths, tmp_path / "out")
    assert [names[p].name for p in paths] == ["单位.docx", "单位（乙）.docx", "单位（xls）.docx", "单位（2）.docx", "单位（乙）（2）.docx"]
    assert len({n.name.casefold() for n in names.values()}) == len(paths)


def test_a_worker_that_dies_fails_only_its_unit(tmp_path, samples, monkeypatch):
    """A unit whose worker is killed (as by the out-of-memory killer): the pool restarts for the rest."""
    from generator import batch

    real = batch.build_unit

    def fragile(book, *args):
        if "永州" in book:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
        return real(book, *args)

    monkeypatch.setattr(batch, "build_unit", fragile)  # inherited by the forked workers
    books = tmp_path / "books"
    books.mkdir()
    for name in SAMPLES:
        shutil.copy(samples / name, books / name)
    report = run_batch([books], tmp_path / "out", jobs=2)
    status = {Path(r.source).name: r for r in report.results}
    assert status["永州市政务服务中心_2018.xlsx"].status == "无法读取"
    assert "意外终止" in status["永州市政务服务中心_2018.xlsx"].message
    assert status["示例单位_2024.xlsx"].status == "已生成" and status["益阳市智慧城市和大数据中心_2020.xlsx"].status == "已生成"


def _descendants(pid: int) -> list[int]:
    """Processes whose parent chain leads to ``pid`` (read from /proc)."""
    found, children = [], {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").exists() or sys.platform != "linux", reason="reads /proc")
def test_kill_9_leaves_no_process_and_no_partial_file_and_the_next_run_completes(tmp_path):
    from generator.synthetic import write_units

    books = tmp_path / "books"
    made = write_units(tmp_path / "made", 6, seed=7)
    books.mkdir()
    for i in range(60):  # 60 units; ten copies of each synthetic workbook under their own names
        shutil.copy(made[i % 6], books / f"单位{i:02d}.xlsx")
    out = tmp_path / "out"
    juesuan = [sys.executable, "-c", "from generator.cli import main; main()"]
    proc = subprocess.Popen([*juesuan, "batch", str(books), "-o", str(out), "-j", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 4:
        workers = _descendants(proc.pid) or workers
        time.sleep(0.05)
    workers = _descendants(proc.pid) or workers
    assert workers, "the batch never started its workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    end = time.monotonic() + 10
    while time.monotonic() < end and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "orphaned workers"
    for p in out.glob("*.docx"):  # whatever was renamed into place is whole (a dying worker's temp file is not in place)
        if not p.name.startswith(TEMP_PREFIX):
            docx.Document(p)
    done = subprocess.run([*juesuan, "batch", str(books), "-o", str(out), "-j", "2"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert len(list(out.glob("*.docx"))) == 60
    assert not list(out.glob(TEMP_PREFIX + "*"))
