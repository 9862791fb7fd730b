"""`flask duty verify`: check every estate's duty log chain (R-DUTY-1) and name the first broken entry."""

from __future__ import annotations

import click
from sqlalchemy import select

from ..estate.public import Estate
from ..extensions import db
from . import chain
from .views import bp


@bp.cli.command("verify")
@click.option("--estate", "code", default=None, help="Only this estate (its code).")
def verify(code):
    """Exit 1 when an estate's duty log was altered in the database."""
    query = select(Estate).order_by(Estate.id)
    if code:
        query = query.where(Estate.code == code)
    broken = 0
    for estate in db.session.scalars(query):
        found = chain.verify(db.session, estate.id)
        head = db.session.get(chain.ChainHead, estate.id)
        if found is None:
            click.echo(f"{estate.code}: ok, {head.seq if head else 0} entries")
            continue
        broken += 1
        where = f"entry {found.entry.id} (no. {found.entry.seq})" if found.entry else "after the last entry"
        click.echo(f"{estate.code}: BROKEN at no. {found.seq}: {where}: {found.reason}")
    raise SystemExit(1 if broken else 0)
