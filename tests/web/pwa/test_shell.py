"""The PWA shell: service worker, manifest, offline and outbox pages, offline page list, the partials
that every page includes, and the front-end contracts other templates rely on."""

from __future__ import annotations

import gzip
import json
import re
import struct
import time
from pathlib import Path

import pytest

from webapp.kernel.hooks import hooks_of
from webapp.minify import minified
from webapp.pwa.assets import EAGER_MODULES, asset_version, compute_version, shell_files

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "static"
JS = STATIC / "js"


def json_block(html: str, block_id: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', html, re.S)
    assert found, f"no #{block_id} block"
    return json.loads(found.group(1))


# --- service worker -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?module=1"])
def test_service_worker_is_served_fresh_for_the_whole_site(app, client, query):
    response = client.get("/sw.js" + query)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    with app.app_context():
        version = asset_version(app)
        shell = shell_files(app)
    assert json.dumps(version) in body
    for filename in shell:
        assert f'"/static/{filename}"' in body
    assert '"/offline"' in body
    assert ("import { runSync }" in body) == (query == "?module=1")


def test_service_worker_needs_no_login_and_never_caches_posts(client):
    body = client.get("/sw.js").get_data(as_text=True)
    assert 'request.method !== "GET"' in body
    assert "SKIP_WAITING" in body and '"pb-outbox"' in body


def test_precached_files_exist():
    for filename in ("css/app.css", "vendor/htmx-2.0.11.min.js", "icons/icon-192.png", "favicon.ico"):
        assert (STATIC / filename).is_file()
    from flask import Flask

    assert all((STATIC / f).is_file() for f in shell_files(Flask("x", static_folder=str(STATIC))))


def test_asset_version_follows_the_files(tmp_path):
    (tmp_path / "a.css").write_text("body{}")
    first = compute_version(tmp_path)
    assert first == compute_version(tmp_path)
    (tmp_path / "a.css").write_text("body{color:red}")
    assert compute_version(tmp_path) != first


def test_a_changed_template_rolls_the_worker_too(tmp_path):
    static, templates = tmp_path / "static", tmp_path / "templates"
    static.mkdir(), templates.mkdir()
    (templates / "offline.html").write_text("<p>offline</p>")
    first = compute_version(static, templates)
    (templates / "offline.html").write_text("<p>离线</p>")
    assert compute_version(static, templates) != first


# --- manifest and icons ---------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_manifest_is_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "物业巡查 · Patrolbook"
    assert manifest["short_name"] == "物业巡查"
    assert manifest["start_url"] == "/today?source=pwa"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "zh-CN"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    pngs = {(i["sizes"], i["purpose"]): i["src"] for i in manifest["icons"] if i["type"] == "image/png"}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= set(pngs)
    for (sizes, _purpose), src in pngs.items():
        with client.get(src) as icon:
            assert icon.status_code == 200
            width, height = png_size(icon.data)
        assert f"{width}x{height}" == sizes
        assert len(icon.data) < 10_000


def test_favicon(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.data[:4] == b"\x00\x00\x01\x00"


# --- pages ----------------------------------------------------------------------------------------


def test_offline_page_works_anonymously_in_chinese(client):
    response = client.get("/offline")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "此页面未保存" in html
    assert 'href="/today"' in html and 'href="/outbox"' in html


def test_outbox_needs_login(client, login_as):
    response = client.get("/outbox")
    assert response.status_code in (302, 401)
    login_as("officer")
    html = client.get("/outbox").get_data(as_text=True)
    assert "data-outbox-page" in html and "data-sync-now" in html and "data-discard-dialog" in html


def test_offline_pages_need_login(client):
    response = client.get("/pwa/offline-pages")
    assert response.status_code == 401
    assert response.is_json


def test_offline_pages_list_the_union_of_providers(app, client, login_as):
    user = login_as("officer")

    def extra(who):
        assert who.id == user.id
        return ["/notes/new", "/outbox", "https://elsewhere.example/x", "//evil/x"]

    def broken(who):
        raise RuntimeError("a domain bug")

    providers = hooks_of(app).offline_pages
    providers += [extra, broken]
    try:
        response = client.get("/pwa/offline-pages")
    finally:
        providers.remove(extra)
        providers.remove(broken)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    urls = response.get_json()["urls"]
    assert urls[:2] == ["/today", "/outbox"]
    assert "/notes/new" in urls
    assert len(urls) == len(set(urls))
    assert not [u for u in urls if not u.startswith("/") or u.startswith("//")]


# --- the partials every page includes -------------------------------------------------------------


@pytest.fixture
def page(client, login_as):
    login_as("officer")
    return client.get("/outbox").get_data(as_text=True)


def test_head_partial(page):
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color"' in page
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page)
    htmx_config = json.loads(config.group(1))
    assert htmx_config["includeIndicatorStyles"] is False
    assert htmx_config["allowEval"] is False
    for module in EAGER_MODULES:
        assert f'<link rel="modulepreload" href="/static/{module}">' in page


def test_htmx_is_sent_only_to_pages_that_use_it(client, login_as):
    login_as("supervisor")
    htmx = '<script src="/static/vendor/htmx-2.0.11.min.js"></script>'
    assert htmx in client.get("/estate/households").get_data(as_text=True)  # search as you type
    assert htmx not in client.get("/me").get_data(as_text=True)


def test_scripts_partial_and_config(page, users):
    assert '<script type="module" src="/static/js/app.js"></script>' in page
    config = json_block(page, "pb-config")
    assert config["user"] == str(users["officer"].id)
    assert config["urls"] | {} == config["urls"]
    assert {
        "whoami",
        "push",
        "pull",
        "media",
        "offlinePages",
        "login",
        "outbox",
        "sw",
        "scope",
        "today",
        "offline",
    } <= set(config["urls"])
    assert config["urls"]["media"].endswith("/sync/media/")


def test_a_page_says_when_the_server_rendered_it(client, login_as):
    """Work synced after that is not in the page yet: the phone goes on showing it (overlays.js)."""
    login_as("officer")
    before = int(time.time() * 1000)
    config = json_block(client.get("/today").get_data(as_text=True), "pb-config")
    assert before <= config["rendered_at"] <= int(time.time() * 1000)


def test_status_partial(page):
    for hook in (
        "data-status-line",
        "data-status-text",
        "data-status-pending",
        "data-status-attention",
        "data-sync-now",
        "data-login-banner",
        "data-login-link",
        "data-update-banner",
        "data-update-reload",
        "data-clock-banner",
    ):
        assert hook in page
    assert "立即同步" in page and "有新版本" in page and "重新加载" in page


def test_every_js_string_is_translated_on_the_server(page):
    strings = json_block(page, "pb-i18n")
    used = set()
    for module in JS.glob("*.js"):
        used |= set(re.findall(r'\bt\("(\w+)"', module.read_text()))
    assert used - set(strings) == set()
    assert strings["saved"] == "已保存（待同步）"
    assert strings["syncing"] == "同步中 {done}/{total}"
    assert strings["othersTitle"] == "其他账号的待同步记录"


def test_no_inline_script_style_or_hx_on(page, client):
    for html in (page, client.get("/offline").get_data(as_text=True)):
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\shx-on", html)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag


# --- front-end contracts --------------------------------------------------------------------------

CSS_VOCABULARY = [
    "header.topbar",
    ".status-line",
    "main.page",
    "nav.bottom-nav",
    ".fab-emergency",
    ".desk-nav",
    ".card",
    ".stack",
    ".row",
    ".grid-2",
    ".list",
    ".list-item",
    ".list-link",
    ".btn",
    ".btn-primary",
    ".btn-secondary",
    ".btn-danger",
    ".btn-block",
    ".btn-group",
    ".badge",
    ".chip",
    ".chip-due",
    ".chip-done",
    ".chip-overdue",
    ".chip-pending",
    ".chip-attention",
    ".kpi",
    ".field",
    ".hint",
    ".field-error",
    '[aria-invalid="true"]',
    ".form-actions",
    ".flash",
    ".flash-success",
    ".flash-error",
    ".flash-info",
    "table.responsive",
    ".muted",
    ".search-box",
    ".pager",
    ".toast",
    ".banner",
    ".banner-warning",
    ".sr-only",
    ".no-print",
    ".print-only",
    ".print-page",
    ".htmx-indicator",
    ".is-pending",
    ".thumbs",
]


def test_stylesheet_has_the_shared_class_vocabulary_and_stays_small():
    """The size is what a phone downloads: the stylesheet minified (webapp/minify.py) and gzipped."""
    css = (STATIC / "css" / "app.css").read_text()
    missing = [name for name in CSS_VOCABULARY if name not in css]
    assert not missing
    assert "@media print" in css and "size: A4" in css
    assert "td::before { content: attr(data-label)" in css
    assert len(gzip.compress(minified(STATIC / "css" / "app.css", 0), 9)) < 6_000


def test_first_load_scripts_stay_small():
    """Measured as served: our modules minified (webapp/minify.py), so a comment costs no phone anything."""
    eager = sum(len(gzip.compress(minified(STATIC / m, 0) if not m.startswith("vendor/") else (STATIC / m).read_bytes(), 9))
                for m in EAGER_MODULES)
    assert eager < 6_500, eager


def test_scripts_never_evaluate_strings_or_write_html():
    for module in JS.glob("*.js"):
        source = module.read_text()
        assert not re.search(r"\beval\(|new Function\(|\.innerHTML\s*=|insertAdjacentHTML", source), (
            module.name
        )


def test_translation_catalogue_exists():
    po = (ROOT / "webapp" / "translations" / "zh_Hans_CN" / "pwa.po").read_text()
    assert 'msgid "Sync now"\nmsgstr "立即同步"' in po


def test_script_json_is_utf8_yet_cannot_close_the_script(app):
    from flask import render_template_string

    with app.test_request_context():
        out = render_template_string("{{ v|json_utf8 }}", v={"k": "同步中 </script><b>&'"})
    assert "同步中" in out and "</script>" not in out and "<b>" not in out
    assert json.loads(out) == {"k": "同步中 </script><b>&'"}
