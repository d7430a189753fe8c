"""The web app: server-rendered pages over the pipeline, with accounts, CSRF and audit.

Single-user mode (the default on 127.0.0.1) signs nobody in: the one local user sees
everything. Multi-user mode needs an account; every page and every file is authorised
here on the server through ``auth.can_see_*``, whatever id a URL carries.
"""

from __future__ import annotations

import asyncio
import hmac
import multiprocessing
import secrets
import shutil
import threading
from collections import OrderedDict
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.middleware.sessions import SessionMiddleware

from . import auth, jobs
from .db import Audit, Batch, Build, Department, Template, Unit, Upload, User, connect, get
from .storage import Incoming, Refused, Store, sha256, suffix_of, workbooks

HERE = Path(__file__).parent
MB = 1024 * 1024


@dataclass
class Settings:
    data: Path
    db_url: str | None = None
    multi_user: bool = False
    max_upload: int = 20 * MB
    workers: int = 2
    pool: str = "process"  # "process" (the server) or "thread" (tests)
    https_only: bool = False
    profiles: list[str] = field(default_factory=list)


class LoginRequired(Exception):
    pass


class WorkerPool:
    """The worker processes; a pool broken by a crashed worker is replaced, so one crash never stops the server."""

    def __init__(self, workers: int, kind: str):
        self.workers, self.kind, self.lock = workers, kind, threading.Lock()
        self.executor = self._new()

    def _new(self) -> Executor:
        if self.kind != "process":
            return ThreadPoolExecutor(self.workers)
        # spawned, not forked: forking the server (an event loop with threads) can copy a held lock into the child
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, fn, *args):
        with self.lock:
            try:
                return self.executor.submit(fn, *args)
            except BrokenExecutor:
                self.executor.shutdown(wait=False, cancel_futures=True)
                self.executor = self._new()
                return self.executor.submit(fn, *args)

    def shutdown(self, **kw):
        self.executor.shutdown(**kw)


def create_app(settings: Settings) -> FastAPI:
    from generator.profiles import DEFAULT_PROFILE, available

    settings.data.mkdir(parents=True, exist_ok=True)
    settings.profiles = settings.profiles or available()
    engine, Sessions = connect(settings.db_url or f"sqlite:///{settings.data / 'juesuan.db'}")
    store = Store(settings.data)
    pool = WorkerPool(settings.workers, settings.pool)
    batches = ThreadPoolExecutor(1, thread_name_prefix="batch")

    @asynccontextmanager
    async def lifespan(_app):
        yield
        pool.shutdown(wait=False, cancel_futures=True)
        batches.shutdown(wait=False, cancel_futures=True)
        engine.dispose()

    app = FastAPI(title="决算公开文档", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings, app.state.sessions, app.state.store, app.state.pool, app.state.engine = settings, Sessions, store, pool, engine
    app.add_middleware(
        SessionMiddleware, secret_key=_secret(settings.data), session_cookie="juesuan", same_site="strict", https_only=settings.https_only, max_age=12 * 3600
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    pages = Jinja2Templates(directory=HERE / "templates")  # autoescape is on for .html
    pages.env.filters["money"] = _money
    pages.env.filters["cell"] = _cell
    pages.env.filters["under"] = _under
    pages.env.filters["when"] = _when

    # ---------- plumbing ----------

    @app.middleware("http")
    async def cap_size(request: Request, call_next):
        length = request.headers.get("content-length")
        if request.method == "POST" and length and length.isdigit() and int(length) > settings.max_upload * 5:
            return HTMLResponse(f"<p>上传的内容太大：一次最多 {settings.max_upload * 5 // MB} MB，单个文件最多 {settings.max_upload // MB} MB。</p>", 413)
        response = await call_next(request)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
        )
        return response

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        if request.url.path.endswith("/status"):
            return JSONResponse({"error": "请先登录"}, 401)
        return RedirectResponse("/login?next=" + quote(request.url.path), 303)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        if request.url.path.endswith("/status"):
            return JSONResponse({"error": exc.detail}, exc.status_code)
        return render(request, "error.html", {"message": exc.detail}, exc.status_code)

    def db() -> Session:
        return Sessions()

    def user_of(request: Request, session: Session) -> auth.Who:
        if not settings.multi_user:
            return auth.LOCAL
        uid = request.session.get("uid")
        user = session.get(User, uid) if uid else None
        if user is None:
            raise LoginRequired()
        return auth.who(user)

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = request.session["csrf"] = secrets.token_urlsafe(32)
        return token

    async def posted(request: Request):
        """The form, after checking its CSRF token against the one in the signed session."""
        try:
            form = await request.form(max_files=MAX_FILES, max_fields=100)
        except Exception:
            raise HTTPException(400, "表单无法读取，请重新提交。") from None
        sent, kept = str(form.get("csrf", "")), request.session.get("csrf", "")
        if not kept or not hmac.compare_digest(sent.encode(), kept.encode()):
            raise HTTPException(403, "页面已过期或来源不明（缺少安全校验码），请刷新页面后重新提交。")
        return form

    def render(request: Request, name: str, ctx: dict, status: int = 200, user: auth.Who | None = None):
        ctx = {
            "request": request,
            "csrf": csrf_token(request),
            "multi_user": settings.multi_user,
            "user": user,
            "profiles": settings.profiles,
            "default_profile": DEFAULT_PROFILE,
            "max_mb": settings.max_upload // MB,
            **ctx,
        }
        return pages.TemplateResponse(request, name, ctx, status_code=status)

    def audit(session: Session, user: auth.Who, action: str, target: str, request: Request):
        session.add(Audit(user=user.name, action=action, target=target[:300], ip=request.client.host if request.client else ""))
        session.commit()

    def run(fn, *args):
        """Await work in the pool: the server keeps answering other requests meanwhile."""
        return asyncio.wrap_future(pool.submit(fn, *args))

    def upload_or_404(session: Session, user: auth.Who, upload_id: int) -> Upload:
        upload = get(session, Upload, upload_id)
        if not auth.can_see_upload(session, user, upload):
            raise HTTPException(404, "没有这个工作簿，或您无权查看。")
        return upload

    def build_or_404(session: Session, user: auth.Who, build_id: int) -> Build:
        build = get(session, Build, build_id)
        if build is None or not auth.can_see_upload(session, user, session.get(Upload, build.upload_id)):
            raise HTTPException(404, "没有这份文档，或您无权查看。")
        return build

    def batch_or_404(session: Session, user: auth.Who, batch_id: int) -> Batch:
        batch = get(session, Batch, batch_id)
        if batch is None or not (user.is_admin or (batch.department_id is not None and auth.can_see_department(user, batch.department_id))):
            raise HTTPException(404, "没有这个批量任务，或您无权查看。")
        return batch

    def unit_or_404(session: Session, user: auth.Who, unit_id: int) -> Unit:
        unit = get(session, Unit, unit_id)
        if not auth.can_see_unit(user, unit):
            raise HTTPException(404, "没有这个单位，或您无权查看。")
        return unit

    def template_path(session: Session, user: auth.Who, template_id) -> tuple[Template | None, str | None]:
        if not template_id:
            return None, None
        t = get(session, Template, template_id)
        if t is None or t.status != "可用" or not (user.is_admin or t.department_id is None or auth.can_see_department(user, t.department_id)):
            raise HTTPException(404, "没有这个模板，或您无权使用。")
        return t, str(store.path(t.stored))

    def usable_templates(session: Session, user: auth.Who) -> list[Template]:
        rows = session.scalars(select(Template).where(Template.status == "可用").order_by(Template.id.desc()))
        return [t for t in rows if user.is_admin or t.department_id is None or auth.can_see_department(user, t.department_id)]

    def place(session: Session, user: auth.Who, unit_name: str, parent: str, department_name: str = "") -> int | None:
        """Which unit an upload belongs to: a 单位 account's own; otherwise the workbook's unit in the uploader's department."""
        if user.role == "unit":
            return user.unit_id
        if not unit_name:
            return None
        if user.role == "department":
            return auth.find_unit(session, unit_name, user.department_id).id
        dept_name = department_name.strip() or parent.strip()
        dept = auth.find_department(session, dept_name) if dept_name else None
        return auth.find_unit(session, unit_name, dept.id if dept else None).id

    async def incoming(form, key: str = "files") -> list[Incoming]:
        files = []
        for item in form.getlist(key):
            if not hasattr(item, "read") or not item.filename:
                continue
            data = await item.read(settings.max_upload + 1)
            files.append(Incoming(item.filename, data))
        return workbooks(files, settings.max_upload)

    def profile_of(form) -> str:
        profile = str(form.get("profile") or DEFAULT_PROFILE)
        if profile not in settings.profiles:
            raise HTTPException(400, f"没有名为“{profile}”的文档格式。")
        return profile

    def download(path: Path, filename: str, media: str):
        if not path.exists():
            raise HTTPException(404, "文件已不存在。")
        return FileResponse(path, media_type=media, filename=filename)

    # ---------- sign in ----------

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/"):
        return render(request, "login.html", {"next": next if next.startswith("/") and not next.startswith("//") else "/"})

    @app.post("/login")
    async def login(request: Request):
        form = await posted(request)
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        target = str(form.get("next", "/"))
        target = target if target.startswith("/") and not target.startswith("//") else "/"
        with db() as session:
            try:
                user = auth.login(session, name, password)
            except auth.LoginBlocked as blocked:
                return render(request, "login.html", {"error": str(blocked), "next": target, "name": name}, 429)
            if user is None:
                return render(request, "login.html", {"error": "账户名或密码不对。", "next": target, "name": name}, 401)
            request.session.clear()  # a fresh session (and CSRF token) for the signed-in person
            request.session["uid"] = user.id
            audit(session, auth.who(user), "登录", "", request)
        return RedirectResponse(target, 303)

    @app.post("/logout")
    async def logout(request: Request):
        await posted(request)
        request.session.clear()
        return RedirectResponse("/login" if settings.multi_user else "/", 303)

    # ---------- home, blank workbook ----------

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        with db() as session:
            user = user_of(request, session)
            units = auth.visible_units(session, user)
            latest = _latest(session, [u.id for u in units])
            mine = []
            if user.id is not None or user.is_admin:
                q = select(Upload).where(Upload.unit_id.is_(None)).order_by(Upload.id.desc()).limit(20)
                mine = [u for u in session.scalars(q) if auth.can_see_upload(session, user, u)]
            return render(request, "home.html", {"units": units, "latest": latest, "unplaced": mine}, user=user)

    @app.get("/blank", response_class=HTMLResponse)
    def blank_page(request: Request):
        with db() as session:
            return render(request, "blank.html", {}, user=user_of(request, session))

    @app.post("/blank")
    async def blank(request: Request):
        form = await posted(request)
        with db() as session:
            user = user_of(request, session)
            year = str(form.get("year", "")).strip()
            if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
                return render(request, "blank.html", {"error": "年度请填写四位数字，例如 2024。"}, 400, user=user)
            prior = [f for f in form.getlist("prior") if hasattr(f, "read") and f.filename]
            _, work = store.folder()
            try:
                prior_path, prior_name = None, ""
                if prior:
                    try:
                        book = workbooks([Incoming(prior[0].filename, await prior[0].read(settings.max_upload + 1))], settings.max_upload)[0]
                    except Refused as err:
                        return render(request, "blank.html", {"error": str(err)}, 400, user=user)
                    prior_path, prior_name = work / ("prior" + suffix_of(book.filename)), book.filename
                    prior_path.write_bytes(book.data)
                out = work / "空白工作簿.xlsx"
                result = await run(jobs.blank_job, str(out), int(year) if year else None, str(prior_path) if prior_path else None, prior_name)
                if not result["ok"]:
                    return render(request, "blank.html", {"error": result["message"]}, 400, user=user)
                data = out.read_bytes()
            finally:
                shutil.rmtree(work, ignore_errors=True)
            audit(session, user, "下载", "空白工作簿" + ("（按上年预填）" if prior else ""), request)
        name = "决算工作簿" + (f"_{year}" if year else "") + ".xlsx"
        return Response(data, media_type=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    @app.post("/uploads/{upload_id}/next-year")
    async def next_year(request: Request, upload_id: int):
        """init --prior from a workbook already uploaded: next year's workbook with 上年数 filled in."""
        await posted(request)
        with db() as session:
            user = user_of(request, session)
            up = upload_or_404(session, user, upload_id)
            _, work = store.folder()
            try:
                out = work / "工作簿.xlsx"
                result = await run(jobs.blank_job, str(out), None, str(store.path(up.stored)), up.filename)
                if not result["ok"]:
                    raise HTTPException(400, result["message"])
                data = out.read_bytes()
            finally:
                shutil.rmtree(work, ignore_errors=True)
            audit(session, user, "下载", f"下一年工作簿（按工作簿 #{up.id} {up.filename} 预填）", request)
        name = f"{up.unit_name or '决算工作簿'}_{(up.year or 0) + 1}.xlsx" if up.year else "决算工作簿.xlsx"
        return Response(data, media_type=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    # ---------- upload and check ----------

    @app.get("/upload", response_class=HTMLResponse)
    def upload_page(request: Request):
        with db() as session:
            return render(request, "upload.html", {}, user=user_of(request, session))

    @app.post("/upload")
    async def upload(request: Request):
        form = await posted(request)
        with db() as session:
            user = user_of(request, session)
            profile = profile_of(form)
            try:
                books = await incoming(form)
            except Refused as err:
                return render(request, "upload.html", {"error": str(err)}, 400, user=user)
            stored = [(b, store.put(b.data, suffix_of(b.filename))) for b in books]
            results = await asyncio.gather(*(run(jobs.check_job, str(store.path(name)), b.filename, profile) for b, name in stored))
            ids = []
            for (book, name), result in zip(stored, results, strict=False):
                row = Upload(
                    filename=jobs.safe_name(book.filename),
                    stored=name,
                    sha256=sha256(book.data),
                    profile=profile,
                    user_id=user.id,
                    status=result["status"],
                    message=result["message"],
                    findings=result["findings"],
                    unit_name=result["unit_name"],
                    year=result["year"],
                )
                row.unit_id = place(session, user, result["unit_name"], result.get("parent", ""))
                if user.role == "unit" and result["unit_name"] and session.get(Unit, user.unit_id).name != result["unit_name"]:
                    row.findings = [
                        {
                            "level": "warning",
                            "rule": "账户单位",
                            "sheet": "单位信息",
                            "cells": [],
                            "expected": None,
                            "found": None,
                            "message": f"工作簿中的单位名称“{result['unit_name']}”与您账户的单位不一致，已记入您的单位。",
                        }
                    ] + row.findings
                session.add(row)
                session.flush()
                ids.append(row.id)
                audit(session, user, "上传", f"工作簿 #{row.id} {row.filename}", request)
            session.commit()
        if len(ids) == 1:
            return RedirectResponse(f"/uploads/{ids[0]}", 303)
        return RedirectResponse("/uploads?ids=" + ",".join(map(str, ids)), 303)

    @app.get("/uploads", response_class=HTMLResponse)
    def uploads(request: Request, ids: str = ""):
        with db() as session:
            user = user_of(request, session)
            wanted = [int(i) for i in ids.split(",") if i.isdigit()][:500]
            rows = [upload_or_404(session, user, i) for i in wanted]
            return render(request, "uploads.html", {"rows": rows}, user=user)

    @app.get("/uploads/{upload_id}", response_class=HTMLResponse)
    def findings(request: Request, upload_id: int):
        with db() as session:
            user = user_of(request, session)
            up = upload_or_404(session, user, upload_id)
            unit = session.get(Unit, up.unit_id) if up.unit_id else None
            builds = list(session.scalars(select(Build).where(Build.upload_id == up.id).order_by(Build.id.desc())))
            return render(
                request,
                "findings.html",
                {
                    "up": up,
                    "unit": unit,
                    "groups": _group(up.findings),
                    "builds": builds,
                    "templates": usable_templates(session, user),
                    "has_pdf": _has_soffice(),
                },
                user=user,
            )

    @app.get("/uploads/{upload_id}/file")
    def upload_file(request: Request, upload_id: int):
        with db() as session:
            user = user_of(request, session)
            up = upload_or_404(session, user, upload_id)
            audit(session, user, "下载", f"工作簿 #{up.id} {up.filename}", request)
            return download(store.path(up.stored), up.filename, XLSX if up.filename.lower().endswith(".xlsx") else "application/octet-stream")

    # ---------- build ----------

    @app.post("/uploads/{upload_id}/build")
    async def build(request: Request, upload_id: int):
        form = await posted(request)
        with db() as session:
            user = user_of(request, session)
            up = upload_or_404(session, user, upload_id)
            profile = profile_of(form)
            template, tpath = template_path(session, user, form.get("template"))
            row = Build(
                upload_id=up.id,
                user_id=user.id,
                profile=profile,
                template_id=template.id if template else None,
                want_pdf=bool(form.get("pdf")),
                status="生成中",
                docx=store.put(b"", ".docx"),
            )
            session.add(row)
            session.commit()
            audit(session, user, "生成", f"文档 #{row.id}（工作簿 #{up.id} {up.filename}，{profile}）", request)
            future = pool.submit(jobs.build_job, str(store.path(up.stored)), up.filename, str(store.path(row.docx)), profile, tpath, row.want_pdf)
            future.add_done_callback(lambda f, build_id=row.id: _finish_build(Sessions, store, build_id, f))
            return RedirectResponse(f"/builds/{row.id}", 303)

    @app.get("/builds/{build_id}", response_class=HTMLResponse)
    def build_page(request: Request, build_id: int):
        with db() as session:
            user = user_of(request, session)
            b = build_or_404(session, user, build_id)
            up = session.get(Upload, b.upload_id)
            blocks = []
            if b.status == "已生成":
                from .preview import read_docx

                blocks = read_docx(store.path(b.docx))
            return render(request, "build.html", {"b": b, "up": up, "blocks": blocks}, user=user)

    @app.get("/builds/{build_id}/status")
    def build_status(request: Request, build_id: int):
        with db() as session:
            user = user_of(request, session)
            b = build_or_404(session, user, build_id)
            return {"status": b.status, "message": b.message, "done": b.status in ("已生成", "失败")}

    @app.get("/builds/{build_id}/docx")
    def build_docx(request: Request, build_id: int):
        with db() as session:
            user = user_of(request, session)
            b = build_or_404(session, user, build_id)
            if b.status != "已生成":
                raise HTTPException(404, "文档还没有生成。")
            up = session.get(Upload, b.upload_id)
            audit(session, user, "下载", f"文档 #{b.id}（{up.filename}）", request)
            return download(store.path(b.docx), Path(up.filename).stem + ".docx", DOCX)

    @app.get("/builds/{build_id}/pdf")
    def build_pdf(request: Request, build_id: int):
        with db() as session:
            user = user_of(request, session)
            b = build_or_404(session, user, build_id)
            if not b.pdf:
                raise HTTPException(404, "没有 PDF。")
            up = session.get(Upload, b.upload_id)
            audit(session, user, "下载", f"PDF #{b.id}（{up.filename}）", request)
            return download(store.path(b.pdf), Path(up.filename).stem + ".pdf", "application/pdf")

    # ---------- units: history and comparison ----------

    @app.get("/units", response_class=HTMLResponse)
    def units(request: Request):
        with db() as session:
            user = user_of(request, session)
            rows = auth.visible_units(session, user)
            depts = {d.id: d.name for d in session.scalars(select(Department))}
            return render(request, "units.html", {"units": rows, "latest": _latest(session, [u.id for u in rows]), "depts": depts}, user=user)

    @app.get("/units/{unit_id}", response_class=HTMLResponse)
    def unit_history(request: Request, unit_id: int):
        with db() as session:
            user = user_of(request, session)
            unit = unit_or_404(session, user, unit_id)
            rows = list(session.scalars(select(Upload).where(Upload.unit_id == unit.id).order_by(Upload.id.desc())))
            built = {}
            for b in session.scalars(select(Build).where(Build.upload_id.in_([r.id for r in rows]), Build.status == "已生成").order_by(Build.id)):
                built[b.upload_id] = b
            return render(request, "unit.html", {"unit": unit, "rows": rows, "built": built}, user=user)

    async def compared(request: Request, session: Session, user: auth.Who, old: int, new: int, profile: str):
        a, b = upload_or_404(session, user, old), upload_or_404(session, user, new)
        if profile not in settings.profiles:
            raise HTTPException(400, f"没有名为“{profile}”的文档格式。")
        cache = settings.data / "cache"
        cache.mkdir(exist_ok=True)
        key = f"diff-{a.sha256[:20]}-{b.sha256[:20]}-{sha256(profile.encode())[:8]}"
        docx, meta = cache / f"{key}.docx", cache / f"{key}.json"
        if meta.exists():
            import json

            result = json.loads(meta.read_text("utf-8"))
        else:
            import json

            result = await run(jobs.diff_job, str(store.path(a.stored)), a.filename, str(store.path(b.stored)), b.filename, profile, str(docx))
            if result["ok"]:
                meta.write_text(json.dumps(result, ensure_ascii=False), "utf-8")
        return a, b, result, docx

    @app.get("/compare", response_class=HTMLResponse)
    async def compare(request: Request, old: int, new: int, profile: str = ""):
        with db() as session:
            user = user_of(request, session)
            a0 = upload_or_404(session, user, old)
            profile = profile or a0.profile
            a, b, result, _ = await compared(request, session, user, old, new, profile)
            audit(session, user, "比较", f"工作簿 #{a.id} 与 #{b.id}", request)
            return render(request, "compare.html", {"a": a, "b": b, "r": result, "profile": profile}, user=user)

    @app.get("/compare/docx")
    async def compare_docx(request: Request, old: int, new: int, profile: str = ""):
        with db() as session:
            user = user_of(request, session)
            profile = profile or upload_or_404(session, user, old).profile
            a, b, result, docx = await compared(request, session, user, old, new, profile)
            if not result["ok"]:
                raise HTTPException(400, result["message"])
            audit(session, user, "下载", f"对照文档（#{a.id} 与 #{b.id}）", request)
            return download(docx, f"修改对照_{Path(b.filename).stem}.docx", DOCX)

    # ---------- department batch ----------

    @app.get("/batches", response_class=HTMLResponse)
    def batch_list(request: Request):
        with db() as session:
            user = user_of(request, session)
            if user.role == "unit":
                raise HTTPException(403, "批量生成由部门或财政局操作，单位账户请使用“上传检查”。")
            rows = [
                b
                for b in session.scalars(select(Batch).order_by(Batch.id.desc()).limit(100))
                if user.is_admin or auth.can_see_department(user, b.department_id)
            ]
            depts = {d.id: d.name for d in session.scalars(select(Department))}
            return render(request, "batches.html", {"rows": rows, "depts": depts, "templates": usable_templates(session, user)}, user=user)

    @app.post("/batches")
    async def batch_start(request: Request):
        form = await posted(request)
        with db() as session:
            user = user_of(request, session)
            if user.role == "unit":
                raise HTTPException(403, "批量生成由部门或财政局操作，单位账户请使用“上传检查”。")
            profile = profile_of(form)
            template, tpath = template_path(session, user, form.get("template"))
            try:
                books = await incoming(form)
            except Refused as err:
                rows = [
                    b
                    for b in session.scalars(select(Batch).order_by(Batch.id.desc()).limit(100))
                    if user.is_admin or auth.can_see_department(user, b.department_id)
                ]
                return render(
                    request, "batches.html", {"rows": rows, "depts": {}, "templates": usable_templates(session, user), "error": str(err)}, 400, user=user
                )
            if user.role == "department":
                dept_id = user.department_id
            else:
                name = str(form.get("department", "")).strip()
                dept_id = auth.find_department(session, name).id if name else None
            folder, work = store.folder()
            (work / "in").mkdir()
            sources, names = {}, set()
            for book in books:
                name = jobs.safe_name(book.filename)
                stem, n = Path(name).stem, 1
                while name.lower() in names:
                    n += 1
                    name = f"{stem}（{n}）{Path(name).suffix}"
                names.add(name.lower())
                (work / "in" / name).write_bytes(book.data)
                up = Upload(
                    filename=name, stored=store.put(book.data, suffix_of(name)), sha256=sha256(book.data), profile=profile, user_id=user.id, status="检查中"
                )
                session.add(up)
                session.flush()
                sources[name] = up.id
            row = Batch(department_id=dept_id, user_id=user.id, profile=profile, folder=folder, status="排队中", total=len(books), results=[])
            session.add(row)
            session.commit()
            audit(session, user, "批量", f"批量 #{row.id}：{len(books)} 个工作簿（{profile}）", request)
            batches.submit(_run_batch, Sessions, store, row.id, sources, user, tpath, settings.workers)
            return RedirectResponse(f"/batches/{row.id}", 303)

    @app.get("/batches/{batch_id}", response_class=HTMLResponse)
    def batch_page(request: Request, batch_id: int):
        with db() as session:
            user = user_of(request, session)
            b = batch_or_404(session, user, batch_id)
            dept = session.get(Department, b.department_id) if b.department_id else None
            return render(request, "batch.html", {"b": b, "dept": dept}, user=user)

    @app.get("/batches/{batch_id}/status")
    def batch_status(request: Request, batch_id: int):
        with db() as session:
            user = user_of(request, session)
            b = batch_or_404(session, user, batch_id)
            return {"status": b.status, "done": b.done, "total": b.total, "finished": b.status in ("已完成", "失败"), "message": b.message}

    @app.get("/batches/{batch_id}/report")
    def batch_report(request: Request, batch_id: int):
        with db() as session:
            user = user_of(request, session)
            b = batch_or_404(session, user, batch_id)
            audit(session, user, "下载", f"批量 #{b.id} 汇总报告", request)
            return download(store.work(b.folder) / "out" / "汇总报告.xlsx", "汇总报告.xlsx", XLSX)

    @app.get("/batches/{batch_id}/zip")
    def batch_zip(request: Request, batch_id: int):
        with db() as session:
            user = user_of(request, session)
            b = batch_or_404(session, user, batch_id)
            audit(session, user, "下载", f"批量 #{b.id} 全部文档", request)
            return download(store.work(b.folder) / "全部文档.zip", f"全部文档_批量{b.id}.zip", "application/zip")

    # ---------- templates ----------

    @app.get("/templates", response_class=HTMLResponse)
    def templates_page(request: Request):
        with db() as session:
            user = user_of(request, session)
            rows = [
                t
                for t in session.scalars(select(Template).order_by(Template.id.desc()))
                if user.is_admin or t.department_id is None or auth.can_see_department(user, t.department_id)
            ]
            return render(request, "templates.html", {"rows": rows}, user=user)

    @app.post("/templates")
    async def template_upload(request: Request):
        form = await posted(request)
        with db() as session:
            user = user_of(request, session)
            if user.role == "unit":
                raise HTTPException(403, "模板由部门或财政局上传。")
            profile = profile_of(form)
            item = form.get("file")
            if not hasattr(item, "read") or not item.filename:
                return _templates_error(request, session, user, "请选择一个 Word 模板（.docx）。")
            data = await item.read(settings.max_upload + 1)
            if suffix_of(item.filename) != ".docx" or not data.startswith(b"PK\x03\x04"):
                return _templates_error(request, session, user, f"文件“{item.filename}”不是 Word 模板：只接受 .docx。")
            if len(data) > settings.max_upload:
                return _templates_error(request, session, user, f"文件“{item.filename}”超过上限 {settings.max_upload // MB} MB。")
            row = Template(
                name=jobs.safe_name(item.filename, "模板.docx"),
                department_id=user.department_id if user.role == "department" else None,
                user_id=user.id,
                profile=profile,
                stored=store.put(data, ".docx"),
            )
            result = await run(jobs.template_job, str(store.path(row.stored)), row.name, profile, str(jobs.sample_book(settings.data / "sample")))
            row.status, row.message = ("可用" if result["ok"] else "不可用"), result["message"]
            session.add(row)
            session.commit()
            audit(session, user, "模板", f"模板 #{row.id} {row.name}：{row.status}", request)
            return RedirectResponse("/templates", 303)

    def _templates_error(request, session, user, message):
        rows = [
            t
            for t in session.scalars(select(Template).order_by(Template.id.desc()))
            if user.is_admin or t.department_id is None or auth.can_see_department(user, t.department_id)
        ]
        return render(request, "templates.html", {"rows": rows, "error": message}, 400, user=user)

    # ---------- administration (multi-user) ----------

    def admin_only(request: Request, session: Session) -> auth.Who:
        user = user_of(request, session)
        if not user.is_admin:
            raise HTTPException(403, "只有财政局管理员可以管理账户和查看日志。")
        return user

    @app.get("/admin/users", response_class=HTMLResponse)
    def users_page(request: Request):
        with db() as session:
            user = admin_only(request, session)
            return render(request, "users.html", _users_ctx(session), user=user)

    @app.post("/admin/users")
    async def user_create(request: Request):
        form = await posted(request)
        with db() as session:
            user = admin_only(request, session)
            try:
                made = auth.create_user(
                    session,
                    str(form.get("name", "")),
                    str(form.get("password", "")),
                    str(form.get("role", "")),
                    department=str(form.get("department", "")),
                    unit=str(form.get("unit", "")),
                )
            except ValueError as err:
                return render(request, "users.html", {**_users_ctx(session), "error": str(err)}, 400, user=user)
            audit(session, user, "账户", f"新建账户 {made.name}（{auth.ROLES[made.role]}）", request)
            return RedirectResponse("/admin/users", 303)

    @app.get("/admin/audit", response_class=HTMLResponse)
    def audit_page(request: Request):
        with db() as session:
            user = admin_only(request, session)
            rows = list(session.scalars(select(Audit).order_by(Audit.id.desc()).limit(500)))
            return render(request, "audit.html", {"rows": rows}, user=user)

    @app.get("/healthz")
    def healthz():
        return {"ok": True}

    return app


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_FILES = 200


def _users_ctx(session: Session) -> dict:
    users = list(session.scalars(select(User).order_by(User.name)))
    depts = {d.id: d.name for d in session.scalars(select(Department))}
    units = {u.id: u.name for u in session.scalars(select(Unit))}
    return {"users": users, "depts": depts, "units": units, "roles": auth.ROLES}


def _latest(session: Session, unit_ids: list[int]) -> dict[int, Upload]:
    latest: dict[int, Upload] = {}
    if unit_ids:
        for up in session.scalars(select(Upload).where(Upload.unit_id.in_(unit_ids)).order_by(Upload.id)):
            latest[up.unit_id] = up
    return latest


def _group(findings: list[dict]) -> OrderedDict[str, list[dict]]:
    """Findings by sheet, errors first within each sheet; those without a sheet under 其他."""
    groups: OrderedDict[str, list[dict]] = OrderedDict()
    for f in sorted(findings, key=lambda f: f.get("level") != "error"):
        groups.setdefault(f.get("sheet") or "其他", []).append(f)
    return groups


def _money(value) -> str:
    """A finding's amount as printed in the tables: two decimals, ROUND_HALF_UP, thousands separators."""
    from decimal import Decimal, InvalidOperation

    from generator.money import round_money

    if value is None or value == "":
        return ""
    try:
        return f"{round_money(Decimal(str(value))):,}"
    except InvalidOperation:
        return str(value)


def _when(moment, seconds: bool = False) -> str:
    """Stored times are UTC; pages show the server's local time."""

    local = moment.replace(tzinfo=UTC).astimezone()
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _cell(ref: str, sheet: str) -> str:
    """'工作表!F33' shown as 'F33' under its own sheet's heading."""
    prefix = f"{sheet}!"
    return ref[len(prefix) :] if sheet and ref.startswith(prefix) else ref


def _under(message: str, sheet: str) -> str:
    """A finding's line shown under its sheet's heading: the sheet is not named again ('（工作表“…”）', '工作表!F33' → 'F33')."""
    if not sheet:
        return message
    return message.replace(f"（工作表“{sheet}”）", "").replace(f"{sheet}!", "")


def _has_soffice() -> bool:
    from generator.pdf import soffice

    return soffice() is not None


def _finish_build(Sessions, store: Store, build_id: int, future) -> None:
    try:
        result = future.result()
    except Exception as err:  # the worker died: still one line for the officer
        result = {"ok": False, "message": f"生成时出错：{err.__class__.__name__}: {jobs.one_line(err)}"}
    with Sessions() as session:
        b = session.get(Build, build_id)
        if result["ok"]:
            b.status, b.message = "已生成", result.get("message", "")
            if result.get("pdf"):
                pdf = Path(result["pdf"])
                b.pdf = store.put(pdf.read_bytes(), ".pdf")
                pdf.unlink(missing_ok=True)
        else:
            b.status, b.message = "失败", result["message"]
        session.commit()


class _Progress:
    """run_batch's progress hook: each finished unit moves the counter the page polls."""

    def __init__(self, Sessions, batch_id: int):
        self.Sessions, self.batch_id, self.lock = Sessions, batch_id, threading.Lock()

    def _set(self, **values):
        with self.lock, self.Sessions() as session:
            b = session.get(Batch, self.batch_id)
            for k, v in values.items():
                setattr(b, k, v)
            session.commit()

    def start(self, total: int):
        self._set(status="生成中")

    def advance(self, result):
        with self.lock, self.Sessions() as session:
            b = session.get(Batch, self.batch_id)
            b.done = (b.done or 0) + 1
            session.commit()


def _run_batch(Sessions, store: Store, batch_id: int, sources: dict[str, int], user: auth.Who, template: str | None, workers: int) -> None:
    """The batch engine in a background thread (its own worker processes); then each unit's result is filed."""
    from generator.batch import run_batch
    from generator.files import zip_bytes

    with Sessions() as session:
        b = session.get(Batch, batch_id)
        profile, folder, dept_id = b.profile, b.folder, b.department_id
    work = store.work(folder)
    inputs = sorted((work / "in").iterdir())
    try:
        report = run_batch(
            inputs, work / "out", profile=profile, template=Path(template) if template else None, jobs=workers, progress=_Progress(Sessions, batch_id)
        )
    except Exception as err:
        with Sessions() as session:
            b = session.get(Batch, batch_id)
            b.status, b.message = "失败", f"批量生成出错：{err.__class__.__name__}: {jobs.one_line(err)}"
            for up_id in sources.values():
                up = session.get(Upload, up_id)
                up.status, up.message = "无法读取", b.message
            session.commit()
        return
    rows, docs = [], []
    with Sessions() as session:
        dept = session.get(Department, dept_id) if dept_id else None
        for r in report.results:
            name = Path(r.source).name
            up = session.get(Upload, sources[name])
            up.unit_name = r.unit
            up.status = {"已生成": "无错误", "未变化（跳过）": "无错误", "有错误": "有错误", "缺少内容": "无错误"}.get(r.status, "无法读取")
            up.message = r.message if up.status == "无法读取" else ""
            up.findings = r.findings
            if user.role == "unit":
                up.unit_id = user.unit_id
            elif r.unit:
                up.unit_id = auth.find_unit(session, r.unit, dept.id if dept else None).id
            build_id = None
            if r.output and Path(r.output).exists():
                data = Path(r.output).read_bytes()
                docs.append((Path(r.output).name, data))
                build = Build(upload_id=up.id, user_id=user.id, profile=profile, status="已生成", docx=store.put(data, ".docx"))
                session.add(build)
                session.flush()
                build_id = build.id
            rows.append(
                {
                    "file": name,
                    "unit": r.unit,
                    "status": r.status,
                    "warnings": r.warnings,
                    "errors": r.errors,
                    "message": jobs.one_line(Exception(r.message)) if r.message else "",
                    "upload": up.id,
                    "build": build_id,
                }
            )
        (work / "全部文档.zip").write_bytes(zip_bytes(sorted(docs)))
        b = session.get(Batch, batch_id)
        b.results, b.done, b.status = rows, len(rows), "已完成"
        b.message = "部门数与各单位之和不一致，详见汇总报告。" if any(f.get("level") == "error" for f in report.department) else ""
        session.commit()


def _secret(data: Path) -> str:
    """The key that signs session cookies: made once per data folder, readable by its owner only."""
    path = data / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
