"""The zip writer reuses compressed template parts and still writes exactly zipfile's bytes."""

import io
import zipfile

from generator import files


def _plain(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=files.FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    return out.getvalue()


def test_cached_parts_give_the_same_bytes_as_zipfile(samples, monkeypatch):
    monkeypatch.setattr(files, "_DEFLATED", files._DeflateCache())
    with zipfile.ZipFile(samples / "示例单位_2024.docx") as zf:
        entries = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    expected = _plain(entries)
    assert files.zip_bytes(entries) == expected  # first time: compressed and remembered
    assert ("word/styles.xml", dict(entries)["word/styles.xml"]) in files._DEFLATED.items
    compressed = []
    monkeypatch.setattr(files, "_Record", lambda real: _Counting(real, compressed))
    changed = [(n, d + b" " if n == "word/document.xml" else d) for n, d in entries]
    assert files.zip_bytes(changed) == _plain(changed)  # second time: only the changed part is compressed
    assert len(compressed) == 1


class _Counting:
    def __init__(self, real, log):
        log.append(1)
        self.real, self.parts = real, []

    def compress(self, data):
        self.parts.append(self.real.compress(data))
        return self.parts[-1]

    def flush(self):
        self.parts.append(self.real.flush())
        return self.parts[-1]


def test_the_cache_is_bounded():
    cache = files._DeflateCache(max_entries=2, max_bytes=10**9)
    for i in range(5):
        cache.put((f"n{i}", b"x" * i), b"c")
    assert [k[0] for k in cache.items] == ["n3", "n4"]
