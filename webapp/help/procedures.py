"""docs/procedures.md read into chapters and rules, for the page that desk screens link rule ids to.

The file's shape (it says so itself): `## ` a chapter, `### R-…` a rule holding only its id, then one
paragraph in Chinese and one in English. Inline `**bold**` and `code` are the only markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

PROCEDURES = Path(__file__).resolve().parents[2] / "docs" / "procedures.md"
RULE_ID = re.compile(r"R-[A-Z]+-\d+")


@dataclass
class Rule:
    id: str
    zh: Markup = Markup("")
    en: Markup = Markup("")


@dataclass
class Chapter:
    title: str
    rules: list[Rule] = field(default_factory=list)


def inline(text: str) -> Markup:
    html = str(escape(text))
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    return Markup(re.sub(r"`(.+?)`", r"<code>\1</code>", html))


def paragraphs(lines: list[str]) -> list[str]:
    return [" ".join(block.split()) for block in "\n".join(lines).split("\n\n") if block.strip()]


def parse(text: str) -> list[Chapter]:
    chapters: list[Chapter] = []
    rule, body = None, []

    def close():
        if rule is not None:
            texts = [inline(p) for p in paragraphs(body)] + [Markup(""), Markup("")]
            rule.zh, rule.en = texts[0], texts[1]

    for line in text.splitlines():
        if line.startswith("## "):
            close()
            rule, body = None, []
            chapters.append(Chapter(line[3:].strip()))
        elif line.startswith("### ") and chapters:
            close()
            rule, body = Rule(line[4:].strip()), []
            chapters[-1].rules.append(rule)
        elif rule is not None:
            body.append(line)
    close()
    return chapters


@cache
def chapters(path: Path = PROCEDURES) -> tuple[Chapter, ...]:
    return tuple(parse(path.read_text(encoding="utf-8")))


def rule_ids(path: Path = PROCEDURES) -> set[str]:
    return {rule.id for chapter in chapters(path) for rule in chapter.rules}
