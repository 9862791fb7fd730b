"""Key rules: a loan is chased once out longer than the policy (R-KEY-3); a key goes back only against the customer
card or an ID, and only the document's kind and last four characters are kept (R-KEY-5)."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.keys import rules


@pytest.mark.parametrize(("today", "returned", "late"), [
    (date(2026, 12, 4), False, False),  # 3 days out: not yet
    (date(2026, 12, 5), False, True),  # more than 3 days
    (date(2026, 12, 20), True, False),  # back: never chased
])
def test_a_loan_is_chased_once_out_longer_than_the_policy(today, returned, late):
    assert rules.overdue(date(2026, 12, 1), returned, today, 3) is late


def test_the_policy_sets_the_days():
    assert rules.overdue(date(2026, 12, 1), False, date(2026, 12, 4), 2)
    assert not rules.overdue(date(2026, 12, 1), False, date(2026, 12, 8), 7)


@pytest.mark.parametrize(("document", "number", "kept"), [
    ("id_card", "110101199001011234", ("id_card", "1234")),  # a whole number typed: only the last four kept
    ("passport", "e1234567x", ("passport", "567X")),
    ("customer_card", "0042", ("customer_card", "0042")),
])
def test_a_hand_back_keeps_the_kind_and_last_four_only(document, number, kept):
    assert rules.hand_back_proof(document, number) == (kept, {})


@pytest.mark.parametrize(("document", "number", "field"), [
    (None, "1234", "document"), ("", "1234", "document"), ("driving_licence", "1234", "document"),
    ("id_card", "", "document_last4"), ("id_card", "12", "document_last4"), ("id_card", "12-4", "document_last4"),
])
def test_no_document_no_key(document, number, field):
    proof, errors = rules.hand_back_proof(document, number)
    assert proof is None and field in errors
