"""Configuration defaults. Overridden by PATROLBOOK_* environment variables, then by test overrides."""

from datetime import timedelta

DEFAULT_SECRET = "change-me-patrolbook-dev-only"


class Config:
    SECRET_KEY = DEFAULT_SECRET
    # Empty means: a SQLite file under the instance folder (filled in by create_app).
    SQLALCHEMY_DATABASE_URI = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    ENV = "development"  # PATROLBOOK_ENV=production: refuse the default secret, secure cookies, HSTS
    PROXY_HOPS = 0  # PATROLBOOK_PROXY_HOPS=1 behind one HTTPS proxy: trust its X-Forwarded-* headers

    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_Hans_CN", "en")

    # Officers cannot log in while offline: sessions are long-lived and remembered.
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    REMEMBER_COOKIE_DURATION = timedelta(days=90)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False

    # A CSRF token lives as long as the session: an officer may be offline for hours.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = False

    PASSWORD_HASH_METHOD = "scrypt"
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT_MINUTES = 15

    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Where photos and papers are kept: "local", files under MEDIA_ROOT (one app server, or a shared
    # filesystem); "database", the app's database (app servers that share nothing; README "Deploying").
    MEDIA_STORE = "local"
    MEDIA_ROOT = ""  # empty: <instance>/media
    MEDIA_MAX_BYTES = 8 * 1024 * 1024
    SYNC_MAX_BATCH = 500


def database_url_from_env(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// forms and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
