"""The HTTP front end (FastAPI): JSON API, the web page, and the chat callbacks, in one ASGI app.

``create_app(settings, engine)`` serves

* ``POST /api/ask`` → the Answer JSON (DESIGN.md §2); ``POST /api/reset``; ``GET /api/facts``;
* ``GET /healthz``; OpenAPI at ``/docs`` and ``/openapi.json``;
* the web page at ``/`` (static files under ``/static``);
* ``/wechat`` and ``/wecom`` when their tokens are set, and ``/telegram/webhook`` when a Telegram
  token and webhook secret are set.

``/api/*`` requires the ``X-API-Key`` header when ``POLICYBOT_API_KEY`` is set.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import APIKeyHeader
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from bot import __version__
from bot.channels import Engine
from bot.settings import Settings
from knowledge.errors import KnowledgeError

log = logging.getLogger("policybot.http")

WEB = Path(__file__).with_name("web")
FACT_KINDS = ("target", "measure", "statistic", "scenario", "technology", "policy")
MAX_SESSION_CHARS = 128
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class AskRequest(BaseModel):
    """One question in a conversation."""

    question: str = Field(description="the question, 1–500 characters", examples=["上海元宇宙产业规模目标是多少？"])
    session: str | None = Field(
        default=None,
        max_length=MAX_SESSION_CHARS,
        description="conversation id chosen by the client, so follow-ups like 那南京呢？ work; omit for a one-off question",
        examples=["web-3f2a9c"],
    )


class ResetRequest(BaseModel):
    """A conversation to forget."""

    session: str = Field(min_length=1, max_length=MAX_SESSION_CHARS)


class CitationOut(BaseModel):
    """A numbered source with its verbatim quote."""

    n: int
    source: str = Field(description="the document's path as ingested")
    title: str
    section: str
    quote: str = Field(description="verbatim from the cleaned text of the source")
    span: list[int] = Field(description="[start, end) characters in the original file")


class AnswerOut(BaseModel):
    """The answer contract (DESIGN.md §2)."""

    answer: str = Field(description="the answer with [n] markers")
    found: bool = Field(description="false when the knowledge base holds nothing that answers the question")
    citations: list[CitationOut]
    facts: list[dict[str, Any]]
    intent: str
    slots: dict[str, Any]


class FactsOut(BaseModel):
    """Rows of the fact table, each with its evidence list."""

    count: int
    facts: list[dict[str, Any]]


def _problem(status: int, detail: str, errors: list[Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status)


class _SecurityHeaders:
    """Pure ASGI middleware: nosniff everywhere; a strict CSP on the web page (not on /docs, which loads Swagger UI)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        page = path == "/" or path.startswith("/static/")

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                if page:
                    headers.append((b"content-security-policy", CSP.encode()))
                    headers.append((b"referrer-policy", b"no-referrer"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    settings: Settings,
    engine: Engine,
    *,
    wechat_passive_timeout: float | None = None,
    telegram_webhook_url: str = "",
) -> FastAPI:
    """The one ASGI app of ``policybot serve``; channels are mounted when their settings are present."""
    from bot.channels.wechat import PASSIVE_TIMEOUT_S, WeChatEndpoint

    passive = PASSIVE_TIMEOUT_S if wechat_passive_timeout is None else wechat_passive_timeout
    endpoints = [
        WeChatEndpoint(kind, settings, engine, passive_timeout=passive) for kind in ("wechat", "wecom") if _configured(settings, kind)
    ]
    telegram = None
    if settings.telegram_token:
        from bot.channels.telegram import build_application, check_webhook_secret

        if settings.telegram_webhook_secret:
            check_webhook_secret(settings.telegram_webhook_secret)
            telegram = build_application(settings, engine)
        else:
            log.warning("telegram webhook disabled: set POLICYBOT_TELEGRAM_WEBHOOK_SECRET (or run `policybot telegram` for long polling)")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if telegram is not None:
            await _start_telegram(telegram, settings, telegram_webhook_url)
        try:
            yield
        finally:
            if telegram is not None and telegram.running:
                await telegram.stop()
            if telegram is not None:
                await telegram.shutdown()
            for ep in endpoints:
                await ep.aclose()

    app = FastAPI(
        title="PolicyBot",
        version=__version__,
        description="Answers about Chinese local-government metaverse (元宇宙) industry policies, every figure with its cited source.",
        lifespan=lifespan,
    )
    app.add_middleware(_SecurityHeaders)
    key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="required when POLICYBOT_API_KEY is set")

    def require_key(given: str | None = Security(key_header)) -> None:
        if settings.api_key and not (given and hmac.compare_digest(given.encode(), settings.api_key.encode())):
            raise HTTPException(401, "missing or wrong X-API-Key header", headers={"WWW-Authenticate": "X-API-Key"})

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
        return _problem(422, f"{where}: {first['msg']}", errors)

    @app.exception_handler(HTTPException)
    async def on_http(request: Request, exc: HTTPException) -> JSONResponse:
        resp = _problem(exc.status_code, str(exc.detail))
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return _problem(500, "internal error; details are in the server log")

    @app.post("/api/ask", response_model=AnswerOut, dependencies=[Depends(require_key)], tags=["answers"])
    def ask(req: AskRequest) -> dict[str, Any]:
        """Answer one question; with the same ``session`` a follow-up keeps the conversation."""
        question = req.question
        if not question.strip():
            raise HTTPException(422, "question is empty: ask one question about local metaverse policies")
        if len(question) > settings.max_question_chars:
            raise HTTPException(422, f"question is too long: {len(question)} characters, at most {settings.max_question_chars}")
        session = f"http:{req.session}" if req.session else f"http:once:{uuid.uuid4().hex}"
        answer = engine.answer(question, session)
        if not req.session:
            engine.reset(session)
        return answer.to_json()

    @app.post("/api/reset", status_code=204, dependencies=[Depends(require_key)], tags=["answers"])
    def reset(req: ResetRequest) -> Response:
        """Forget a conversation."""
        engine.reset(f"http:{req.session}")
        return Response(status_code=204)

    @app.get("/api/facts", response_model=FactsOut, dependencies=[Depends(require_key)], tags=["facts"])
    def facts(
        region: str | None = Query(None, max_length=50, description="a region and the places inside it (上海 includes 宝山区)"),
        kind: Literal["target", "measure", "statistic", "scenario", "technology", "policy"] | None = Query(None),
        year: int | None = Query(None, description="target or statistic year, e.g. 2025"),
    ) -> dict[str, Any]:
        """The fact table, like ``policybot facts --json``: one object per fact with its evidence list."""
        try:
            store = engine.kb.facts()
            rows = [
                {"kind": k, **{n: v for n, v in r.items() if n != "kind"}}
                for k in ([kind] if kind else FACT_KINDS)
                for r in store.query(k, region=region, year=year)
            ]
        except KnowledgeError as exc:
            raise HTTPException(422, str(exc)) from exc
        return {"count": len(rows), "facts": rows}

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, Any]:
        """Liveness and which channels are mounted."""
        return {
            "status": "ok",
            "version": __version__,
            "channels": {
                "api": True,
                "web": True,
                "wechat": _configured(settings, "wechat"),
                "wecom": _configured(settings, "wecom"),
                "telegram_webhook": telegram is not None,
            },
        }

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=WEB), name="static")
    for ep in endpoints:
        app.include_router(ep.router())
    if telegram is not None:
        from bot.channels.telegram import webhook_router

        app.include_router(webhook_router(telegram, settings.telegram_webhook_secret))
    app.state.engine = engine
    app.state.telegram = telegram
    app.state.wechat = {ep.kind: ep for ep in endpoints}
    return app


def _configured(settings: Settings, kind: str) -> bool:
    return bool(settings.wechat_token if kind == "wechat" else settings.wecom_token)


async def _start_telegram(telegram: Any, settings: Settings, webhook_url: str) -> None:
    """Start the Telegram application without an updater (updates arrive by webhook); best effort."""
    from bot.channels.telegram import ALLOWED_UPDATES

    try:
        await telegram.initialize()
        if telegram.post_init is not None:
            await telegram.post_init(telegram)
        await telegram.start()
        if webhook_url:
            await telegram.bot.set_webhook(webhook_url, secret_token=settings.telegram_webhook_secret, allowed_updates=ALLOWED_UPDATES)
            log.info("telegram webhook set to %s", webhook_url)
    except Exception as exc:
        log.error("telegram could not start (the other channels keep running): %s", exc, exc_info=exc)
