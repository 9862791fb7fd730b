"""Key rules: a loan is chased once out longer than the estate's policy (R-KEY-3); a key goes back to the customer
only against the customer card or an ID, of which only the kind and the last four characters are kept (R-KEY-5)."""

from __future__ import annotations

import re
from datetime import date

from .models import Document

CHASE_POLICY = "key_loan_chase_days"
LAST_FOUR = re.compile(r"^[0-9A-Za-z]{4}$")
NO_DOCUMENT = "A key goes back only against the customer card or an ID: choose the document shown."
BAD_LAST_FOUR = "Write the last four characters of the document's number."


def overdue(lent_on: date, returned: bool, today: date, chase_days: int) -> bool:
    """Out more than `chase_days` whole days (lent on the 1st with 3 days: chased from the 5th)."""
    return not returned and (today - lent_on).days > chase_days


def hand_back_proof(document: str | None, number: str | None) -> tuple[tuple[str, str] | None, dict[str, str]]:
    """(document kind, last four characters) to keep, or the errors: never more of the number than its last four."""
    errors = {}
    if document not in {d.value for d in Document}:
        errors["document"] = NO_DOCUMENT
    digits = re.sub(r"\s", "", number or "")
    last4 = digits[-4:].upper()
    if not LAST_FOUR.match(last4):
        errors["document_last4"] = BAD_LAST_FOUR
    return (None if errors else (document, last4)), errors
