"""docs/procedures.md is the one text of the rules: every rule id the product cites is there, with its
text in Chinese and in English, and the product points at no document a clone does not have."""

from __future__ import annotations

import re
from pathlib import Path

from webapp.help import procedures

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ("webapp", "sync", "templates", "static/js", "docs", "README.md", ".ci")
CITED = re.compile(r"R-[A-Z]+-\d+")
LATIN = re.compile(r"[A-Za-z]{3,}")
HAN = re.compile(r"[\u4e00-\u9fff]")


def source_files():
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()] if path.exists() else []
        for file in files:
            if file.suffix in {".py", ".html", ".js", ".md", ".po", ".txt", ""} and "vendor" not in file.parts:
                yield file


def test_every_rule_id_the_product_cites_is_written_down():
    cited = {rule for file in source_files() for rule in CITED.findall(file.read_text(encoding="utf-8"))}
    assert len(cited) > 20
    assert cited - procedures.rule_ids() == set()


def test_every_rule_has_its_text_in_chinese_and_in_english():
    rules = [rule for chapter in procedures.chapters() for rule in chapter.rules]
    assert len(rules) == len({rule.id for rule in rules}) >= 50
    for rule in rules:
        assert CITED.fullmatch(rule.id), rule.id
        assert HAN.search(rule.zh) and not LATIN.search(rule.zh.replace("R-", "")), rule.id
        assert LATIN.search(rule.en), rule.id


def test_no_reference_points_outside_the_repository():
    outside = [str(file.relative_to(ROOT)) for file in source_files()
               if "../shared" in file.read_text(encoding="utf-8")]
    assert outside == []


def test_markup_in_the_text_is_escaped_but_bold_and_code():
    (chapter,) = procedures.parse("## 章 · Chapter\n\n### R-X-1\n\n**每天** <b>一次</b>\n\nOnce a `day` & <i>more</i>\n")
    (rule,) = chapter.rules
    assert str(rule.zh) == "<strong>每天</strong> &lt;b&gt;一次&lt;/b&gt;"
    assert str(rule.en) == "Once a <code>day</code> &amp; &lt;i&gt;more&lt;/i&gt;"
