"""A local Bot API server for tests: the real bot talks to it over HTTP through `base_url`.

Like aiogram's MockedBot, it records every request and answers as api.telegram.org would,
including Telegram's own error descriptions, so that bugs which only show up against the real
server (an unescaped ``<``, a 5,000-character answer, 70 bytes of callback data, an edit that
changes nothing) fail the tests instead of production.

Tests inject updates with the helpers (`private_text`, `group_text`, `reply_to`, `press`,
`inline_query`, `upload_document`) and wait for the bot's answers with `wait_for`. Photos and
documents the bot sends are kept in `uploads` as their multipart upload carried them (file
name, bytes, caption, the message they reply to).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON = dict[str, Any]

MAX_TEXT = 4096  # characters (UTF-16 code units) after entity parsing
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
MAX_INLINE_RESULTS = 50
MAX_FILE_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files on the public server
MAX_FILE_UPLOAD = 50 * 1024 * 1024  # sendDocument
MAX_PHOTO = 10 * 1024 * 1024  # sendPhoto
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"

# Parameters whose values arrive JSON-encoded in form data (PTB and most clients send them so).
_JSON_PARAMS = {
    "reply_markup",
    "reply_parameters",
    "results",
    "commands",
    "entities",
    "caption_entities",
    "link_preview_options",
    "scope",
    "allowed_updates",
    "button",
}
_INT_PARAMS = {
    "message_id",
    "offset",
    "limit",
    "timeout",
    "cache_time",
    "user_id",
    "reply_to_message_id",
    "message_thread_id",
}
_BOOL_PARAMS = {
    "disable_notification",
    "protect_content",
    "is_personal",
    "show_alert",
    "drop_pending_updates",
    "disable_web_page_preview",
    "allow_sending_without_reply",
}


class ApiError(Exception):
    """An error answer: {"ok": false, "error_code": code, "description": description}."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


# ── HTML parse mode, as Telegram's td parser does it ─────────────────────────────────────────


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; str() is Telegram's description without prefix."""


_SPACES = " \t\r\n\0\v"
_ALLOWED_TAGS = {
    "a",
    "b",
    "strong",
    "i",
    "em",
    "s",
    "strike",
    "del",
    "u",
    "ins",
    "tg-spoiler",
    "tg-emoji",
    "span",
    "pre",
    "code",
    "blockquote",
}
_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at text[pos] == '&'; None when it is a literal '&'.

    Mirrors td's decode_html_entity: four named entities and numeric ones, the ';' optional;
    anything else leaves the '&' as it is (Telegram does not reject a bare '&').
    """
    end = pos + 1
    if text[end] == "#":
        end += 1
        value = 0
        if text[end] == "x":
            end += 1
            while text[end] in "0123456789abcdefABCDEF" and text[end] != "\0":
                value = value * 16 + int(text[end], 16)
                end += 1
                if value >= 0x10FFFF:
                    return None
        else:
            while text[end].isascii() and text[end].isdigit():
                value = value * 10 + int(text[end])
                end += 1
                if value >= 0x10FFFF:
                    return None
        if value == 0 or 0xD800 <= value <= 0xDFFF:
            return None
        char = chr(value)
    else:
        while text[end].isascii() and text[end].isalpha():
            end += 1
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if text[end] == ";":
        end += 1
    return char, end


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG, read from its header; None for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] == b"\xff\xd8":
        pos = 2
        while pos + 9 < len(data) and data[pos] == 0xFF:
            marker = data[pos + 1]
            length = int.from_bytes(data[pos + 2 : pos + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # start of frame
                h = int.from_bytes(data[pos + 5 : pos + 7], "big")
                w = int.from_bytes(data[pos + 7 : pos + 9], "big")
                return w, h
            pos += 2 + length
    return None


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Telegram HTML → (plain text, entities), or EntityParseError with Telegram's message.

    Offsets in error messages are UTF-8 byte offsets into the source, as Telegram reports them.
    """
    text = source + "\0"  # td reads a NUL-terminated string; the sentinel keeps indexing simple
    size = len(source)

    def byte_at(pos: int) -> int:
        return len(source[:pos].encode("utf-8"))

    out: list[str] = []
    out_units = 0
    stack: list[tuple[str, str, int]] = []  # (tag, argument, UTF-16 offset of its start)
    entities: list[JSON] = []
    i = 0
    while i < size:
        c = text[i]
        if c == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                char, i = decoded
                out.append(char)
                out_units += _utf16(char)
                continue
        if c != "<":
            out.append(c)
            out_units += _utf16(c)
            i += 1
            continue
        begin = i
        i += 1
        if text[i] != "/":
            while text[i] not in _SPACES and text[i] != ">":
                i += 1
            if text[i] == "\0":
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_at(begin)}")
            tag = text[begin + 1 : i].lower()
            if tag not in _ALLOWED_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {byte_at(begin)}'
                )
            argument = ""
            while text[i] != ">":
                while text[i] != "\0" and text[i] in _SPACES:
                    i += 1
                if text[i] == ">":
                    break
                name_start = i
                while text[i] not in _SPACES and text[i] not in "=>":
                    i += 1
                name = text[name_start:i]
                if not name:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {byte_at(begin)}'
                    )
                while text[i] != "\0" and text[i] in _SPACES:
                    i += 1
                if text[i] != "=":
                    if tag == "blockquote" and name == "expandable":
                        argument = "1"  # the one attribute Telegram takes without a value
                        continue
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {byte_at(begin)}'
                    )
                i += 1
                while text[i] != "\0" and text[i] in _SPACES:
                    i += 1
                if text[i] == "\0":
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {byte_at(begin)}'
                    )
                if text[i] not in "'\"":
                    token_start = i
                    while text[i].isascii() and (text[i].isalnum() or text[i] in ".-"):
                        i += 1
                    value = text[token_start:i].lower()
                    if text[i] not in _SPACES and text[i] != ">":
                        raise EntityParseError(
                            f"Unexpected end of name token at byte offset {byte_at(token_start)}"
                        )
                else:
                    quote = text[i]
                    i += 1
                    chars: list[str] = []
                    while text[i] != quote and text[i] != "\0":
                        if text[i] == "&":
                            decoded = _decode_entity(text, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(text[i])
                        i += 1
                    if text[i] == quote:
                        i += 1
                    value = "".join(chars)
                if text[i] == "\0":
                    raise EntityParseError(f"Unclosed start tag at byte offset {byte_at(begin)}")
                if tag == "a" and name == "href":
                    argument = value
                elif tag == "code" and name == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and name == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {byte_at(begin)}'
                )
            stack.append((tag, argument, out_units))
            i += 1  # the '>'
        else:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_at(begin)}")
            while text[i] not in _SPACES and text[i] != ">":
                i += 1
            end_name = text[begin + 2 : i]
            while text[i] != "\0" and text[i] in _SPACES:
                i += 1
            if text[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_at(begin)}")
            tag, argument, start = stack.pop()
            if end_name and end_name != tag:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {byte_at(begin)}, expected "</{tag}>", '
                    f'found "</{end_name}>"'
                )
            if out_units > start:
                entity: JSON = {
                    "type": _TAG_ENTITY[tag],
                    "offset": start,
                    "length": out_units - start,
                }
                if tag == "a":
                    entity["url"] = argument
                elif tag == "pre" and argument:
                    entity["language"] = argument
                elif tag == "blockquote" and argument:
                    entity["type"] = "expandable_blockquote"
                elif tag == "tg-emoji":
                    entity["custom_emoji_id"] = argument
                entities.append(entity)
            i += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def formatted_text(text: str, parse_mode: str | None) -> tuple[str, list[JSON]]:
    """Apply parse_mode as Telegram does; raises ApiError with Telegram's description."""
    if parse_mode is None or parse_mode == "":
        return text, []
    if parse_mode.lower() != "html":
        # Only HTML matters to this project; MarkdownV2 would need its own validator.
        raise bad_request(f"unsupported parse_mode {parse_mode!r} in this test server")
    try:
        return parse_html(text)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None


def check_message_text(
    text: str, parse_mode: str | None, *, limit: int = MAX_TEXT
) -> tuple[str, list[JSON]]:
    plain, entities = formatted_text(text, parse_mode)
    if not plain.strip():
        raise bad_request("message text is empty")
    if _utf16(plain.strip()) > limit:
        raise bad_request("message is too long")
    return plain, entities


def check_reply_markup(markup: Any) -> JSON | None:
    """Validate an inline keyboard the way Telegram does for the cases that matter here."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return markup  # reply keyboards, ForceReply, remove: accepted as they are
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise bad_request("can't parse inline keyboard button")
            if not button.get("text"):
                raise bad_request("BUTTON_TEXT_INVALID")
            kinds = [k for k in button if k != "text"]
            if not kinds:
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if "callback_data" in button:
                data = button["callback_data"]
                if (
                    not isinstance(data, str)
                    or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
                raise bad_request("BUTTON_URL_INVALID")
    return markup


# ── the server ───────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class Call:
    """One request the bot made, and what it was answered."""

    method: str
    params: JSON
    ok: bool
    result: Any = None
    error: str = ""
    at: float = field(default_factory=time.monotonic)


@dataclass(slots=True)
class Upload:
    """A file the bot sent (sendPhoto, sendDocument) as its multipart upload carried it."""

    method: str
    chat_id: int
    file_name: str
    data: bytes
    caption: str  # as sent (HTML source), "" when none
    reply_to: int | None  # the message it replies to
    message_id: int = 0

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(slots=True)
class StoredFile:
    file_id: str
    unique_id: str
    path: str
    data: bytes


class BotAPIServer:
    """Start with `await server.start()`; point the bot at `base_url` and `base_file_url`."""

    def __init__(
        self,
        token: str = "7000001:AAF-test-token-SECRET-0123456789abcdef",
        *,
        username: str = "ReportTestBot",
        privacy_mode: bool = False,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.username = username
        # With privacy mode on, Telegram only delivers group messages meant for the bot;
        # the bot must work either way, so tests can choose.
        self.privacy_mode = privacy_mode
        self.calls: list[Call] = []
        self.webhook_url = ""
        self.webhook_secret = ""
        self.commands: list[JSON] = []
        self.chats: dict[int, JSON] = {}
        self.messages: dict[int, dict[int, JSON]] = {}  # chat id → message id → message
        self.files: dict[str, StoredFile] = {}
        self.uploads: list[Upload] = []  # photos and documents the bot sent, in order
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)
        self._updates: list[JSON] = []
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self._poller: asyncio.Future[bool] | None = None
        self._open_queries: dict[str, str] = {}  # callback/inline query id → kind
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ── lifecycle ──

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        sockets = site._server.sockets if site._server else []  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._poller and not self._poller.done():
            self._poller.cancel()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotAPIServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Report Bot",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": True,
        }

    # ── what tests look at ──

    def calls_to(self, method: str, **match: Any) -> list[Call]:
        """Successful or not, in order; `match` compares params (chat_id=..., etc.)."""
        return [c for c in self.calls if c.method == method and _matches(c.params, match)]

    @property
    def errors(self) -> list[Call]:
        """Requests Telegram would have refused: a test that sees any has found a bug."""
        return [c for c in self.calls if not c.ok and c.method != "getUpdates"]

    def mark(self) -> int:
        """A position in the call log: `wait_for(..., after=mark)` ignores what came before."""
        return len(self.calls)

    async def wait_for(
        self,
        method: str,
        *,
        after: int = 0,
        timeout: float = 10.0,
        where: Callable[[Call], bool] | None = None,
        **match: Any,
    ) -> Call:
        """The first call to `method` after position `after` matching `match` and `where`."""
        deadline = time.monotonic() + timeout
        while True:
            for call in self.calls[after:]:
                if (
                    call.method == method
                    and _matches(call.params, match)
                    and (where is None or where(call))
                ):
                    return call
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(c.method, c.params.get("text", "")[:60]) for c in self.calls[after:]]
                raise TimeoutError(f"no {method} {match} within {timeout}s; saw {seen}")
            self._new_call.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_call.wait(), remaining)

    @property
    def polling(self) -> bool:
        """A getUpdates long poll is waiting right now (a finished poll is only logged later)."""
        return self._poller is not None and not self._poller.done()

    async def wait_polling(self, timeout: float = 10.0) -> None:
        """Until the bot is long polling: it is up and will see the next update at once."""
        deadline = time.monotonic() + timeout
        while not self.polling:
            if time.monotonic() >= deadline:
                raise TimeoutError(f"the bot did not start polling within {timeout}s")
            await asyncio.sleep(0.02)

    async def quiet(self, seconds: float = 0.3, *, after: int | None = None) -> list[Call]:
        """Let the bot work for a moment; the calls it made apart from polling."""
        start = self.mark() if after is None else after
        await asyncio.sleep(seconds)
        return [c for c in self.calls[start:] if c.method != "getUpdates"]

    def pending_updates(self) -> int:
        return len(self._updates)

    def bot_messages(self, chat_id: int) -> list[JSON]:
        return [
            m for m in self.messages.get(chat_id, {}).values() if m["from"]["id"] == self.bot_id
        ]

    # ── injecting updates ──

    def user(self, user_id: int, first_name: str = "Tester", username: str | None = None) -> JSON:
        user: JSON = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": "zh-hans",
        }
        if username:
            user["username"] = username
        return user

    def private_chat(self, user: JSON) -> JSON:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self.chats[chat["id"]] = chat
        return chat

    def group_chat(self, chat_id: int = -1001234567890, title: str = "测试群") -> JSON:
        chat = {"id": chat_id, "type": "supergroup", "title": title}
        self.chats[chat_id] = chat
        return chat

    def private_text(self, user_id: int, text: str, **user_kw: Any) -> JSON:
        """A user writes `text` to the bot in a private chat."""
        user = self.user(user_id, **user_kw)
        return self._user_message(self.private_chat(user), user, text)

    def group_text(
        self, chat_id: int, user_id: int, text: str, *, reply_to: JSON | None = None, **user_kw: Any
    ) -> JSON | None:
        """A user writes in a group; commands and @mentions get entities as Telegram adds them.

        Returns None when privacy mode means Telegram would not deliver it to the bot.
        """
        user = self.user(user_id, **user_kw)
        chat = self.group_chat(chat_id)
        entities = auto_entities(text)
        if self.privacy_mode and not self._meant_for_bot(text, entities, reply_to):
            self._store(chat["id"], user, {"text": text})  # the group sees it; the bot does not
            return None
        return self._user_message(chat, user, text, reply_to=reply_to, entities=entities)

    def reply_to(self, message: JSON, user_id: int, text: str, **user_kw: Any) -> JSON | None:
        """A user replies to `message` (usually one of the bot's) in its chat."""
        chat = message["chat"]
        if chat["type"] == "private":
            user = self.user(user_id, **user_kw)
            return self._user_message(chat, user, text, reply_to=message)
        return self.group_text(chat["id"], user_id, text, reply_to=message, **user_kw)

    def press(self, message: JSON, button: str, user_id: int, **user_kw: Any) -> JSON:
        """A user taps the button whose text starts with `button` on a bot message.

        Only buttons present in the message's current keyboard can be pressed, as in a client.
        """
        current = self.messages[message["chat"]["id"]][message["message_id"]]
        rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        found = [b for row in rows for b in row if b["text"].startswith(button)]
        if not found:
            texts = [b["text"] for row in rows for b in row]
            raise LookupError(f"no button {button!r} on message {message['message_id']}: {texts}")
        query_id = str(next(self._ids) + 900000)
        self._open_queries[query_id] = "callback"
        update = {
            "callback_query": {
                "id": query_id,
                "from": self.user(user_id, **user_kw),
                "message": _public(current),
                "chat_instance": str(abs(current["chat"]["id"])),
                "data": found[0]["callback_data"],
            }
        }
        return self._push(update)

    def press_data(self, message: JSON, data: str, user_id: int) -> JSON:
        """A tap carrying arbitrary data, e.g. a button from before a restart."""
        current = self.messages[message["chat"]["id"]][message["message_id"]]
        query_id = str(next(self._ids) + 900000)
        self._open_queries[query_id] = "callback"
        update = {
            "callback_query": {
                "id": query_id,
                "from": self.user(user_id),
                "message": _public(current),
                "chat_instance": str(abs(current["chat"]["id"])),
                "data": data,
            }
        }
        return self._push(update)

    def press_inline(self, data: str, user_id: int) -> JSON:
        """A tap on a button of an inline message (sent via inline mode): the callback query
        has an inline_message_id and no message."""
        query_id = str(next(self._ids) + 900000)
        self._open_queries[query_id] = "callback"
        update = {
            "callback_query": {
                "id": query_id,
                "from": self.user(user_id),
                "inline_message_id": f"AAAA-inline-{query_id}",
                "chat_instance": "-4242",
                "data": data,
            }
        }
        return self._push(update)

    def inline_query(self, user_id: int, query: str, *, offset: str = "") -> JSON:
        query_id = str(next(self._ids) + 800000)
        self._open_queries[query_id] = "inline"
        update = {
            "inline_query": {
                "id": query_id,
                "from": self.user(user_id),
                "query": query,
                "offset": offset,
                "chat_type": "sender",
            }
        }
        return self._push(update)

    def upload_document(
        self,
        user_id: int,
        name: str,
        data: bytes,
        *,
        mime_type: str = "text/plain",
        chat: JSON | None = None,
        caption: str | None = None,
        declare_size: bool = True,
    ) -> JSON:
        """A user sends a file; its bytes are kept so getFile and the download work.
        `declare_size=False`: without file_size, which Telegram may leave out."""
        user = self.user(user_id)
        chat = chat or self.private_chat(user)
        stored = self._store_file(data, f"documents/file_{len(self.files)}{_suffix(name)}")
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_name": name,
            "mime_type": mime_type,
        }
        if declare_size:
            document["file_size"] = len(data)
        extra: JSON = {"document": document}
        if caption:
            extra["caption"] = caption
        return self._user_message(chat, user, None, extra=extra)

    def push_update(self, update: JSON) -> JSON:
        """Any hand-made update, e.g. an edited message or a channel post."""
        return self._push(update)

    # ── internals: updates and messages ──

    def _meant_for_bot(self, text: str, entities: list[JSON], reply_to: JSON | None) -> bool:
        if reply_to is not None and reply_to.get("from", {}).get("id") == self.bot_id:
            return True
        units = text.encode("utf-16-le")
        for e in entities:
            piece = units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
            # /cmd@OtherBot goes to the other bot only.
            addressed = "@" not in piece or piece.split("@", 1)[1].lower() == self.username.lower()
            if e["type"] == "bot_command" and addressed:
                return True
            if e["type"] == "mention" and piece[1:].lower() == self.username.lower():
                return True
        return False

    def _user_message(
        self,
        chat: JSON,
        user: JSON,
        text: str | None,
        *,
        reply_to: JSON | None = None,
        entities: list[JSON] | None = None,
        extra: JSON | None = None,
    ) -> JSON:
        fields: JSON = dict(extra or {})
        if text is not None:
            fields["text"] = text
            ents = entities if entities is not None else auto_entities(text)
            if ents:
                fields["entities"] = ents
        if reply_to is not None:
            target = self.messages[chat["id"]].get(reply_to["message_id"], reply_to)
            fields["reply_to_message"] = _public(target)
        message = self._store(chat["id"], user, fields)
        return self._push({"message": message})

    def _store(self, chat_id: int, sender: JSON, fields: JSON) -> JSON:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        message = {
            "message_id": next(counter),
            "from": sender,
            "chat": self.chats[chat_id],
            "date": int(time.time()),
            **fields,
        }
        self.messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def _push(self, update: JSON) -> JSON:
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._new_update.set()
        return update

    def _store_file(self, data: bytes, path: str) -> StoredFile:
        n = next(self._ids)
        stored = StoredFile(f"BQACAgIAAx-file-{n}", f"AgAD-{n}", path, data)
        self.files[stored.file_id] = stored
        return stored

    # ── HTTP ──

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"))
        params = await _read_params(request)
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            self._record(Call(method, params, False, error="Not Found"))
            return _error(ApiError(404, "Not Found"))
        try:
            result = await handler(params)
        except ApiError as exc:
            self._record(Call(method, params, False, error=exc.description))
            return _error(exc)
        self._record(Call(method, params, True, result=result))
        return web.json_response({"ok": True, "result": result})

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._new_call.set()

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.path == path:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # ── Bot API methods (names lower-cased: Telegram method names are case-insensitive) ──

    async def _api_getme(self, params: JSON) -> JSON:
        return self.bot_user

    async def _api_logout(self, params: JSON) -> bool:
        return True

    async def _api_close(self, params: JSON) -> bool:
        return True

    async def _api_deletewebhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_setwebhook(self, params: JSON) -> bool:
        url = str(params.get("url", ""))
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = url
        self.webhook_secret = str(params.get("secret_token") or "")
        return True

    async def _api_getwebhookinfo(self, params: JSON) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_getupdates(self, params: JSON) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        # A newer getUpdates ends an older one, as Telegram does when two instances poll.
        if self._poller and not self._poller.done():
            self._poller.set_result(True)  # True: superseded
        poller: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._poller = poller
        offset = int(params.get("offset") or 0)
        limit = min(int(params.get("limit") or 100), 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            # Confirming: everything below offset is forgotten.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        try:
            while True:
                if poller.done():
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                ready = [u for u in self._updates if u["update_id"] >= offset][:limit]
                if ready or time.monotonic() >= deadline:
                    return ready
                self._new_update.clear()
                waiter = asyncio.ensure_future(self._new_update.wait())
                await asyncio.wait(
                    {waiter, poller},
                    timeout=max(deadline - time.monotonic(), 0),
                    return_when=asyncio.FIRST_COMPLETED,
                )
                waiter.cancel()
        finally:
            if not poller.done():
                poller.set_result(False)  # False: this poll simply ended

    async def _api_setmycommands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for cmd in commands:
            name = str(cmd.get("command", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise bad_request("command description must be non-empty")
        self.commands = commands
        return True

    async def _api_getmycommands(self, params: JSON) -> list[JSON]:
        return self.commands

    async def _api_deletemycommands(self, params: JSON) -> bool:
        self.commands = []
        return True

    def _chat(self, params: JSON) -> JSON:
        raw = params.get("chat_id")
        try:
            chat_id = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        if chat_id not in self.chats:
            raise bad_request("chat not found")
        return self.chats[chat_id]

    def _reply_target(self, chat: JSON, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id") or params.get("reply_to_message_id")
        if not message_id:
            return None
        target = self.messages.get(chat["id"], {}).get(int(message_id))
        if target is None:
            if reply.get("allow_sending_without_reply") or params.get(
                "allow_sending_without_reply"
            ):
                return None
            raise bad_request("message to be replied not found")
        return target

    async def _api_sendmessage(self, params: JSON) -> JSON:
        chat = self._chat(params)
        text, entities = check_message_text(str(params.get("text", "")), params.get("parse_mode"))
        markup = check_reply_markup(params.get("reply_markup"))
        target = self._reply_target(chat, params)
        fields: JSON = {"text": text}
        if entities:
            fields["entities"] = entities
        if markup and "inline_keyboard" in markup:
            fields["reply_markup"] = markup
        if target is not None:
            fields["reply_to_message"] = _public(target)
        fields["_html"] = params.get("text", "")  # what the bot sent, for test assertions
        message = self._store(chat["id"], self.bot_user, fields)
        return _public(message)

    async def _api_senddocument(self, params: JSON) -> JSON:
        chat = self._chat(params)
        upload = params.get("document")
        if not isinstance(upload, tuple):
            raise bad_request("there is no document in the request")
        name, data = upload
        if not data:
            raise bad_request("file must be non-empty")
        if len(data) > MAX_FILE_UPLOAD:
            raise ApiError(413, "Request Entity Too Large")
        stored = self._store_file(data, f"documents/sent_{len(self.files)}{_suffix(name)}")
        fields: JSON = {
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.unique_id,
                "file_name": name,
                "file_size": len(data),
            },
        }
        return self._send_file("sendDocument", chat, params, fields, name, data)

    async def _api_sendphoto(self, params: JSON) -> JSON:
        """A photo upload: PNG or JPEG within Telegram's photo limits (10 MB, width + height at
        most 10,000, sides at most 20:1), answered with the sizes Telegram would make."""
        chat = self._chat(params)
        upload = params.get("photo")
        if not isinstance(upload, tuple):
            raise bad_request("there is no photo in the request")
        name, data = upload
        if len(data) > MAX_PHOTO:
            raise bad_request("PHOTO_SAVE_FILE_INVALID")
        size = image_size(data)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        w, h = size
        if w + h > 10_000 or max(w, h) > 20 * min(w, h):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        stored = self._store_file(data, f"photos/sent_{len(self.files)}.jpg")
        scale = min(1.0, 1280 / max(w, h))  # Telegram keeps sizes up to 1280 on a side
        fields: JSON = {
            "photo": [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.unique_id,
                    "width": round(w * scale),
                    "height": round(h * scale),
                    "file_size": len(data),
                }
            ],
        }
        return self._send_file("sendPhoto", chat, params, fields, name, data)

    def _send_file(
        self, method: str, chat: JSON, params: JSON, fields: JSON, name: str, data: bytes
    ) -> JSON:
        """What sendPhoto and sendDocument share: caption, keyboard, reply, the record."""
        source = str(params.get("caption") or "")
        if source:
            caption, entities = formatted_text(source, params.get("parse_mode"))
            if _utf16(caption) > MAX_CAPTION:
                raise bad_request("message caption is too long")
            fields["caption"] = caption
            if entities:
                fields["caption_entities"] = entities
        markup = check_reply_markup(params.get("reply_markup"))
        if markup and "inline_keyboard" in markup:
            fields["reply_markup"] = markup
        target = self._reply_target(chat, params)
        if target is not None:
            fields["reply_to_message"] = _public(target)
        message = self._store(chat["id"], self.bot_user, fields)
        self.uploads.append(
            Upload(method, chat["id"], name, data, source,
                   None if target is None else target["message_id"], message["message_id"])
        )  # fmt: skip
        return _public(message)

    def _editable(self, params: JSON) -> JSON:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not kept by this test server")
        chat = self._chat(params)
        message = self.messages.get(chat["id"], {}).get(int(params.get("message_id") or 0))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise bad_request("message can't be edited")
        return message

    async def _api_editmessagetext(self, params: JSON) -> JSON:
        message = self._editable(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text, entities = check_message_text(str(params.get("text", "")), params.get("parse_mode"))
        markup = check_reply_markup(params.get("reply_markup"))
        markup = markup if markup and "inline_keyboard" in markup else None
        if (
            text == message["text"]
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message["text"] = text
        message["_html"] = params.get("text", "")
        _set_or_drop(message, "entities", entities)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return _public(message)

    async def _api_editmessagereplymarkup(self, params: JSON) -> JSON:
        message = self._editable(params)
        markup = check_reply_markup(params.get("reply_markup"))
        markup = markup if markup and "inline_keyboard" in markup else None
        if markup == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return _public(message)

    async def _api_deletemessage(self, params: JSON) -> bool:
        chat = self._chat(params)
        if self.messages.get(chat["id"], {}).pop(int(params.get("message_id") or 0), None) is None:
            raise bad_request("message to delete not found")
        return True

    async def _api_answercallbackquery(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if self._open_queries.pop(query_id, None) != "callback":
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        return True

    async def _api_answerinlinequery(self, params: JSON) -> bool:
        query_id = str(params.get("inline_query_id", ""))
        if self._open_queries.pop(query_id, None) != "inline":
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        results = params.get("results")
        if not isinstance(results, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            rid = str(result.get("id", ""))
            if not 1 <= len(rid.encode()) <= 64:
                raise bad_request("RESULT_ID_INVALID")
            if rid in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(rid)
            if result.get("type") == "article":
                if not result.get("title"):
                    raise bad_request("RESULT_TITLE_EMPTY")
                content = result.get("input_message_content") or {}
                if "message_text" not in content:
                    raise bad_request("can't parse InputMessageContent: message text is missing")
                check_message_text(str(content["message_text"]), content.get("parse_mode"))
            check_reply_markup(result.get("reply_markup"))
        return True

    async def _api_sendchataction(self, params: JSON) -> bool:
        self._chat(params)
        actions = {
            "typing",
            "upload_photo",
            "record_video",
            "upload_video",
            "record_voice",
            "upload_voice",
            "upload_document",
            "choose_sticker",
            "find_location",
            "record_video_note",
            "upload_video_note",
        }
        if params.get("action") not in actions:
            raise bad_request("wrong parameter action in request")
        return True

    async def _api_getfile(self, params: JSON) -> JSON:
        stored = self.files.get(str(params.get("file_id", "")))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.data) > MAX_FILE_DOWNLOAD:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": len(stored.data),
            "file_path": stored.path,
        }


# ── helpers ──────────────────────────────────────────────────────────────────────────────────

_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")


def auto_entities(text: str) -> list[JSON]:
    """bot_command and mention entities, as Telegram's servers add them to incoming text."""
    found: list[JSON] = []
    for kind, pattern in (("bot_command", _COMMAND), ("mention", _MENTION)):
        for m in pattern.finditer(text):
            if kind == "mention" and any(
                e["type"] == "bot_command" and e["_start"] <= m.start() < e["_end"] for e in found
            ):
                continue  # the @Bot in /q@Bot belongs to the command
            found.append(
                {
                    "type": kind,
                    "_start": m.start(),
                    "_end": m.end(),
                    "offset": _utf16(text[: m.start()]),
                    "length": _utf16(m.group()),
                }
            )
    found.sort(key=lambda e: e["offset"])
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in found]


async def _read_params(request: web.Request) -> JSON:
    """Query string, urlencoded or multipart form, or a JSON body: Telegram takes all four."""
    raw: JSON = dict(request.query)
    ctype = request.content_type
    if ctype == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            raw.update(body)
            return raw
    elif ctype == "multipart/form-data":
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if part.filename:  # type: ignore[union-attr]
                raw[part.name] = (part.filename, await part.read())  # type: ignore[union-attr]
            else:
                raw[part.name] = await part.text()  # type: ignore[union-attr]
    elif request.can_read_body:
        form = await request.post()
        raw.update({k: v for k, v in form.items() if isinstance(v, str)})
    return {k: _decode(k, v) for k, v in raw.items()}


def _decode(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in _INT_PARAMS or name == "chat_id":
        try:
            return int(value)
        except ValueError:
            return value  # @channelusername
    if name in _BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


def _error(exc: ApiError) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": exc.code, "description": exc.description}, status=exc.code
    )


def _public(message: JSON) -> JSON:
    """The message as Telegram shows it (a deep copy, without this server's own notes)."""
    return json.loads(json.dumps({k: v for k, v in message.items() if not k.startswith("_")}))


def _set_or_drop(message: JSON, key: str, value: Any) -> None:
    if value:
        message[key] = value
    else:
        message.pop(key, None)


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[1].lower() if "." in name else ""


def _matches(params: JSON, match: JSON) -> bool:
    return all(params.get(k) == v for k, v in match.items())
