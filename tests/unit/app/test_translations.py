"""Every user-facing string has its Simplified Chinese translation (zh-CN is the default UI)."""

from pathlib import Path

from babel.messages.extract import extract_from_dir

from webapp.i18n import CATALOGUE_DIR, merged_catalogue

ROOT = Path(__file__).resolve().parents[3]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def extracted_msgids() -> dict[str, str]:
    found = {}
    for folder, method in ((ROOT / "webapp", "python"), (ROOT / "templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(folder),
            method_map=[(pattern, method if method == "python" else "jinja2.ext:babel_extract")],
            keywords=KEYWORDS,
            options_map={pattern: {"extensions": "jinja2.ext.do"}} if method != "python" else None,
        ):
            msgids = message if isinstance(message, tuple) else (message,)
            for msgid in msgids:
                if msgid:
                    found.setdefault(msgid, f"{folder.name}/{filename}:{lineno}")
    return found


def test_every_string_has_a_chinese_translation():
    catalogue = merged_catalogue(sorted((CATALOGUE_DIR / "zh_Hans_CN").glob("*.po")), "zh_Hans_CN")
    missing = {msgid: where for msgid, where in extracted_msgids().items() if msgid not in catalogue}
    assert not missing, "untranslated strings:\n" + "\n".join(f"{w}: {m!r}" for m, w in sorted(missing.items()))


def test_every_sync_engine_message_has_a_chinese_translation():
    from sync import messages

    catalogue = merged_catalogue(sorted((CATALOGUE_DIR / "zh_Hans_CN").glob("*.po")), "zh_Hans_CN")
    assert [m for m in messages.ALL if m not in catalogue] == []
