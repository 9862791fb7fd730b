"""Languages: Simplified Chinese by default, English selectable and remembered per user.

Each part of the app keeps its own catalogue (webapp/translations/zh_Hans_CN/<part>.po, English
msgids), so parts can be translated independently; at start-up they are merged and compiled once
into the instance folder.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_timedelta, get_locale, gettext
from flask_login import current_user

from .extensions import babel
from .kernel.dates import tz

CATALOGUE_DIR = Path(__file__).parent / "translations"
LOCALE_NAMES = {"zh_Hans_CN": "中文", "en": "English"}


def select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def compile_catalogues(instance_path: str) -> str:
    """Merge every .po per locale into one .mo under the instance folder; returns that folder."""
    out_root = Path(instance_path) / "translations"
    for locale_dir in CATALOGUE_DIR.iterdir():
        if not locale_dir.is_dir():
            continue
        sources = sorted(locale_dir.glob("*.po"))
        target = out_root / locale_dir.name / "LC_MESSAGES" / "messages.mo"
        if target.exists() and all(p.stat().st_mtime <= target.stat().st_mtime for p in sources):
            continue
        merged = merged_catalogue(sources, locale_dir.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, merged)
        tmp.replace(target)
    return str(out_root)


def merged_catalogue(sources: list[Path], locale: str) -> Catalog:
    merged = Catalog(locale=locale)
    for source in sources:
        with source.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                if message.id and message.string and not message.fuzzy:
                    merged[message.id] = Message(message.id, message.string)
    return merged


def html_lang() -> str:
    return "zh-CN" if str(get_locale()).startswith("zh") else "en"


def time_ago(value: datetime | None) -> str:
    """"12 分钟前": how long ago, for what someone has to act on now (an emergency, UX.md)."""
    if value is None:
        return ""
    if value.tzinfo is None:  # stored in UTC
        value = value.replace(tzinfo=UTC)
    past = value - datetime.now(UTC)  # negative: Babel says "… ago"
    if past > -timedelta(minutes=1):  # a fast device clock too
        return gettext("just now")
    return format_timedelta(past, threshold=1.5, add_direction=True)


def init_app(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = compile_catalogues(app.instance_path)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: tz().key)
    app.jinja_env.filters["datetime"] = lambda value, fmt="yyyy-MM-dd HH:mm": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = lambda value, fmt="yyyy-MM-dd": format_date(value, fmt) if value else ""
    app.jinja_env.filters["time"] = lambda value: format_datetime(value, "HH:mm") if value else ""
    app.jinja_env.filters["ago"] = time_ago
    app.jinja_env.globals["clock_zone"] = lambda: tz().key  # the estate's clock, for a form's local day


    @app.context_processor
    def language_context():
        return {"html_lang": html_lang(), "locale_names": LOCALE_NAMES, "current_locale": str(get_locale())}

    @app.before_request
    def remember_query_locale():
        wanted = request.args.get("lang")
        if wanted in app.config["LANGUAGES"]:
            session["locale"] = wanted
