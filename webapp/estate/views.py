"""The estate: browse buildings, floors and units, search households, edit contacts, import a file.

Scope (enforced here for every page and fragment, see rules.can_see_building): officers see the
buildings of their areas, desk roles their current estate; work teams see no household data.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..areas.public import Area
from ..auth.public import current_estate, current_estate_or_403, roles_required
from ..extensions import db
from ..kernel.errors import error_response
from ..kernel.forms import load_form
from ..kernel.hooks import unit_sections, unit_states
from ..kernel.htmx import render
from ..kernel.labels import choices
from ..kernel.roles import CUSTOMER_SERVICE, DESK, MANAGERS, Role
from . import edits, importer, parsers, rules, search, spreadsheet
from .models import Estate, Household
from .schemas import ESTATE, NEW_ESTATE, TIME_ZONES, EstateKind

bp = Blueprint("estate", __name__, url_prefix="/estate", cli_group=None)

READERS = CUSTOMER_SERVICE  # work teams have no need for residents' phones
EDITORS = DESK
IMPORTERS = (Role.FRONTDESK, Role.MANAGER, Role.ADMIN)
FOUNDERS = (Role.ADMIN,)  # who creates an estate: on a new store, the first thing anyone does
SETTERS = MANAGERS  # who edits its name, address and time zone


@bp.context_processor
def estate_labels() -> dict:
    return {
        "relation_labels": parsers.RELATION_LABELS,
        "occupancy_labels": rules.OCCUPANCY_LABELS,
        "occupancy_chips": rules.OCCUPANCY_CHIPS,
        "can_edit": current_user.is_authenticated and rules.can_edit_households(current_user),
        "can_import": current_user.is_authenticated and current_user.has_role(*IMPORTERS),
    }


@bp.get("/")
@roles_required(*READERS)
def index():
    estate = current_estate_or_403()
    groups = rules.buildings_by_area(current_user, estate)
    return render_template("estate/index.html", estate=estate, groups=groups, q="")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*FOUNDERS)
def new():
    if request.method == "GET":
        return _settings_page(None, {"kind": EstateKind.RESIDENTIAL, "time_zone": "Asia/Shanghai"}, {})
    data, errors = load_form(NEW_ESTATE, request.form)
    errors = edits.check_new_estate(data) | errors
    if errors:
        return _settings_page(None, request.form.to_dict(), errors, 422)
    estate = edits.create_estate(data, current_user)
    db.session.commit()
    session["estate_id"] = estate.id
    flash(_("The estate %(name)s was created. Next: import its buildings, units and households.",
            name=estate.name), "success")
    return redirect(url_for("estate.import_file"))


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(*SETTERS)
def settings():
    estate = current_estate()
    if estate is None and current_user.has_role(*FOUNDERS):
        return redirect(url_for("estate.new"))
    if estate is None:
        abort(403)
    if request.method == "GET":
        return _settings_page(estate, {name: getattr(estate, name) for name in edits.SETTINGS}, {})
    data, errors = load_form(ESTATE, request.form)
    if errors:
        return _settings_page(estate, request.form.to_dict(), errors, 422)
    edits.update_estate(estate, data)
    db.session.commit()
    flash(_("The estate's settings were saved."), "success")
    return redirect(url_for("estate.settings"))


def _settings_page(estate, values, errors, status=200):
    return render_template("estate/settings.html", editing=estate, values=values, errors=errors,
                           kinds=choices(EstateKind), time_zones=[(k, str(v)) for k, v in TIME_ZONES.items()],
                           can_found=current_user.has_role(*FOUNDERS)), status


@bp.get("/buildings/<int:building_id>")
@roles_required(*READERS)
def building(building_id: int):
    found = rules.require_building(current_user, current_estate(), building_id)
    area = db.session.get(Area, found.area_id) if found.area_id else None
    occupancy = {u.id: u.occupancy for u in found.units} | unit_states(u.id for u in found.units)
    return render_template("estate/building.html", building=found, area=area,
                           floors=rules.floors_of(found), tally=rules.occupancy_tally(found, occupancy), occupancy=occupancy)


@bp.get("/units/<int:unit_id>")
@roles_required(*READERS)
def unit(unit_id: int):
    found = rules.require_unit(current_user, current_estate(), unit_id)
    occupancy = unit_states([found.id]).get(found.id, found.occupancy)  # a renovation under way, as on the building page
    return render_template("estate/unit.html", unit=found, occupancy=occupancy, form={"relation": "owner"}, errors={},
                           sections=unit_sections(current_user, found))


@bp.get("/households")
@roles_required(*READERS)
def households():
    estate = current_estate_or_403()
    q = request.args.get("q", "").strip()
    found = search.search_households(current_user, estate, q)
    return render("estate/households.html", "estate/_household_results.html", q=q, found=found)


@bp.post("/units/<int:unit_id>/households")
@roles_required(*EDITORS)
def add_household(unit_id: int):
    found = rules.require_unit(current_user, current_estate(), unit_id)
    data, errors = rules.clean_household(request.form, found)
    if errors:
        return render_template("estate/unit.html", unit=found, form=request.form, errors=errors), 422
    found.households.append(Household(**data))
    db.session.commit()
    flash(_("%(name)s was added to %(unit)s.", name=data["name"], unit=found.label), "success")
    return redirect(url_for("estate.unit", unit_id=found.id))


@bp.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_household(household_id: int):
    household = rules.require_household(current_user, current_estate(), household_id)
    if request.method == "GET":
        return render_template("estate/household_edit.html", household=household,
                               form=rules.household_form_values(household), errors={})
    data, errors = rules.clean_household(request.form, household.unit, household)
    if errors:
        return render_template("estate/household_edit.html", household=household, form=request.form, errors=errors), 422
    if rules.update_household(household, data):
        db.session.commit()
    flash(_("The contact of %(name)s was saved.", name=household.name), "success")
    return redirect(url_for("estate.unit", unit_id=household.unit_id))


@bp.post("/households/<int:household_id>/delete")
@roles_required(*EDITORS)
def delete_household(household_id: int):
    household = rules.require_household(current_user, current_estate(), household_id)
    unit_id, name = household.unit_id, household.name
    db.session.delete(household)
    try:
        db.session.commit()
    except IntegrityError:  # visits, cases… name it: their history is kept, so the household is too
        db.session.rollback()
        return error_response(409, _("%(name)s has visits or other records, which are kept: the household cannot "
                                     "be removed. Edit the contact instead if someone else lives here now.",
                                     name=name))
    flash(_("%(name)s was removed from this unit.", name=name), "success")
    return redirect(url_for("estate.unit", unit_id=unit_id))


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def import_file():
    estate = current_estate_or_403()
    if request.method == "GET":
        return render_template("estate/import.html", estate=estate)
    try:
        result = importer.import_estate(estate, *spreadsheet.read_upload(request.files.get("file")))
    except spreadsheet.ImportRejected as exc:
        return render_template("estate/import.html", estate=estate, problem=exc.message), exc.status
    if result.errors:
        return render_template("estate/import.html", estate=estate, result=result), 422
    db.session.commit()
    flash(result.summary.message(), "success")
    return redirect(url_for("estate.import_file"))


@bp.get("/import/template.csv")
@roles_required(*IMPORTERS)
def import_template():
    return send_file(importer.template_csv_file(), mimetype="text/csv; charset=utf-8", as_attachment=True,
                     download_name="业户导入模板.csv", max_age=0)


@bp.cli.command("import-estate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--estate", "estate_code", required=True, help="Estate code, e.g. JXHY")
@click.option("--lang", default=None, help="Language of the messages (zh_Hans_CN or en)")
def import_estate_command(file: Path, estate_code: str, lang: str | None):
    """Import buildings, units and households from a CSV or XLSX file into an estate (all or nothing)."""
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        estate = db.session.scalar(select(Estate).where(Estate.code == estate_code))
        if estate is None:
            raise click.ClickException(_("There is no estate with the code %(code)s.", code=estate_code))
        try:
            result = importer.import_estate(estate, file.name, file.read_bytes(), max_bytes=spreadsheet.CLI_MAX_BYTES)
        except spreadsheet.ImportRejected as exc:
            raise click.ClickException(exc.message) from None
        for error in result.errors:
            click.echo(f"{error.row}\t{error.column or ''}\t{error.message}", err=True)
        if result.errors:
            raise click.ClickException(_("Nothing was imported: %(n)d rows have problems.", n=result.bad_rows))
        db.session.commit()
        click.echo(result.summary.message())
