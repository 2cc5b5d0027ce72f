"""Inline mode's cards (`@BotName 就业目标` in any chat): what the result list shows (title and
description, plain text) and the message a card sends (HTML). handlers/inline.py turns them
into InlineQueryResultArticle.

For a comparison, series or tracking question the first card is the table itself; then one card
per figure, then a few excerpts. A card's message cannot page (a message sent via inline mode
carries no buttons of ours that work), so the table card takes as many rows as fit in
INLINE_TABLE_BUDGET and says how many more there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer import Answer, Table
from bot.render.answer import render_answer, render_excerpt, render_figure, render_passage
from bot.render.limits import CARD_BUDGET, GROUP_BUDGET, INLINE_CARDS, INLINE_TABLE_BUDGET
from bot.render.table import render_table, row_labels
from bot.render.text import clip, esc, width

MAX_EXCERPTS = 4  # figures are what people look up on a phone; a few passages for context
TITLE = 60  # characters of a card's title in the result list
DESCRIPTION = 120  # characters of its description


@dataclass(slots=True, frozen=True)
class Card:
    id: str  # unique among the results of one query, at most 64 bytes
    title: str  # plain
    description: str  # plain
    text: str  # the message it sends, HTML


def table_card(table: Table, *, username: str = "") -> Card | None:
    """The whole table as one message, as far as it fits; None for a table without rows."""
    if not table.rows:
        return None
    page = render_table(table, html=True, budget=INLINE_TABLE_BUDGET, max_rows=len(table.rows))
    text = page.text
    if page.has_more:
        shown = _rows_shown(table, page.text)
        where = f"私聊 @{username} " if username else "私聊机器人"
        note = esc(f"…还有{len(table.rows) - shown}行，{where}查看全部。")
        text = text + "\n" + note if width(text) + 1 + width(note) <= INLINE_TABLE_BUDGET else text
    _header, label = row_labels(table)
    rows = " · ".join(f"{label(r)} {r.value or r.target}" for r in table.rows[:6])
    more = f" 等{len(table.rows)}行" if len(table.rows) > 6 else ""
    return Card(
        id="t0",
        title=clip(f"📊 {table.title or table.indicator or '数据表'}", TITLE),
        description=clip(rows + more, DESCRIPTION),
        text=text,
    )


def _rows_shown(table: Table, text: str) -> int:
    """Rows on a rendered first page: its <pre> block's lines less the header."""
    block = text.split("<pre>", 1)[-1].split("</pre>", 1)[0]
    return max(0, min(len(table.rows), block.count("\n")))


def answer_cards(answer: Answer, *, username: str = "", limit: int = INLINE_CARDS) -> list[Card]:
    """The table (when there is one), one card per figure, then the excerpts: at most `limit`
    cards with unique ids."""
    out: list[Card] = []
    if answer.table is not None and (card := table_card(answer.table, username=username)):
        out.append(card)
    excerpts = answer.excerpts[:MAX_EXCERPTS]
    seen: set[str] = {c.id for c in out}
    for hit in answer.figures[: max(0, limit - len(out) - len(excerpts))]:
        rid = f"f{hit.figure_id}"
        if rid in seen:
            continue
        seen.add(rid)
        lines = render_figure(hit).split("\n")  # plain: what the result list shows
        out.append(Card(rid, lines[0], "\n".join(lines[1:3]), render_figure(hit, html=True)))
    for ex in excerpts:
        rid = f"p{ex.passage_id}"
        if rid in seen:
            continue
        seen.add(rid)
        title = ex.section.split(" > ")[-1] if ex.section else (ex.report.title or ex.report.id)
        out.append(
            Card(
                rid,
                f"📝 {clip(title, TITLE)}",
                render_excerpt(ex, limit=DESCRIPTION),
                render_passage(ex, html=True, budget=CARD_BUDGET),
            )
        )
    return out[:limit]


def example_card(n: int, example: str, answer: Answer, username: str) -> Card:
    """For an empty query: an example, whose card sends that example's whole first page."""
    page = render_answer(answer, html=True, budget=GROUP_BUDGET)
    return Card(f"x{n}", f"示例：{example}", f"输入 @{username} {example}", page.text)

