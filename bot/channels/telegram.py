"""Telegram front end (python-telegram-bot 22): long polling via ``policybot telegram``, webhook via ``policybot serve``.

Private chats answer every text. Groups answer only when the bot is mentioned, replied to or
commanded (``/ask …``), with one conversation per user per group. Answers are computed off the
event loop; replies are HTML-escaped and split at sentence ends to fit 4096 characters.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re

from fastapi import APIRouter, Request, Response
from telegram import BotCommand, LinkPreviewOptions, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels import Engine
from bot.channels.limits import KeyedLocks, RateLimiter
from bot.channels.render import telegram_answer, telegram_plain, telegram_sources, text
from bot.settings import Settings

log = logging.getLogger("policybot.telegram")

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
COMMANDS = [
    ("ask", "提问 / ask a question"),
    ("sources", "上一个回答的完整出处 / full sources of the last answer"),
    ("regions", "覆盖哪些地区 / what the knowledge base covers"),
    ("reset", "开始新的对话 / start over"),
    ("help", "帮助 / help"),
]
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_OK = re.compile(r"[A-Za-z0-9_-]{1,256}")
TYPING_EVERY_S = 4.5  # Telegram shows "typing…" for 5 seconds per action


def _cut_utf16(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` without the given (offset, length) ranges, counted in UTF-16 code units as Telegram does."""
    raw = text.encode("utf-16-le")
    for offset, length in sorted(ranges, reverse=True):
        raw = raw[: offset * 2] + raw[(offset + length) * 2 :]
    return raw.decode("utf-16-le", errors="ignore")


class TelegramFrontEnd:
    """The handlers, over one engine; holds the rate limiters and per-conversation locks."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.user_rate = RateLimiter(settings.rate_per_user_per_min)
        self.chat_rate = RateLimiter(settings.rate_per_chat_per_min)
        self.locks = KeyedLocks()

    # ---------- helpers ----------

    @staticmethod
    def session_of(update: Update) -> str:
        """One conversation per user per chat."""
        chat = update.effective_chat
        user = update.effective_user
        return f"tg:{chat.id if chat else 0}:{user.id if user else 0}"

    @staticmethod
    def _private(update: Update) -> bool:
        return bool(update.effective_chat and update.effective_chat.type == ChatType.PRIVATE)

    async def _reply(self, message: Message, parts: list[str], quote: bool) -> None:
        for i, part in enumerate(parts):
            await message.reply_text(
                part,
                parse_mode=ParseMode.HTML,
                do_quote=quote and i == 0,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )

    async def _say(self, update: Update, body: str) -> None:
        message = update.effective_message
        if message is not None:
            await self._reply(message, telegram_plain(body), quote=not self._private(update))

    async def _admit(self, update: Update) -> bool:
        """Apply the per-user and per-chat limits; a polite notice once per minute when over."""
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None:
            return False
        if not self.user_rate.allow(str(user.id)):
            log.info("rate limit: user %s in chat %s", user.id, chat.id)
            if self.user_rate.should_notice(str(user.id)):
                await self._say(update, text("rate_user"))
            return False
        if not self.chat_rate.allow(str(chat.id)):
            log.info("rate limit: chat %s", chat.id)
            if self.chat_rate.should_notice(str(chat.id)):
                await self._say(update, text("rate_chat"))
            return False
        return True

    async def _keep_typing(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        message = update.effective_message
        thread = message.message_thread_id if message is not None and message.is_topic_message else None
        while chat is not None:
            try:
                await context.bot.send_chat_action(chat.id, ChatAction.TYPING, message_thread_id=thread)
            except Exception as exc:  # a missed typing indicator is not worth failing the answer
                log.debug("typing action failed: %s", exc)
            await asyncio.sleep(TYPING_EVERY_S)

    async def _answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
        """Answer one question in the user's conversation, replies in order per conversation.

        Empty, over-long or unreadable questions get the engine's own polite reply.
        """
        message = update.effective_message
        if message is None:
            return
        session = self.session_of(update)
        lock = self.locks.get(session)
        async with lock:
            typing = asyncio.create_task(self._keep_typing(update, context))
            try:
                answer = await asyncio.to_thread(self.engine.answer, question, session)
            finally:
                typing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await typing
            await self._reply(message, telegram_answer(answer), quote=not self._private(update))

    def _addressed_text(self, message: Message, context: ContextTypes.DEFAULT_TYPE) -> str | None:
        """In a group: the question if the bot is mentioned or replied to, else None."""
        bot = context.bot
        username = (bot.username or "").lower()
        mentions: list[tuple[int, int]] = []
        for ent, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
            if (ent.type == MessageEntity.MENTION and value[1:].lower() == username) or (
                ent.type == MessageEntity.TEXT_MENTION and ent.user is not None and ent.user.id == bot.id
            ):
                mentions.append((ent.offset, ent.length))
        reply = message.reply_to_message
        replied = bool(reply and reply.from_user and reply.from_user.id == bot.id)
        if not mentions and not replied:
            return None
        return _cut_utf16(message.text or "", mentions)

    # ---------- handlers ----------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start: a welcome with examples."""
        if await self._admit(update):
            await self._say(update, text("welcome") + "\n\n" + text("help"))

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help: the commands and what the knowledge base covers."""
        if await self._admit(update):
            coverage = await asyncio.to_thread(self.engine.coverage)
            await self._say(update, text("help") + "\n\n" + text("regions_head") + "\n" + coverage)

    async def ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/ask question: answer it (the way to ask in groups); /ask as a reply asks the replied text."""
        message = update.effective_message
        if message is None or not await self._admit(update):
            return
        command = next((e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0), None)
        question = _cut_utf16(message.text or "", [(0, command.length)] if command else []).strip()
        if not question and message.reply_to_message is not None:
            question = (message.reply_to_message.text or "").strip()
        if not question:
            await self._say(update, text("ask_usage"))
            return
        await self._answer(update, context, question)

    async def sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/sources: the full citations of the last answer, quotes included."""
        message = update.effective_message
        if message is None or not await self._admit(update):
            return
        last = await asyncio.to_thread(self.engine.last_answer, self.session_of(update))
        await self._reply(message, telegram_sources(last), quote=not self._private(update))

    async def regions(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/regions: what regions and kinds of facts the knowledge base covers."""
        if await self._admit(update):
            coverage = await asyncio.to_thread(self.engine.coverage)
            await self._say(update, text("regions_head") + "\n" + coverage)

    async def reset(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/reset: forget this user's conversation in this chat."""
        if await self._admit(update):
            await asyncio.to_thread(self.engine.reset, self.session_of(update))
            await self._say(update, text("reset"))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Plain text: always in private chats; in groups only when addressed to the bot."""
        message = update.effective_message
        if message is None:
            return
        if self._private(update):
            question = message.text or ""
        else:
            question = self._addressed_text(message, context)
            if question is None:
                return
            if not question.strip():
                if await self._admit(update):
                    await self._say(update, text("mention_empty", bot=context.bot.username))
                return
        if await self._admit(update):
            await self._answer(update, context, question)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice …: a hint to ask in text (in groups only when replying to the bot)."""
        message = update.effective_message
        if message is None:
            return
        if not self._private(update):
            reply = message.reply_to_message
            if not (reply and reply.from_user and reply.from_user.id == context.bot.id):
                return
        if await self._admit(update):
            await self._say(update, text("not_text"))

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command we do not have: point to /help (in groups only if addressed to this bot)."""
        message = update.effective_message
        if message is None:
            return
        if not self._private(update):
            command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
            if not command.lower().endswith("@" + (context.bot.username or "").lower()):
                return
        if await self._admit(update):
            await self._say(update, text("unknown_command"))

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press we do not know (old keyboards): say so instead of leaving a spinner."""
        if update.callback_query is not None:
            await update.callback_query.answer(text("stale_button"))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the error with its traceback; tell the user politely, never the details."""
        log.error("telegram update failed: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            try:
                await update.effective_message.reply_text(text("error"))
            except Exception as exc:
                log.warning("could not tell the user about the error: %s", exc)

    async def post_init(self, application: Application) -> None:
        """Publish the command menu (best effort)."""
        try:
            await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        except Exception as exc:
            log.warning("could not set the command menu: %s", exc)


def build_application(settings: Settings, engine: Engine) -> Application:
    """The whole Telegram wiring in one place: builder, handlers, error handler."""
    if not settings.telegram_token:
        raise ValueError("POLICYBOT_TELEGRAM_TOKEN is not set")
    front = TelegramFrontEnd(settings, engine)
    builder = ApplicationBuilder().token(settings.telegram_token).concurrent_updates(64).post_init(front.post_init)
    if settings.telegram_base_url:
        base = settings.telegram_base_url
        builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot", 1) if "/bot" in base else base)
    app = builder.build()
    app.bot_data["frontend"] = front
    messages = filters.UpdateType.MESSAGES
    app.add_handler(CommandHandler("start", front.start, filters=messages))
    app.add_handler(CommandHandler("help", front.help, filters=messages))
    app.add_handler(CommandHandler("ask", front.ask, filters=messages))
    app.add_handler(CommandHandler("sources", front.sources, filters=messages))
    app.add_handler(CommandHandler("regions", front.regions, filters=messages))
    app.add_handler(CommandHandler("reset", front.reset, filters=messages))
    app.add_handler(MessageHandler(messages & filters.COMMAND, front.on_unknown_command))
    app.add_handler(MessageHandler(messages & filters.TEXT, front.on_text))
    app.add_handler(MessageHandler(messages & ~filters.StatusUpdate.ALL, front.on_other))
    app.add_handler(CallbackQueryHandler(front.on_callback))
    app.add_error_handler(front.on_error)
    return app


def run_polling(settings: Settings, engine: Engine) -> None:
    """Long polling until interrupted (``policybot telegram``)."""
    app = build_application(settings, engine)
    log.info("telegram: long polling")
    app.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)


def check_webhook_secret(secret: str) -> None:
    """Telegram accepts 1–256 characters A-Z a-z 0-9 _ - as a webhook secret."""
    if not _SECRET_OK.fullmatch(secret):
        raise ValueError("POLICYBOT_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")


def webhook_router(application: Application, secret: str) -> APIRouter:
    """A FastAPI router for ``POST /telegram/webhook``: checks the secret header, queues the update."""
    router = APIRouter()

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("telegram webhook: bad or missing secret token from %s", request.client.host if request.client else "?")
            return Response(status_code=403)
        if not application.running:
            return Response(status_code=503)  # Telegram retries later
        body = await request.body()
        if len(body) > 1_000_000:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("an update is a JSON object")
            update = Update.de_json(data, application.bot)
        except Exception as exc:
            log.warning("telegram webhook: unreadable update: %s", exc)
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return router
