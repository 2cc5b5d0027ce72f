"""bot/render as a package: its modules never import telegram, old imports keep working, and the
texts it builds for Telegram (captions, file names, notices, help, inline cards, admin replies)
are valid HTML within Telegram's limits. Also handlers/tablefiles.py's bookkeeping."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.answer import Answer, Table
from bot.render import admin, files, help, notices
from bot.render.inline import answer_cards, table_card
from bot.render.limits import (
    ALERT_LIMIT,
    CAPTION_LIMIT,
    INLINE_CARDS,
    INLINE_TABLE_BUDGET,
    TELEGRAM_LIMIT,
)
from bot.render.text import width
from handlers.tablefiles import TableFiles
from tests import table_fixtures as tf
from tests.test_render import NASTY, make_excerpt, make_hit, telegram_visible

BOT = Path(__file__).resolve().parents[1] / "bot"


def test_nothing_in_bot_imports_telegram_but_the_app() -> None:
    for path in BOT.rglob("*.py"):
        if path.name == "app.py" and path.parent == BOT:
            continue  # the one module that builds the python-telegram-bot Application
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "telegram" for n in names), path


def test_old_imports_keep_working() -> None:
    from bot.render import EXAMPLES, Page, render_answer, render_reports, width  # noqa: F401
    from bot.render.table import MAX_COLUMNS, render_table  # noqa: F401


# ── files ──


def test_csv_file_name_is_the_title_without_spaces() -> None:
    table = tf.provincial_gdp_2026()
    table.title = "2026年 各地 地区生产总值增速 目标"
    assert files.table_file_name(table, ".csv") == "2026年各地地区生产总值增速目标.csv"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../etc/passwd", "etcpasswd.csv"),  # no directories
        ("a\\b:c*d?e\"f<g>h|i", "abcdefghi.csv"),  # nothing Windows refuses
        ("\u202egnp.exe 目标", "gnp.exe目标.csv"),  # no RTL override hiding the suffix
        ("...", "table.csv"),  # never empty or hidden
        ("CON", "_CON.csv"),  # never a name Windows reserves
        ("长" * 200, "长" * 60 + ".csv"),  # bounded
    ],
)
def test_file_names_are_sanitised(title: str, expected: str) -> None:
    table = tf.provincial_gdp_2026()
    table.title = title
    assert files.table_file_name(table, ".csv") == expected


def test_caption_is_escaped_and_bounded() -> None:
    table = tf.provincial_gdp_2026()
    table.title = NASTY * 300
    caption = files.chart_caption(table)
    assert width(caption) <= CAPTION_LIMIT
    assert telegram_visible(caption).startswith("📈 <b>&amp; 5<6")


# ── notices, help, admin ──


def test_notices_fit_an_alert() -> None:
    texts = [v for k, v in vars(notices).items() if k.isupper() and isinstance(v, str)]
    assert len(texts) > 10
    for text in texts:
        assert len(text) <= ALERT_LIMIT
        telegram_visible(text)
    assert notices.alert("长" * 500).endswith("…") and len(notices.alert("长" * 500)) == 200


def test_help_texts_are_valid_html() -> None:
    for admin_user in (False, True):
        text = help.start_text("Report_Bot", admin_user)
        assert "📈 图表" in telegram_visible(text) and width(text) < TELEGRAM_LIMIT
    assert "<code>@a&lt;b 就业目标</code>" in help.usage("@a<b")
    infos = [SimpleNamespace(figures=10, targets=4, actuals=6, year=y) for y in (2023, 2026)]
    assert "2023–2026年" in telegram_visible(help.about_text("1.0<", infos))


def test_reload_summary_and_delete_usage_stay_within_budget() -> None:
    summary = SimpleNamespace(
        added=[f"<r{i}>" for i in range(500)], updated=[], unchanged=[], duplicates=[],
        failed=[(f"f{i}&.txt", "bad <thing> " * 30) for i in range(500)],
    )  # fmt: skip
    text = admin.reload_summary(summary, "/seeds/<x>")  # type: ignore[arg-type]
    assert width(text) <= admin.TEXT_BUDGET and "还有" in telegram_visible(text)
    usage = admin.delete_usage([f"id-{i}&" for i in range(2000)])
    assert width(usage) <= admin.TEXT_BUDGET and "…还有" in telegram_visible(usage)


# ── inline cards ──


def test_inline_table_card_comes_first_with_unique_ids() -> None:
    table = tf.provincial_gdp_2026()
    hits = [make_hit(figure_id=i) for i in range(30)]
    answer = Answer("2026年各省GDP目标", None, hits, [make_excerpt()], table=table)
    cards = answer_cards(answer, username="Bot")
    assert cards[0].id == "t0" and cards[0].title.startswith("📊")
    assert len(cards) == INLINE_CARDS and len({c.id for c in cards}) == len(cards)
    visible = telegram_visible(cards[0].text)
    assert all(region in visible for region in ("安徽", "浙江"))  # the whole table, one card
    assert cards[-1].id.startswith("p")  # the excerpt keeps its place


def test_inline_table_card_that_cannot_hold_every_row_says_so() -> None:
    table = tf.provincial_gdp_2026()
    table.rows = table.rows * 12  # 348 rows
    card = table_card(table, username="Bot")
    assert card is not None and width(card.text) <= INLINE_TABLE_BUDGET
    assert "私聊 @Bot 查看全部" in telegram_visible(card.text)
    assert table_card(Table("compare", "gdp", "GDP", "growth", "空")) is None


# ── chart and CSV bookkeeping (handlers/tablefiles.py) ──


def test_each_answer_gets_one_chart_and_one_csv() -> None:
    files_ = TableFiles(waiting=2)
    assert files_.claim("chart", "a") is None
    assert files_.claim("chart", "a") == "busy"
    assert files_.claim("csv", "a") is None  # the CSV is its own claim
    files_.finish("chart", "a", sent=True)
    assert files_.claim("chart", "a") == "sent"
    assert files_.claim("chart", "b") is None and files_.claim("chart", "c") is None
    assert files_.claim("chart", "d") == "full"  # two charts pending already
    files_.finish("chart", "b", sent=False)  # failed: may be tried again
    assert files_.claim("chart", "b") is None


def test_charts_are_drawn_one_at_a_time() -> None:
    files_ = TableFiles(drawing=1)
    running = most = 0

    async def draw() -> None:
        nonlocal running, most
        async with files_.drawing():
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.01)
            running -= 1

    async def burst() -> None:
        await asyncio.gather(*(draw() for _ in range(5)))

    asyncio.run(burst())
    assert most == 1 and files_.drawn == 5
