"""The README's run command: `flask --app webapp serve-demo` migrates, seeds, prints the logins and serves."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import urllib.request

from tests.live_server import REPO, free_port, wait_for


def test_serve_demo_creates_the_store_prints_logins_and_serves(tmp_path):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "PATROLBOOK_SQLALCHEMY_DATABASE_URI":
           f"sqlite:///{tmp_path / 'demo.sqlite3'}", "PATROLBOOK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "serve-demo", "--port", str(port)],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/login", seconds=60, alive=lambda: server.poll() is None), \
            server.stdout.read() if server.poll() is not None else "no answer in 60 s"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login") as page:
            assert page.status == 200 and "物业巡查" in page.read().decode()
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "wangxm" in output and "patrol123" in output and f"127.0.0.1:{port}" in output
    with contextlib.closing(sqlite3.connect(tmp_path / "demo.sqlite3")) as store:
        assert store.execute("SELECT count(*) FROM households").fetchone()[0] >= 600
