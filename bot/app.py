"""Builds the python-telegram-bot Application and runs it: the only module in bot/ that imports
telegram. The handlers live in handlers/, one module per feature."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import ValidationError
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

from bot import webhook
from bot.config import ConfigError, Settings, get_settings
from bot.redact import redacted_output, secrets_of
from bot.render import help as help_texts

if TYPE_CHECKING:
    from bot.engine import Engine
    from handlers.common import Services

log = logging.getLogger(__name__)

# The commands Telegram shows in the "/" menu (bot/render/help.py words them). Admin commands
# are shown only to admins.
PUBLIC_COMMANDS = [BotCommand(name, about) for name, about in help_texts.PUBLIC_COMMANDS]
ADMIN_COMMANDS = [
    *PUBLIC_COMMANDS,
    *(BotCommand(name, about) for name, about in help_texts.ADMIN_COMMANDS),
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
    services = Services(settings=settings, engine=engine, owns_engine=engine is None)
    app.bot_data["services"] = services
    register(app)
    if engine is not None:
        _ready(services)
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

    services: Services = app.bot_data["services"]
    if services.engine is None:
        settings = services.settings
        services.engine = await Engine.open(settings.database_path, settings.seeds_dir)
    _ready(services)
    await register_commands(app)


def _ready(services: Services) -> None:
    """Once the engine is open: expired upload previews are pruned from now on."""
    from handlers.uploads import attach

    attach(services)


async def register_commands(app: Application) -> None:
    """Publish the command menu; admins get their extra commands in their private chats."""

    services: Services = app.bot_data["services"]
    await app.bot.set_my_commands(PUBLIC_COMMANDS)
    for admin in sorted(services.settings.admin_ids):
        try:
            await app.bot.set_my_commands(ADMIN_COMMANDS, scope=BotCommandScopeChat(admin))
        except TelegramError as exc:
            # Telegram refuses chats it has not seen: the admin has not started the bot yet.
            log.warning("admin commands not registered for %s: %s", admin, exc)


async def _post_shutdown(app: Application) -> None:

    services: Services = app.bot_data["services"]
    services.inline_log.flush()  # inline queries still settling are logged (then written)
    if services.owns_engine and services.engine is not None:
        await services.engine.close()
        services.engine = None


def run_bot(*, rotate_webhook_secret: bool = False) -> int:
    """`reportbot run`: long polling, or a webhook when WEBHOOK_URL is set; the exit code.

    The token never reaches the terminal: log records are redacted where they are made, and
    stdout/stderr are wrapped for everything else (a start-up error, a traceback). A start-up
    failure is one line saying what to check, with exit code 1. `rotate_webhook_secret`: make
    a new webhook secret first (bot/webhook.py); setWebhook at start-up registers it.
    """
    try:
        settings = get_settings()
        token = settings.require_token()
    except (ConfigError, ValidationError) as exc:
        print(f"reportbot: {exc}", file=sys.stderr)
        return 2
    with redacted_output(secrets_of(token)):
        try:
            return _run(settings, rotate_webhook_secret=rotate_webhook_secret)
        except InvalidToken:
            where = settings.telegram_base_url.strip() or "api.telegram.org"
            hint = " and TELEGRAM_BASE_URL" if settings.telegram_base_url.strip() else ""
            print(f"reportbot: the Bot API at {where} refused the token (HTTP 401 or 404): "
                  f"check TELEGRAM_BOT_TOKEN{hint}.", file=sys.stderr)  # fmt: skip
        except Exception as exc:  # start-up failures: a bad URL, no network, a locked database
            log.debug("start-up failed", exc_info=exc)
            where = settings.telegram_base_url.strip() or "api.telegram.org"
            print(f"reportbot: could not start ({type(exc).__name__}: {exc}); check the network, "
                  f"TELEGRAM_BASE_URL ({where}) and DATABASE_PATH.", file=sys.stderr)  # fmt: skip
        return 1


def _run(settings: Settings, *, rotate_webhook_secret: bool = False) -> int:
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
    # Our own stop signals (see GracefulStop), on the loop that run_polling/run_webhook will use.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    stopper = GracefulStop(app)
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopper)
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
            stop_signals=None,
        )
    else:
        log.info("starting long polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=None)
    return 0


class GracefulStop:
    """SIGTERM/SIGINT: stop fetching updates at once, give running handlers GRACE seconds, exit.

    python-telegram-bot's own stop signal ends the event loop, and then Application.stop()
    processes every update already fetched before returning: with a flood queued that took
    tens of seconds. Here the signal marks the services as stopping (queued queries are then
    dropped unanswered instead of started; see handlers/query.py) and ends run_forever; the
    handlers still running after GRACE seconds are cancelled, so stop() returns. A second
    signal, or a shutdown still not done after HARD_LIMIT seconds, ends the process at once.
    """

    GRACE = 3.0
    HARD_LIMIT = 8.0

    def __init__(self, app: Application) -> None:
        self.app = app
        self.stopping = False

    def __call__(self) -> None:
        if self.stopping:
            log.warning("second stop signal: exiting now")
            os._exit(1)
        self.stopping = True
        if not self.app.running:
            raise SystemExit  # still starting up: PTB shuts down what it started
        log.info("stop signal: no new updates; running handlers get %.0f s", self.GRACE)
        services = self.app.bot_data.get("services")
        if services is not None:
            services.stopping = True
        loop = asyncio.get_running_loop()
        loop.call_later(self.GRACE, self._cancel_handlers)
        watchdog = threading.Timer(self.HARD_LIMIT, self._give_up)
        watchdog.daemon = True
        watchdog.start()
        self.app.stop_running()

    def _cancel_handlers(self) -> None:
        kinds = (":process_concurrent_update", ":process_update_non_blocking")
        late = [
            t for t in asyncio.all_tasks() if not t.done() and any(k in t.get_name() for k in kinds)
        ]
        if late:
            log.warning("cancelling %d handler(s) still running after %.0f s", len(late),
                        self.GRACE)  # fmt: skip
        for task in late:
            task.cancel()

    def _give_up(self) -> None:
        log.error("shutdown took over %.0f s: exiting now", self.HARD_LIMIT)
        logging.shutdown()
        os._exit(1)
