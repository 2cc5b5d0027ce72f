"""Fill the `pinyin` line of every [[indicator]] in bot/facts/indicators.toml from its `zh`.

    python tools/gen_indicator_pinyin.py            # rewrite the file in place
    python tools/gen_indicator_pinyin.py --check    # exit 1 when a line is missing or stale

Dev-time only: the bot reads the stored pinyin and never imports pypinyin for it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

PATH = Path(__file__).resolve().parent.parent / "bot" / "facts" / "indicators.toml"


def pinyin(zh: str) -> str:
    han = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", zh)
    return "".join(lazy_pinyin(han, style=Style.NORMAL)).lower()


def fill(text: str) -> str:
    out: list[str] = []
    zh = ""
    for block in re.split(r"(?m)^(?=\[\[indicator\]\])", text):
        found = re.search(r'(?m)^zh = "(.*)"$', block)
        if not found:
            out.append(block)
            continue
        zh = found.group(1)
        line = f'pinyin = "{pinyin(zh)}"'
        if re.search(r"(?m)^pinyin = .*$", block):
            block = re.sub(r"(?m)^pinyin = .*$", line, block)
        else:
            block = block.rstrip("\n") + "\n" + line + "\n\n"
        out.append(block)
    return "".join(out)


def main() -> int:
    text = PATH.read_text(encoding="utf-8")
    new = fill(text)
    if "--check" in sys.argv:
        return int(new != text)
    PATH.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
