"""The local Bot API server must fail where Telegram fails, or the e2e tests prove little."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, InvalidToken

from tests.telegram.botapi_server import (
    NOT_MODIFIED,
    BotAPIServer,
    EntityParseError,
    auto_entities,
    check_message_text,
    parse_html,
)

# ── the HTML validator, against descriptions copied from Telegram's answers ──


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("增长<5% 左右", 'Unsupported start tag "5%" at byte offset 6'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("line<br/>next", 'Unsupported start tag "br/" at byte offset 4'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        (
            "<a href>y</a>",
            'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0',
        ),
    ],
)
def test_invalid_html_is_refused_with_telegrams_words(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_html(source)
    assert str(info.value) == error


def test_entities_decode_like_telegram() -> None:
    # Only four named entities exist; an unknown one or a bare & stays literal, as in Telegram.
    text, entities = parse_html("&lt;b&gt; &amp; &quot; &#60;&#x3c; &nbsp; R&D")
    assert text == '<b> & " << &nbsp; R&D'
    assert entities == []


def test_allowed_tags_become_entities_with_utf16_offsets() -> None:
    text, entities = parse_html(
        '😀<b>目标</b> <i>x</i><a href="https://example.org/?a=1&amp;b=2">链接</a>'
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>'
        '<pre><code class="language-python">p</code></pre><blockquote expandable>q</blockquote>'
    )
    assert text == "😀目标 x链接stpq"
    by_type = {e["type"]: e for e in entities}
    assert by_type["bold"] == {"type": "bold", "offset": 2, "length": 2}  # the emoji counts twice
    assert by_type["text_link"]["url"] == "https://example.org/?a=1&b=2"
    assert by_type["spoiler"]["length"] == 1
    assert "expandable_blockquote" in by_type
    assert "pre" in by_type and "code" in by_type


def test_upper_case_tags_and_nesting_are_accepted() -> None:
    text, entities = parse_html("<B>a<i>b</i></b>")
    assert text == "ab"
    assert [e["type"] for e in entities] == ["bold", "italic"]


def test_length_counts_text_after_parsing() -> None:
    assert check_message_text("<b>" + "字" * 4096 + "</b>", "HTML")[0] == "字" * 4096
    with pytest.raises(Exception, match="message is too long"):
        check_message_text("字" * 4097, "HTML")
    with pytest.raises(Exception, match="message text is empty"):
        check_message_text("<b> </b>", "HTML")


def test_auto_entities_mark_commands_and_mentions() -> None:
    assert auto_entities("/q@ReportTestBot 就业") == [
        {"type": "bot_command", "offset": 0, "length": 16}
    ]
    assert auto_entities("请问 @ReportTestBot 就业目标") == [
        {"type": "mention", "offset": 3, "length": 14}
    ]
    assert auto_entities("just chatting") == []


# ── over HTTP, with a real PTB Bot ──


@pytest.fixture
async def server() -> AsyncIterator[BotAPIServer]:
    async with BotAPIServer() as srv:
        yield srv


@pytest.fixture
async def bot(server: BotAPIServer) -> AsyncIterator[Bot]:
    async with Bot(server.token, base_url=server.base_url, base_file_url=server.base_file_url) as b:
        yield b


async def test_get_me_and_wrong_token(server: BotAPIServer, bot: Bot) -> None:
    assert bot.username == server.username
    wrong = Bot("1:wrong", base_url=server.base_url)
    try:
        with pytest.raises(InvalidToken):
            await wrong.initialize()
    finally:
        await wrong.shutdown()  # its HTTP connections, opened before the refusal


async def test_send_validates_html_length_and_buttons(server: BotAPIServer, bot: Bot) -> None:
    chat = server.private_text(42, "hi")["message"]["chat"]["id"]
    with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
        await bot.send_message(chat, "GDP < 5%", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(chat, "x" * 4097)
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("更多", callback_data="m" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(chat, "ok", reply_markup=long_data)
    sent = await bot.send_message(chat, "GDP &lt; 5%", parse_mode=ParseMode.HTML)
    assert sent.text == "GDP < 5%"
    assert [c.ok for c in server.calls_to("sendMessage")] == [False, False, False, True]
    assert len(server.errors) == 3


async def test_edit_that_changes_nothing_is_refused(server: BotAPIServer, bot: Bot) -> None:
    chat = server.private_text(42, "hi")["message"]["chat"]["id"]
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("更多 ▸", callback_data="p:1")]])
    sent = await bot.send_message(chat, "<b>一</b>", parse_mode=ParseMode.HTML, reply_markup=markup)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        # <strong> and <b> are the same entity: Telegram compares what the user would see.
        await bot.edit_message_text(
            "<strong>一</strong>",
            chat,
            sent.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
    assert server.errors[-1].error == NOT_MODIFIED
    await bot.edit_message_text("二", chat, sent.message_id, reply_markup=markup)
    assert server.messages[chat][sent.message_id]["text"] == "二"


async def test_updates_long_poll_and_confirm(server: BotAPIServer, bot: Bot) -> None:
    task = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not task.done()  # long polling: waits for an update
    first = server.private_text(7, "就业目标")
    updates = await asyncio.wait_for(task, 2)
    assert [u.update_id for u in updates] == [first["update_id"]]
    assert updates[0].message.text == "就业目标"
    # Not confirmed yet: delivered again; confirmed by offset: gone.
    assert len(await bot.get_updates(timeout=0)) == 1
    assert await bot.get_updates(offset=first["update_id"] + 1, timeout=0) == ()


async def test_callback_and_inline_answers(server: BotAPIServer, bot: Bot) -> None:
    chat = server.private_text(42, "hi")["message"]["chat"]["id"]
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("原文", callback_data="x:1")]])
    sent = await bot.send_message(chat, "answer", reply_markup=markup)
    press = server.press(server.messages[chat][sent.message_id], "原文", 42)
    assert press["callback_query"]["data"] == "x:1"
    await bot.answer_callback_query(press["callback_query"]["id"])
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):  # answered twice
        await bot.answer_callback_query(press["callback_query"]["id"])

    from telegram import InlineQueryResultArticle, InputTextMessageContent

    query = server.inline_query(42, "就业")["inline_query"]["id"]
    many = [
        InlineQueryResultArticle(str(n), f"r{n}", InputTextMessageContent("t")) for n in range(51)
    ]
    with pytest.raises(BadRequest, match=r"(?i)results_too_much"):
        await bot.answer_inline_query(query, many)
    query = server.inline_query(42, "就业")["inline_query"]["id"]
    bad = [InlineQueryResultArticle("1", "r", InputTextMessageContent("a<b", parse_mode="HTML"))]
    with pytest.raises(BadRequest, match=r"(?i)parse entities"):
        await bot.answer_inline_query(query, bad)


async def test_document_round_trip_and_unknown_method(server: BotAPIServer, bot: Bot) -> None:
    update = server.upload_document(42, "report.txt", "政府工作报告".encode())
    file = await bot.get_file(update["message"]["document"]["file_id"])
    assert file.file_path.startswith(server.base_file_url)
    assert bytes(await file.download_as_bytearray()) == "政府工作报告".encode()
    with pytest.raises(Exception, match="not found"):
        await bot.do_api_request("noSuchMethod")
    assert server.calls_to("noSuchMethod")[0].ok is False


async def test_privacy_mode_delivers_only_what_is_meant_for_the_bot() -> None:
    async with BotAPIServer(privacy_mode=True) as srv:
        assert srv.group_text(-100, 1, "随便聊聊") is None
        assert srv.group_text(-100, 1, "/q@OtherBot 就业") is None
        assert srv.group_text(-100, 1, "/q 就业") is not None
        assert srv.group_text(-100, 1, f"@{srv.username} 就业") is not None
        assert srv.pending_updates() == 2
