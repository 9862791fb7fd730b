"""The patrol blueprint. Its routes are grouped by who uses them: views_field (officers on the phone:
due list, round forms, findings, emergencies), views_desk (supervisors and managers: coverage, QR
sheets, the emergencies inbox) and views_templates (checklists); every view states its roles
(webapp.kernel.roles FIELD, LEADS, DESK)."""

from flask import Blueprint

bp = Blueprint("patrol", __name__, url_prefix="/patrol")
