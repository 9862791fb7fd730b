"""People: accounts, roles, estate membership, login throttling."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from sync.store import utcnow

from ..extensions import db
from ..kernel.roles import DESK, Role

user_estates = Table(
    "user_estates",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("estate_id", ForeignKey("estates.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), index=True)
    team: Mapped[str | None] = mapped_column(String(16))  # for Role.TEAM: engineering/security/cleaning/greening
    mobile: Mapped[str | None] = mapped_column(String(32))
    work_phone: Mapped[str | None] = mapped_column(String(32))
    photo_media_id: Mapped[str | None] = mapped_column(String(36))
    locale: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deactivated_at: Mapped[datetime | None]
    # When the mobile, work phone or photo last changed: the lobby card is reposted within n days (R-AREA-4).
    contacts_changed_at: Mapped[datetime | None]
    # Part of the login id (get_id): a new one ends every session and remembered login of this person.
    login_token: Mapped[str | None] = mapped_column(String(32))
    # Set when someone else chose the password (a new person, a reset): the owner replaces it first.
    password_must_change: Mapped[bool] = mapped_column(default=False, server_default=false())

    estates: Mapped[list[Estate]] = relationship(secondary=user_estates, lazy="selectin")  # noqa: F821

    def set_password(self, password: str) -> None:
        from flask import current_app, has_app_context

        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What sessions and remember cookies store (auth.views.load_user checks the token)."""
        return f"{self.id}:{self.login_token}" if self.login_token else str(self.id)

    def end_sessions(self) -> None:
        """Every session and remembered login of this person stops (a new password, deactivation)."""
        self.login_token = secrets.token_urlsafe(16)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {str(r) for r in roles}

    @property
    def is_desk(self) -> bool:
        return self.role_enum in DESK

    @property
    def estate_ids(self) -> set[int]:
        return {e.id for e in self.estates}

    def deactivate(self) -> None:
        self.active = False
        self.deactivated_at = utcnow()
        self.end_sessions()  # so that reactivating does not bring old logins back

    def reactivate(self) -> None:
        self.active = True
        self.deactivated_at = None

    def set_contacts(self, mobile: str | None, work_phone: str | None) -> bool:
        """Change the phones a lobby card shows (R-AREA-4); True if anything changed."""
        if (self.mobile, self.work_phone) == (mobile, work_phone):
            return False
        self.mobile, self.work_phone, self.contacts_changed_at = mobile, work_phone, utcnow()
        return True

    def set_photo(self, media_id: str) -> None:
        self.photo_media_id, self.contacts_changed_at = media_id, utcnow()

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginAttempt(db.Model):
    """Failed and successful logins, for throttling by username and by address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
