"""Builds the python-telegram-bot Application and runs it: the only module in bot/ that imports
telegram. The handlers live in handlers/, one module per feature."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import ValidationError
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

from bot import webhook
from bot.config import ConfigError, Settings, get_settings

if TYPE_CHECKING:
    from bot.engine import Engine

log = logging.getLogger(__name__)

# The commands Telegram shows in the "/" menu. Admin commands are shown only to admins.
PUBLIC_COMMANDS = [
    BotCommand("q", "查询，例如 /q 就业目标"),
    BotCommand("reports", "已载入的报告，选择本聊天默认报告"),
    BotCommand("help", "用法和示例"),
    BotCommand("about", "版本和报告数量"),
    BotCommand("start", "开始"),
]
ADMIN_COMMANDS = [
    *PUBLIC_COMMANDS,
    BotCommand("reload", "重新扫描报告文件夹"),
    BotCommand("delete", "删除一份报告：/delete 报告ID"),
]

# Loggers that print request URLs, and so the token inside them, below WARNING.
NOISY_LOGGERS = ("httpx", "httpcore")


class _TokenRedactor:
    """Wraps the log record factory so that no record anywhere carries the token.

    Keeping httpx at WARNING covers its request lines, but python-telegram-bot itself logs the
    API URL (token included) at DEBUG, and exception messages can quote URLs too. Redacting at
    record creation also covers handlers installed later, such as pytest's caplog.
    """

    def __init__(self) -> None:
        self.secrets: set[str] = set()
        self._previous = logging.getLogRecordFactory()

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self._previous(*args, **kwargs)
        if not self.secrets:
            return record
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's problem, not ours
            return record
        if any(secret in message for secret in self.secrets):
            record.msg, record.args = self.redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters use exc_text when it is set, so the traceback is redacted once here.
            text = logging.Formatter().formatException(record.exc_info)
            if any(secret in text for secret in self.secrets):
                record.exc_text = self.redact(text)
        return record

    def redact(self, text: str) -> str:
        # Longest first: the whole token, then its secret half on its own.
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "<token>")
        return text


_redactor: _TokenRedactor | None = None


def protect_token(token: str) -> None:
    """Keep `token` out of every log record from now on (idempotent)."""
    global _redactor
    if _redactor is None:
        _redactor = _TokenRedactor()
        logging.setLogRecordFactory(_redactor)
    _redactor.secrets.add(token)
    secret_half = token.partition(":")[2]
    if len(secret_half) >= 16:  # too short to be the real secret, and it would mangle logs
        _redactor.secrets.add(secret_half)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def build_application(settings: Settings, engine: Engine | None = None) -> Application:
    """The configured Application. With `engine` given the caller owns it (tests); otherwise
    post_init opens one from settings and post_shutdown closes it."""
    from handlers import register
    from handlers.common import Services

    token = settings.require_token()
    protect_token(token)
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .rate_limiter(AIORateLimiter())
        # Queries keep being answered while an admin's /reload or import is running.
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    base_url, file_url = api_urls(settings)
    if base_url:
        builder = builder.base_url(base_url)
    if file_url:
        builder = builder.base_file_url(file_url)
    app = builder.build()
    app.bot_data["services"] = Services(
        settings=settings, engine=engine, owns_engine=engine is None
    )
    register(app)
    return app


def api_urls(settings: Settings) -> tuple[str, str]:
    """The Bot API and file URLs; "" means Telegram's own.

    A self-hosted server serves files under /file/bot next to /bot, so when only
    TELEGRAM_BASE_URL is set the file URL follows it instead of silently going to Telegram.
    """
    base = settings.telegram_base_url.strip()
    files = settings.telegram_base_file_url.strip()
    if base and not files and base.endswith("/bot"):
        files = base.removesuffix("/bot") + "/file/bot"
    return base, files


async def _post_init(app: Application) -> None:
    from bot.engine import Engine
    from handlers.common import Services

    services: Services = app.bot_data["services"]
    if services.engine is None:
        settings = services.settings
        services.engine = await Engine.open(settings.database_path, settings.seeds_dir)
    await register_commands(app)


async def register_commands(app: Application) -> None:
    """Publish the command menu; admins get their extra commands in their private chats."""
    from handlers.common import Services

    services: Services = app.bot_data["services"]
    await app.bot.set_my_commands(PUBLIC_COMMANDS)
    for admin in sorted(services.settings.admin_ids):
        try:
            await app.bot.set_my_commands(ADMIN_COMMANDS, scope=BotCommandScopeChat(admin))
        except TelegramError as exc:
            # Telegram refuses chats it has not seen: the admin has not started the bot yet.
            log.warning("admin commands not registered for %s: %s", admin, exc)


async def _post_shutdown(app: Application) -> None:
    from handlers.common import Services

    services: Services = app.bot_data["services"]
    if services.owns_engine and services.engine is not None:
        await services.engine.close()
        services.engine = None


def run_bot(*, rotate_webhook_secret: bool = False) -> int:
    """`reportbot run`: long polling, or a webhook when WEBHOOK_URL is set; the exit code.
    `rotate_webhook_secret`: make a new webhook secret first (bot/webhook.py); setWebhook at
    start-up registers it with Telegram."""
    try:
        settings = get_settings()
        settings.require_token()
    except (ConfigError, ValidationError) as exc:
        print(f"reportbot: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # aiosqlite logs every statement at DEBUG, drowning the bot's own debugging output.
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, logging.root.level))
    app = build_application(settings)
    secret = ""
    if settings.webhook_url or rotate_webhook_secret:
        # Loaded before anything could log it; random, 0600, never derived from the token.
        secret = webhook.load_secret(
            webhook.secret_path(settings.database_path), rotate=rotate_webhook_secret
        )
    if settings.webhook_url:
        webhook.cap_request_bodies()
        path = urlsplit(settings.webhook_url).path.lstrip("/")
        log.info("starting webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=path,
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("starting long polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
