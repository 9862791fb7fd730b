"""`flask` commands: create the first administrator and other users, seed the demo estate, serve the demo,
move media into the database, build estates at scale for measuring."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import run_simple

from sync.blobs import move_to_database

from .auth.models import User
from .demo import DEMO_PASSWORD, DEMO_USERS, seed
from .estate.models import Estate
from .extensions import db
from .kernel.media import stores
from .kernel.roles import Role
from .people.schemas import MIN_PASSWORD
from .scale import Size, build


def init_app(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(serve_demo)
    app.cli.add_command(seed_scale)
    app.cli.add_command(media_group)


@click.group("media")
def media_group():
    """Where photos and papers are kept (PATROLBOOK_MEDIA_STORE)."""


@media_group.command("to-database")
@with_appcontext
def media_to_database():
    """Move the photos and papers kept in the media folder into the database (run it again at will: what
    is there already is skipped). The files are left where they are."""
    outcome = move_to_database(db.session, stores())
    click.echo(f"moved {len(outcome['moved'])}, missing {len(outcome['missing'])}, damaged {len(outcome['damaged'])}")
    for problem in ("missing", "damaged"):
        for media_id in outcome[problem]:
            click.echo(f"{problem}: {media_id}", err=True)
    if outcome["missing"] or outcome["damaged"]:
        raise click.ClickException("some uploads stay in the folder; their rows still point there")


@click.command("create-admin")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Name shown to others, e.g. 系统管理员")
@click.password_option()
@with_appcontext
def create_admin(username, display_name, password):
    """Create an administrator, who needs no estate: on a new store, they log in and create it."""
    _create(username, display_name, Role.ADMIN, (), None, password)
    click.echo("Log in with it, then create the estate on the start page (总览).")


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Name shown to others, e.g. 王晓明")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--estate", "estate_codes", multiple=True, help="Estate code; repeat for several estates")
@click.option("--mobile", default=None)
@click.password_option()
@with_appcontext
def create_user(username, display_name, role, estate_codes, mobile, password):
    """Create a user (passwords are stored hashed)."""
    _create(username, display_name, role, estate_codes, mobile, password)


def _create(username, display_name, role, estate_codes, mobile, password) -> None:
    if not username.strip() or not display_name.strip():
        raise click.ClickException("username and name must not be empty")
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"the password needs at least {MIN_PASSWORD} characters")
    if db.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"user {username!r} exists already")
    estates = db.session.scalars(select(Estate).where(Estate.code.in_(estate_codes))).all()
    missing = set(estate_codes) - {e.code for e in estates}
    if missing:
        raise click.ClickException(
            f"unknown estate code(s): {', '.join(sorted(missing))}. An administrator creates an estate "
            "on the web (create one with `flask --app webapp create-admin`), or `seed-demo` creates the demo."
        )
    user = User(username=username, display_name=display_name, role=role, mobile=mobile, estates=list(estates))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} {username}")


@click.command("seed-demo")
def seed_demo():
    """Create the demo estate and its people, once (does nothing if an estate exists)."""
    _seed_and_report()


def _seed_and_report() -> None:
    if db.session.scalar(select(Estate.id).limit(1)) is None:
        seed(db.session)
        click.echo("Demo estate created.")
    click.echo(f"Demo logins (password {DEMO_PASSWORD!r} for all):")
    for username, name, role, *_ in DEMO_USERS:
        click.echo(f"  {username:<10} {name}  ({role})")


@click.command("serve-demo")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def serve_demo(host, port):
    """Migrate the store, create the demo on first start, and serve the app."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    _seed_and_report()
    click.echo(f"Serving Patrolbook on http://{host}:{port}/")
    # werkzeug directly: Flask ignores app.run() inside a `flask` command.
    run_simple(host, port, current_app._get_current_object(), threaded=True)


@click.command("seed-scale")
@click.option("--estates", default=1, show_default=True, type=click.IntRange(1, 100))
@click.option("--months", default=12, show_default=True, type=click.IntRange(1, 60), help="History before today")
@click.option("--areas", default=Size.areas, show_default=True, type=click.IntRange(1, 100))
@click.option("--locations", default=Size.locations, show_default=True, type=click.IntRange(1, 100),
              help="Key locations per area")
@click.option("--buildings", default=Size.buildings, show_default=True, type=click.IntRange(1, 500))
@click.option("--households", default=Size.households, show_default=True, type=click.IntRange(1, 100_000))
@with_appcontext
def seed_scale(estates, months, areas, locations, buildings, households):
    """Add estates at scale with months of history in every domain (for measuring pages and sync)."""
    started = time.monotonic()
    made = build(db.session, estates, months, Size(buildings, households, areas, locations))
    for ctx in made:
        click.echo(f"estate {ctx['estate'].code}: log in as {ctx['estate'].code.lower()}-officer1, "
                   f"{ctx['estate'].code.lower()}-supervisor1 … (password {DEMO_PASSWORD!r})")
    click.echo(f"{len(made)} estate(s), {months} months of history, in {time.monotonic() - started:.1f} s")
