"""Our scripts and stylesheet go out minified; vendored files and caching headers pass through."""

from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[3] / "static"


@pytest.mark.parametrize("name", ["js/sync-client.js", "js/app.js", "css/app.css"])
def test_own_assets_are_served_minified_and_conditional(client, name):
    source = (STATIC / name).read_bytes()
    served = client.get(f"/static/{name}")
    assert served.status_code == 200 and len(served.data) < 0.9 * len(source)
    assert b"\n//" not in served.data and b"/*" not in served.data.replace(b"*/*", b"")
    assert int(served.headers["Content-Length"]) == len(served.data)
    again = client.get(f"/static/{name}", headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_vendored_files_pass_through_untouched(client):
    served = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert served.data == (STATIC / "vendor/htmx-2.0.11.min.js").read_bytes()
    served.close()


def test_missing_and_escaping_paths_are_not_found(client):
    assert client.get("/static/js/nope.js").status_code == 404
    assert client.get("/static/../webapp/config.py").status_code == 404
