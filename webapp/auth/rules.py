"""Login throttling: too many failures for a username or from an address lock it out for a while."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from sync.store import utcnow

from ..extensions import db
from .models import LoginAttempt, User

ADDRESS_FAILURE_FACTOR = 4  # an address may fail for several usernames before it is locked out


def is_locked_out(username: str, remote_addr: str, max_failures: int, minutes: int, now: datetime | None = None) -> bool:
    since = (now or utcnow()) - timedelta(minutes=minutes)
    by_user, by_addr = db.session.execute(
        select(
            func.count().filter(LoginAttempt.username == username),
            func.count().filter(LoginAttempt.remote_addr == remote_addr),
        ).where(
            LoginAttempt.at >= since,
            LoginAttempt.succeeded.is_(False),
            or_(LoginAttempt.username == username, LoginAttempt.remote_addr == remote_addr),
        )
    ).one()
    return by_user >= max_failures or by_addr >= max_failures * ADDRESS_FAILURE_FACTOR


def authenticate(username: str, password: str, remote_addr: str) -> User | None:
    """The active user with these credentials, recording the attempt either way."""
    user = db.session.scalar(select(User).where(User.username == username))
    ok = bool(user and user.active and user.check_password(password))
    db.session.add(LoginAttempt(username=username[:64], remote_addr=remote_addr[:64], succeeded=ok))
    if ok:
        # A success clears the user's failure count.
        db.session.execute(
            LoginAttempt.__table__.delete().where(LoginAttempt.username == username, LoginAttempt.succeeded.is_(False))
        )
    db.session.commit()
    return user if ok else None


def confirm_credentials(username: str, password: str, remote_addr: str, max_failures: int,
                        minutes: int) -> tuple[User | None, bool]:
    """A second person confirming who they are on a device someone else is logged in on (a signature):
    (their user or None, whether they are locked out). Throttled and recorded like a login; the session
    of the person logged in is not touched."""
    if is_locked_out(username, remote_addr, max_failures, minutes):
        return None, True
    return authenticate(username, password, remote_addr), False
