"""The channel commands: ``policybot serve`` (one process for every HTTP channel) and ``policybot telegram``.

``bot.cli`` calls ``register(subparsers)``; each command is ``func(args, settings) -> exit code``.
"""

from __future__ import annotations

import argparse
import logging
import sys

from bot.settings import Settings

log = logging.getLogger("policybot")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``serve`` and ``telegram`` to the ``policybot`` command line."""
    s = subparsers.add_parser("serve", help="HTTP API, web page, WeChat/WeCom callbacks and the Telegram webhook, in one process (uvicorn)")
    s.add_argument("--host", help="address to listen on (default: POLICYBOT_HOST, 127.0.0.1)")
    s.add_argument("--port", type=int, help="port to listen on (default: POLICYBOT_PORT, 8000)")
    s.add_argument(
        "--telegram-webhook-url",
        default="",
        help="public URL of this server's /telegram/webhook; registered with Telegram at start (needs the token and webhook secret)",
    )
    s.set_defaults(func=cmd_serve)

    t = subparsers.add_parser("telegram", help="run the Telegram bot with long polling (POLICYBOT_TELEGRAM_TOKEN)")
    t.set_defaults(func=cmd_telegram)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Build the engine once, then serve every HTTP channel from one uvicorn process."""
    import uvicorn

    from bot.channels.http import create_app
    from bot.wiring import build_engine

    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    if not 0 <= port <= 65535:
        print(f"bad port: {port}", file=sys.stderr)
        return 2
    engine = build_engine(settings)
    try:
        app = create_app(settings, engine, telegram_webhook_url=args.telegram_webhook_url)
    except ValueError as exc:
        print(f"bad setting: {exc}", file=sys.stderr)
        return 2
    channels = [name for name, on in app.state.wechat.items() if on] + (["telegram webhook"] if app.state.telegram else [])
    print(
        f"PolicyBot on http://{host}:{port}/ — API /api/ask, docs /docs" + (f", channels: {', '.join(channels)}" if channels else ""),
        file=sys.stderr,
        flush=True,
    )
    verbose = bool(getattr(args, "verbose", False))
    uvicorn.run(app, host=host, port=port, log_level="info" if verbose else "warning", access_log=verbose, workers=1)
    return 0


def cmd_telegram(args: argparse.Namespace, settings: Settings) -> int:
    """Long polling until Ctrl-C or SIGTERM."""
    from telegram.error import InvalidToken, TelegramError

    from bot.channels.telegram import run_polling
    from bot.wiring import build_engine

    if not settings.telegram_token:
        print("POLICYBOT_TELEGRAM_TOKEN is not set", file=sys.stderr)
        return 2
    engine = build_engine(settings)
    print("PolicyBot on Telegram (long polling); Ctrl-C to stop", file=sys.stderr, flush=True)
    try:
        run_polling(settings, engine)
    except InvalidToken:
        print("Telegram refused the token (POLICYBOT_TELEGRAM_TOKEN)", file=sys.stderr)
        return 1
    except TelegramError as exc:
        log.error("telegram polling failed: %s", exc, exc_info=exc)
        print(f"could not talk to the Telegram Bot API: {exc}", file=sys.stderr)
        return 1
    return 0
