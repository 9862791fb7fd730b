"""Every threshold in PROCEDURES.md as a per-estate setting with its default (never a buried constant)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Setting:
    key: str
    rule: str
    group: object  # lazy string
    label: object  # lazy string
    default: int
    unit: object  # lazy string
    minimum: int = 0
    maximum: int = 1000


DAYS, PCT, TIMES, MONTHS, YEARS = _l("days"), _l("%"), _l("times"), _l("months"), _l("years")
AREAS, PATROL, RENOVATION, VISITS = _l("Areas"), _l("Patrol"), _l("Renovation"), _l("Resident visits")
CALLBACKS, FEES, SUPERVISION, DUTY_DESK = _l("Callbacks"), _l("Fees"), _l("Supervision"), _l("Duty desk, keys, vacant units")
CASES = _l("Resident cases")

SETTINGS: tuple[Setting, ...] = (
    Setting("table_reapproval_days", "R-AREA-3", AREAS, _l("New assignment table approved within"), 3, DAYS, 1, 30),
    Setting("lobby_card_repost_days", "R-AREA-4", AREAS, _l("Lobby officer card reposted within"), 3, DAYS, 1, 30),
    Setting("key_location_patrol_days", "R-PAT-1", PATROL, _l("Key locations patrolled every"), 1, DAYS, 1, 7),
    Setting("full_patrol_days", "R-PAT-1", PATROL, _l("Whole area patrolled every"), 7, DAYS, 1, 31),
    Setting("renovation_inspections_per_day", "R-REN-1", RENOVATION,
            _l("Inspections of each renovating unit per day, at least"), 1, TIMES, 1, 10),
    Setting("monthly_visit_pct", "R-VIS-1", VISITS, _l("Households visited at home each month, at least"), 3, PCT, 0, 100),
    Setting("yearly_visit_coverage_pct", "R-VIS-2", VISITS,
            _l("Distinct households visited over a year, at least"), 36, PCT, 0, 100),
    Setting("phone_visit_max_pct", "R-VIS-4", VISITS,
            _l("Phone visits, at most, of the year's required visits"), 30, PCT, 0, 100),
    Setting("case_due_days_repair", "R-REQ-1", CASES, _l("A repair request handled within"), 7, DAYS, 1, 90),
    Setting("case_due_days_complaint", "R-REQ-1", CASES, _l("A complaint handled within"), 3, DAYS, 1, 90),
    Setting("case_due_days_suggestion", "R-REQ-1", CASES, _l("A suggestion answered within"), 7, DAYS, 1, 90),
    Setting("case_due_days_inquiry", "R-REQ-1", CASES, _l("An inquiry answered within"), 2, DAYS, 1, 90),
    Setting("case_due_days_challenge", "R-REQ-1", CASES, _l("A challenge answered within"), 3, DAYS, 1, 90),
    Setting("case_due_days_help", "R-REQ-1", CASES, _l("A request for help handled within"), 1, DAYS, 1, 90),
    Setting("case_due_days_dispute", "R-REQ-1", CASES, _l("A neighbour dispute handled within"), 7, DAYS, 1, 90),
    Setting("case_due_days_violation", "R-REQ-1", CASES, _l("A violation dealt with within"), 7, DAYS, 1, 90),
    Setting("complaint_callback_days", "R-CB-1", CALLBACKS, _l("Complaint callback within"), 3, DAYS, 1, 60),
    Setting("repair_callback_min_days", "R-CB-1", CALLBACKS, _l("Repair callback no earlier than"), 30, DAYS, 0, 365),
    Setting("repair_callback_max_days", "R-CB-1", CALLBACKS, _l("Repair callback no later than"), 60, DAYS, 1, 365),
    Setting("emergency_patient_callback_days", "R-CB-1", CALLBACKS,
            _l("Emergency patient callback within"), 7, DAYS, 1, 60),
    Setting("publication_callback_days", "R-CB-1", CALLBACKS,
            _l("Publication and event callback within"), 30, DAYS, 1, 120),
    Setting("other_callback_days", "R-CB-1", CALLBACKS, _l("Other callbacks within"), 7, DAYS, 1, 60),
    Setting("complaint_callback_rate_pct", "R-CB-2", CALLBACKS, _l("Complaints called back"), 100, PCT, 0, 100),
    Setting("repair_callback_rate_pct", "R-CB-2", CALLBACKS, _l("Repairs called back"), 30, PCT, 0, 100),
    Setting("special_service_callback_rate_pct", "R-CB-2", CALLBACKS,
            _l("Special services called back"), 30, PCT, 0, 100),
    Setting("help_callback_rate_pct", "R-CB-2", CALLBACKS, _l("Requests for help called back"), 30, PCT, 0, 100),
    Setting("publication_callback_rate_pct", "R-CB-2", CALLBACKS,
            _l("Publications and events called back"), 10, PCT, 0, 100),
    Setting("repeat_complaint_threshold", "R-CB-5", CALLBACKS,
            _l("Same matter complained of, times, before it is analysed"), 2, TIMES, 2, 20),
    Setting("repeat_repair_threshold", "R-CB-5", CALLBACKS,
            _l("Same repair, times, before it is analysed"), 3, TIMES, 2, 20),
    Setting("callback_records_keep_years", "R-CB-5", CALLBACKS, _l("Callback records kept for"), 2, YEARS, 1, 30),
    Setting("arrears_list_due_day", "R-FEE-1", FEES, _l("Finance's monthly arrears list in by day"), 10,
            _l("day of month"), 1, 28),
    Setting("long_term_arrears_months", "R-FEE-3", FEES, _l("Arrears count as long-term after"), 6, MONTHS, 1, 60),
    Setting("long_term_phone_chases_per_week", "R-FEE-4", FEES,
            _l("Phone chases per week for long-term arrears, at least"), 1, TIMES, 0, 7),
    Setting("long_term_visits_per_month", "R-FEE-4", FEES,
            _l("Visits per month for long-term arrears, at least"), 2, TIMES, 0, 31),
    Setting("mall_arrears_threshold_months", "R-FEE-5", FEES,
            _l("Mall customers followed up once in arrears for more than"), 1, MONTHS, 0, 24),
    Setting("mall_arrears_followup_days", "R-FEE-5", FEES, _l("Mall arrears followed up every"), 15, DAYS, 1, 90),
    Setting("supervisor_full_inspections_per_month", "R-SUP-1", SUPERVISION,
            _l("Supervisor full inspections of each area per month, at least"), 2, TIMES, 0, 31),
    Setting("record_working_days", "R-REC-1", SUPERVISION,
            _l("Days of the week, from Monday, that need a daily work record"), 6, DAYS, 1, 7),
    Setting("record_read_by_hour", "R-REC-3", SUPERVISION,
            _l("The day before's work records read by, next morning"), 10, _l("o'clock"), 0, 23),
    Setting("visit_verification_sample_pct", "R-SUP-2", SUPERVISION,
            _l("Visits re-contacted by the front desk each month, at least"), 10, PCT, 0, 100),
    Setting("duty_log_keep_years", "R-DUTY-1", DUTY_DESK, _l("Duty log kept for"), 3, YEARS, 1, 30),
    Setting("key_loan_chase_days", "R-KEY-3", DUTY_DESK, _l("Borrowed key chased after"), 3, DAYS, 1, 60),
    Setting("key_records_keep_years", "R-KEY-5", DUTY_DESK, _l("Key records kept for"), 2, YEARS, 1, 30),
    Setting("vacant_status_due_day", "R-VAC-1", DUTY_DESK, _l("Monthly vacant-unit table due by day"), 25, _l("day of month"), 1, 28),
)

BY_KEY = {s.key: s for s in SETTINGS}
