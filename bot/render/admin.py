"""What admins see: /reload's progress and summary, /delete's replies, and an upload's refusal,
preview and outcome (handlers/admin.py, handlers/uploads.py). Every name, id, title and reason
here comes from outside (file names, report text, exception messages): each is cut to a bound
*before* it is escaped, so an entity is never cut in half, and a reply stays within
ADMIN_BUDGET however many files a reload touched."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from bot.render.limits import ADMIN_BUDGET
from bot.render.text import width

if TYPE_CHECKING:
    from bot.engine import IngestSummary
    from bot.uploads import Plan

MAX_LISTED = 15  # ids per line of a /reload summary; the rest are counted
MAX_NAME = 80  # characters of one file name or id in a /reload summary
MAX_SHOWN = 80  # characters of a file name, id or title echoed in an upload's reply
MAX_REASON = 300  # characters of a reason (a parse error, a genre verdict)
MAX_WARNINGS = 5
TEXT_BUDGET = ADMIN_BUDGET
KIND_NAMES = {"target": "目标", "actual": "完成", "other": "其他"}
LEVEL_NAMES = {"national": "国家", "provincial": "省级", "city": "市级", "county": "县级"}


def short(text: str, limit: int = MAX_SHOWN) -> str:
    """Cut before escaping, so an entity is never cut in half."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(text: str, limit: int = MAX_SHOWN) -> str:
    return escape(short(text, limit))


def fit(items: list[str], budget: int, sep: str) -> tuple[list[str], int]:
    """The leading whole items whose joined length stays within `budget` (leaving room for a
    "…还有N" note), and how many were left out."""
    budget -= 20  # room for the note about the rest
    kept: list[str] = []
    used = 0
    for item in items:
        cost = width(item) + (width(sep) if kept else 0)
        if used + cost > budget:
            break
        kept.append(item)
        used += cost
    return kept, len(items) - len(kept)


# ── /reload ──────────────────────────────────────────────────────────────────────────────────


def _folder(folder: str) -> str:
    return f"<code>{escape(short(folder, 200))}</code>"


def no_seeds_folder(folder: str) -> str:
    return f"报告文件夹不存在：{_folder(folder)}"


def reload_started(folder: str) -> str:
    return f"⏳ 正在重新扫描 {_folder(folder)}…"


def reload_progress(folder: str, done: int, total: int, name: str) -> str:
    current = f" {escape(short(name, 60))}…" if name else ""
    return f"⏳ 正在重新扫描 {_folder(folder)}：{done}/{total}{current}"


def reload_failed(error: str) -> str:
    return f"❌ 重新扫描失败（{escape(short(error, 60))}），请查看日志。"


def reload_summary(summary: IngestSummary, folder: str) -> str:
    """Added, updated, unchanged, duplicate and failed files, within TEXT_BUDGET."""
    lines = [f"🔄 已重新扫描 {_folder(folder)}："]
    for attr, label in (("added", "新增"), ("updated", "更新"), ("unchanged", "未变")):
        ids = list(getattr(summary, attr))
        listed = "、".join(escape(short(str(i), MAX_NAME)) for i in ids[:MAX_LISTED])
        more = f" 等{len(ids)}份" if len(ids) > MAX_LISTED else ""
        lines.append(f"• {label} {len(ids)}" + (f"：{listed}{more}" if ids else ""))
    if summary.duplicates:  # same content as a loaded report under another id: not loaded
        dupes = "、".join(
            f"{escape(short(name, MAX_NAME))}＝{escape(short(rid, MAX_NAME))}"
            for name, rid in summary.duplicates[:MAX_LISTED]
        )
        more = f" 等{len(summary.duplicates)}份" if len(summary.duplicates) > MAX_LISTED else ""
        lines.append(f"• 重复 {len(summary.duplicates)}：{dupes}{more}")
    failed = list(summary.failed)
    lines.append(f"• 失败 {len(failed)}" + ("：" if failed else ""))
    details = [
        f"  – {escape(short(str(name), MAX_NAME))}：{escape(str(reason)[:200])}"
        for name, reason in failed[:MAX_LISTED]
    ]
    head = "\n".join(lines)
    kept, left = fit(details, TEXT_BUDGET - width(head) - 1, "\n")
    left += max(0, len(failed) - MAX_LISTED)
    tail = [f"  …还有{left}项"] if left else []
    return "\n".join([head, *kept, *tail])


# ── /delete ──────────────────────────────────────────────────────────────────────────────────


def delete_usage(report_ids: Sequence[str]) -> str:
    """/delete without an id: how, and the ids there are (as many as fit)."""
    head = "用法：/delete 报告ID\n现有报告："
    items = [f"<code>{escape(i)}</code>" for i in report_ids]
    kept, left = fit(items, TEXT_BUDGET - width(head), "、")
    listed = "、".join(kept) + (f"…还有{left}份，发送 /reports 查看" if left else "")
    return head + (listed or "（无）")


def deleted(report_id: str) -> str:
    return f"🗑 已删除报告 <code>{shown(report_id)}</code>。"  # an id may be 4,000 characters


def not_deleted(report_id: str) -> str:
    return f"没有找到报告 <code>{shown(report_id)}</code>，发送 /reports 查看现有报告。"


# ── uploads ──────────────────────────────────────────────────────────────────────────────────

WRONG_TYPE = "只能导入 .txt、.html 或 .docx 格式的报告文件。"
TOO_BIG = "文件超过 20 MB，Telegram 不允许机器人下载这么大的文件。请压缩或拆分后再发送。"
EXPIRED = "这个预览已过期，请重新发送文件。"
FORGED = "请使用预览消息上的按钮。"
CANCELLED_TOAST = "已取消"
IMPORT_BUTTON, REPLACE_BUTTON, CANCEL_BUTTON = "导入", "替换", "取消"
# What a tap on a preview that is no longer pending is told, by the preview's state.
LATE = {
    "importing": "导入已经开始，无法取消；结果会显示在这条消息里。",
    "imported": "这份报告已经导入。如需删除，请用 /delete。",
    "failed": "导入失败，数据库没有改变。请重新发送文件。",
    "cancelled": "已取消，文件没有导入。",
}


def download_failed(name: str) -> str:
    return f"❌ 下载 {shown(name)} 失败，请重新发送。"


def not_a_report(name: str, reason: str) -> str:
    return (
        f"❌ 没有导入 {shown(name)}：{shown(reason, MAX_REASON)}。\n"
        "只能导入政府工作报告（…政府工作报告，各位代表：…）。"
    )


def unparsable(name: str, reason: str) -> str:
    return f"❌ 无法解析 {shown(name)}：{shown(reason, MAX_REASON)}"


def already_loaded(title: str, report_id: str) -> str:
    return (
        f"这份报告已经载入：《{shown(title)}》（<code>{shown(report_id)}</code>），"
        "不再重复导入。"
    )


def preview(plan: Plan) -> str:
    """Title, region, years, sections, figure counts and warnings; for a replacement, the old
    and the new title side by side."""
    report, meta = plan.report, plan.report.meta
    kinds = {k: 0 for k in KIND_NAMES}
    for figure in report.figures:
        kinds[figure.kind] = kinds.get(figure.kind, 0) + 1
    counts = " · ".join(f"{KIND_NAMES[k]} {kinds[k]}" for k in KIND_NAMES)
    years = " · ".join(
        part
        for part in (
            f"目标年份 {meta.target_year}" if meta.target_year else "",
            f"回顾年份 {meta.review_year}" if meta.review_year else "",
        )
        if part
    )
    lines = [
        f"📄 <b>预览</b>：{shown(plan.name)}",
        f"标题：{shown(meta.title or '（未识别）')}",
        f"地区：{shown(meta.region or '（未识别）')}（{LEVEL_NAMES.get(meta.level, '级别未知')}）",
        f"年份：{years or '（未识别）'}",
        f"章节 {len(report.sections)} 个 · 段落 {len(report.passages)} 个",
        f"数字 {len(report.figures)} 项：{counts}",
        f"报告ID：<code>{shown(plan.report_id)}</code>",
    ]
    if report.warnings:
        lines.append(f"⚠️ 提示（{len(report.warnings)}）：")
        lines.extend(f"• {shown(w, 150)}" for w in report.warnings[:MAX_WARNINGS])
    if plan.action == "replace" and plan.existing is not None:
        old = plan.existing
        lines += [
            "",
            f"⚠️ <b>报告ID <code>{shown(plan.report_id)}</code> 已被占用</b>，导入会整体替换它：",
            f"旧：《{shown(old.title or old.id)}》"
            f"（{old.figures} 项数字，{shown(old.loaded_at)} 载入）",
            f"新：《{shown(meta.title or plan.name)}》（{len(report.figures)} 项数字）",
            "确认替换请点“替换”；保留旧报告请点“取消”。",
        ]
    else:
        lines.append("\n点“导入”后即可查询。")
    return "\n".join(lines)


def doing(replace: bool) -> str:
    return "替换" if replace else "导入"


def import_toast(replace: bool) -> str:
    return f"正在{doing(replace)}…"


def importing(replace: bool, name: str, stage: str = "") -> str:
    """⏳ 正在导入 name… / ⏳ 正在导入 name：stage…"""
    return f"⏳ 正在{doing(replace)} {shown(name)}" + (f"：{escape(stage)}…" if stage else "…")


def import_failed(replace: bool, name: str, reason: str) -> str:
    verb = doing(replace)
    return (
        f"❌ {verb}失败：{shown(reason, MAX_REASON)}。\n"
        f"数据库和已保存的文件都没有改变。{shown(name)} 没有{verb}。"
    )


def imported(replaced: bool, title: str, report_id: str) -> str:
    label = "已替换" if replaced else "已导入"
    return (
        f"✅ {label}《{shown(title)}》（<code>{shown(report_id)}</code>）。\n"
        "现在可以查询了，例如 <code>/q 就业目标</code>；"
        "用 /reports 把它设为本聊天的默认报告。"
    )


def import_interrupted(replace: bool) -> str:
    return f"❌ {doing(replace)}被中断，请查看 /reports 并重新发送文件。"


def upload_cancelled(name: str) -> str:
    return f"已取消，{shown(name)} 没有导入，数据库没有改变。"

