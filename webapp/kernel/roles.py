"""Who is who: the roles people log in with, the role sets views are opened to, and the work teams.

Every role set is declared here once; a domain names its own policy after one of them
(`EDITORS = DESK  # R-REN-2: …`) instead of listing roles again.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    OFFICER = "officer"  # 区域客户主任
    SUPERVISOR = "supervisor"  # 客户服务部门负责人 / 客服部主管
    MANAGER = "manager"  # 物业服务中心负责人
    FRONTDESK = "frontdesk"  # 前台
    FINANCE = "finance"  # 财务: keeps the fee accounts, sends the monthly arrears list (R-FEE-1)
    TEAM = "team"  # engineering, security, cleaning or greening staff who receive work
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.OFFICER: _l("Area customer officer"),
    Role.SUPERVISOR: _l("Customer service supervisor"),
    Role.MANAGER: _l("Service centre manager"),
    Role.FRONTDESK: _l("Front desk"),
    Role.FINANCE: _l("Finance"),
    Role.TEAM: _l("Work team"),
    Role.ADMIN: _l("Administrator"),
}

ALL_ROLES = tuple(Role)
# Supervisors, managers and the administrator: they see their whole estates, review and approve.
LEADS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})
# The desk: the leads and the front desk (their start page is 总览, not 今日).
DESK = LEADS | {Role.FRONTDESK}
# Who walks the estate and records on the phone: officers, and the leads on spot-checks.
FIELD = LEADS | {Role.OFFICER}
# Customer service: everyone but the work teams, who have no need for residents' records.
CUSTOMER_SERVICE = DESK | {Role.OFFICER}
# Who keeps the arrears lists: finance, and the leads who check them (R-FEE-1, R-FEE-3). Finance sees the
# fee pages only, never visits or archives.
FEES_DESK = LEADS | {Role.FINANCE}
# Who manages accounts and settings.
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


class Team(enum.StrEnum):
    """The work teams that receive work (a finding, R-PAT-4); a team member's User.team."""

    ENGINEERING = "engineering"
    SECURITY = "security"
    CLEANING = "cleaning"
    GREENING = "greening"

    @property
    def label(self) -> str:
        return str(TEAM_LABELS[self])


TEAM_LABELS = {
    Team.ENGINEERING: _l("Engineering"),
    Team.SECURITY: _l("Security"),
    Team.CLEANING: _l("Cleaning contractor"),
    Team.GREENING: _l("Greening contractor"),
}
