"""A bounded Jinja sandbox for Word templates, which may come from others.

On top of Jinja's SandboxedEnvironment (no attribute access into Python internals):

* autoescape is on, and nothing can switch it off: ``|safe`` is a no-op (the value is still
  escaped), ``{% autoescape false %}`` is refused, ``|urlize`` is gone — so template text can
  never inject raw XML that breaks the document (our own RichText objects carry their XML
  through ``__html__`` as before);
* ``{% include %}``, ``{% extends %}``, ``{% import %}`` and ``{% from … import %}`` are refused
  when the template is compiled (a template is one self-contained Word file);
* rendering is bounded: ``range`` yields at most ``MAX_RANGE_ITEMS`` items per render in
  total, ``*`` and ``**`` cannot build giant strings, lists or numbers, string-building filters
  cannot return more than ``MAX_OUTPUT_CHARS``, the output stops at ``MAX_OUTPUT_CHARS``,
  recursion ends in a clear error, and in a main thread a render is stopped after
  ``MAX_RENDER_SECONDS``.

Every refusal is a ``jinja2.exceptions.SecurityError`` (a TemplateError) whose message is one
Chinese line; the render stage turns it into the user's one-line error.
"""

from __future__ import annotations

import math
import signal
import threading
from contextlib import contextmanager

from jinja2 import nodes
from jinja2.environment import Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_OUTPUT_CHARS = 20_000_000  # a real document.xml is well under 2 MB
MAX_RANGE_ITEMS = 1_000_000  # over all range() calls of one render
MAX_SEQUENCE = 1_000_000  # longest string or list that * may build
MAX_POWER_BITS = 4096  # largest integer ** may build
MAX_RENDER_SECONDS = 20

_REFUSED_TAGS = {
    nodes.Include: "include",
    nodes.Extends: "extends",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.EvalContextModifier: "autoescape",
}


class TemplateLimit(SecurityError):
    """A template went beyond a bound (time, size, loops) or used a refused tag."""


class _Budget(threading.local):
    def __init__(self):
        self.range_left = MAX_RANGE_ITEMS


_BUDGET = _Budget()


def _bounded_range(*args):
    r = range(*args)
    if len(r) > _BUDGET.range_left:
        raise TemplateLimit(f"模板中的 range 循环次数过多（上限共 {MAX_RANGE_ITEMS:,} 次）。")
    _BUDGET.range_left -= len(r)
    return r


def _sized(value):
    if isinstance(value, str) and len(value) > MAX_OUTPUT_CHARS:
        raise TemplateLimit(f"模板生成的文字过长（上限 {MAX_OUTPUT_CHARS:,} 个字符）。")
    return value


def _checked_filter(fn):
    def filter_(*args, **kwargs):
        return _sized(fn(*args, **kwargs))

    for attr in ("jinja_pass_arg",):
        if hasattr(fn, attr):
            setattr(filter_, attr, getattr(fn, attr))
    return filter_


class BoundedTemplate(Template):
    """render() with the output, time and recursion bounds (and a fresh range budget)."""

    def render(self, *args, **kwargs) -> str:
        _BUDGET.range_left = MAX_RANGE_ITEMS
        out, size = [], 0
        try:
            with _deadline(MAX_RENDER_SECONDS):
                for chunk in self.generate(*args, **kwargs):
                    size += len(chunk)
                    if size > MAX_OUTPUT_CHARS:
                        raise TemplateLimit(f"模板生成的内容过长（上限 {MAX_OUTPUT_CHARS:,} 个字符），可能有失控的循环。")
                    out.append(chunk)
        except RecursionError:
            raise TemplateLimit("模板中的宏递归调用过深（可能是宏调用了自己）。") from None
        except MemoryError:
            raise TemplateLimit("模板渲染需要的内存过多，可能有失控的循环或重复。") from None
        return "".join(out)


class BoundedEnvironment(SandboxedEnvironment):
    """SandboxedEnvironment with autoescape forced on and every bound of this module."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset(["*", "**"])

    def __init__(self, **options):
        options["autoescape"] = True
        options.pop("loader", None)
        super().__init__(**options)
        self.globals.pop("lipsum", None)  # can print unbounded text
        self.globals["range"] = _bounded_range
        for name in ("urlize", "safe"):
            self.filters.pop(name, None)
        self.filters = {name: _checked_filter(fn) for name, fn in self.filters.items()}
        self.filters["safe"] = lambda value: value  # still escaped: |safe cannot inject raw XML

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for kind, word in _REFUSED_TAGS.items():
            if tree.find(kind) is not None:
                raise TemplateLimit(f"模板中不允许使用 {{% {word} %}}：模板必须是一个独立的 Word 文件，且不能关闭转义。")
        return tree

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            seq, n = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * max(n, 0) > MAX_SEQUENCE:
                raise TemplateLimit(f"模板中的重复（*）结果过长（上限 {MAX_SEQUENCE:,}）。")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
            if right > 0 and right * math.log2(abs(left)) > MAX_POWER_BITS:
                raise TemplateLimit("模板中的乘方（**）结果过大。")
        return super().call_binop(context, operator, left, right)

    def call(self, __context, __obj, *args, **kwargs):
        return _sized(super().call(__context, __obj, *args, **kwargs))


@contextmanager
def _deadline(seconds: float):
    """Stop a render that runs too long (only possible in the main thread, via SIGALRM)."""
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def stop(_signum, _frame):
        raise TemplateLimit(f"模板渲染超过 {seconds:g} 秒仍未完成，可能有失控的循环。")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def bounded_environment(**options) -> BoundedEnvironment:
    """The environment every Word template is compiled in."""
    return BoundedEnvironment(**options)


MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
MAX_TEMPLATE_UNCOMPRESSED = 200 * 1024 * 1024


def check_template_file(path) -> None:
    """A user's Word template, before docxtpl sees it: a regular .docx file of sane size whose
    XML parts all parse (no DTD, no entities) and whose document has a body — else one line."""
    import io
    import zipfile
    from pathlib import Path

    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    from .errors import InputError

    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError("Word 模板不是一个文件（可能是文件夹或不存在）。", file=name)
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise InputError(f"Word 模板过大（上限 {MAX_TEMPLATE_BYTES // 1024 // 1024} MB）。", file=name)
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("不是 Word 文档（.docx）：文件内容无法识别。请在 Word/WPS 中另存为“Word 文档(*.docx)”。", file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_TEMPLATE_UNCOMPRESSED:
                raise InputError("Word 模板解压后过大（可能是恶意构造的文件）。", file=name)
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise InputError("不是 Word 文档（.docx）：缺少正文部分 word/document.xml。请在 Word/WPS 中另存为“Word 文档(*.docx)”。", file=name)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    ElementTree.fromstring(zf.read(info))
            document = zf.read("word/document.xml")
    except InputError:
        raise
    except DefusedXmlException:
        raise InputError("Word 模板中含有 DTD 或实体声明（Word 不会写出这些），不能使用。", file=name) from None
    except (zipfile.BadZipFile, ElementTree.ParseError, EOFError, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise InputError(f"Word 模板已损坏（{exc.__class__.__name__}），无法使用。请在 Word 中打开并重新保存。", file=name) from None
    if b"<w:body" not in document or b"</w:body>" not in document:
        raise InputError("Word 模板没有正文（缺少 <w:body>），无法使用。", file=name)
