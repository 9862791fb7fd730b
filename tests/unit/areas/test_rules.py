"""The assignment-table state machine (R-AREA-1, R-AREA-2) and the R-AREA-3/4 due dates, with plain values;
the one-approved-table rule in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.exc import IntegrityError

from webapp.areas import queries, rules
from webapp.areas.models import AssignmentRow, AssignmentTable, TableStatus
from webapp.areas.rules import TableError
from webapp.kernel.hooks import Obligation

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AREAS = [SimpleNamespace(id=1, description="东区"), SimpleNamespace(id=2, description="南区")]
OFFICERS = {11, 12}


def table(status=TableStatus.DRAFT, officers=(11, 12), version=2, estate_id=1) -> AssignmentTable:
    t = AssignmentTable(estate_id=estate_id, version=version, status=status, created_by=5, created_at=T0)
    for area_id, officer_id in zip((1, 2), officers, strict=True):
        t.rows.append(AssignmentRow(area_id=area_id, officer_id=officer_id, scope="s", difficulty=3, key_locations=[]))
    return t


# --------------------------------------------------------------------------- state machine


def test_a_draft_starts_from_the_table_in_force_with_fresh_household_counts():
    in_force = table(TableStatus.APPROVED, version=1)
    in_force.rows[0].household_count = 100
    draft = rules.start_draft(1, 2, user_id=5, now=T0, areas=AREAS, in_force=in_force, households={1: 181, 2: 188})
    assert draft.status == TableStatus.DRAFT and draft.version == 2 and draft.created_by == 5
    assert [(r.area_id, r.officer_id, r.household_count, r.difficulty) for r in draft.rows] == [
        (1, 11, 181, 3), (2, 12, 188, 3)]


def test_a_draft_with_no_table_in_force_is_empty():
    draft = rules.start_draft(1, 1, user_id=5, now=T0, areas=AREAS)
    assert [(r.officer_id, r.scope) for r in draft.rows] == [(None, "东区"), (None, "南区")]


def test_only_one_draft_or_proposed_version_at_a_time():
    with pytest.raises(TableError) as exc:
        rules.start_draft(1, 3, user_id=5, now=T0, areas=AREAS, open_version=table(TableStatus.PROPOSED))
    assert exc.value.status == 409


def test_propose_snapshots_key_locations_and_records_the_proposer():
    draft = table()
    snapshot = {1: [{"id": 7, "kind": "lobby", "name": "1栋首层大堂"}]}
    rules.propose(draft, user_id=5, now=T0, area_ids=[1, 2], officer_ids=OFFICERS, key_locations=snapshot)
    assert draft.status == TableStatus.PROPOSED and (draft.proposed_by, draft.proposed_at) == (5, T0)
    assert draft.rows[0].key_locations == snapshot[1] and draft.rows[1].key_locations == []


def test_propose_needs_an_active_officer_for_every_area():
    draft = table(officers=(11, None))
    with pytest.raises(TableError) as exc:
        rules.propose(draft, 5, T0, [1, 2], OFFICERS, {})
    assert exc.value.status == 422 and list(exc.value.errors) == ["rows-2-officer_id"]
    assert draft.status == TableStatus.DRAFT
    draft.rows[1].officer_id = 99  # not an active officer of the estate
    with pytest.raises(TableError):
        rules.propose(draft, 5, T0, [1, 2], OFFICERS, {})


def test_propose_drops_rows_of_areas_no_longer_active():
    draft = table()
    rules.propose(draft, 5, T0, [1], OFFICERS, {})
    assert [r.area_id for r in draft.rows] == [1]


def test_approve_supersedes_the_table_in_force_so_exactly_one_is_approved():
    old, new = table(TableStatus.APPROVED, version=1), table(TableStatus.PROPOSED, version=2)
    rules.approve(new, [old], user_id=6, now=T0, area_ids=[1, 2], officer_ids=OFFICERS)
    assert (old.status, new.status) == (TableStatus.SUPERSEDED, TableStatus.APPROVED)
    assert (new.decided_by, new.decided_at) == (6, T0)
    assert rules.only_one_approved([old, new])


def test_approve_leaves_other_estates_alone():
    elsewhere, new = table(TableStatus.APPROVED, estate_id=2), table(TableStatus.PROPOSED)
    rules.approve(new, [elsewhere], 6, T0, [1, 2], OFFICERS)
    assert elsewhere.status == TableStatus.APPROVED


@pytest.mark.parametrize("status", [TableStatus.DRAFT, TableStatus.APPROVED, TableStatus.SUPERSEDED])
def test_only_a_proposed_table_can_be_approved_or_sent_back(status):
    t = table(status)
    with pytest.raises(TableError) as exc:
        rules.approve(t, [], 6, T0, [1, 2], OFFICERS)
    assert exc.value.status == 409
    with pytest.raises(TableError):
        rules.send_back(t, 6, T0, "note")
    assert t.status == status


def test_approve_refuses_when_an_officer_left_after_the_proposal():
    old, new = table(TableStatus.APPROVED, version=1), table(TableStatus.PROPOSED)
    with pytest.raises(TableError) as exc:
        rules.approve(new, [old], 6, T0, [1, 2], {11})
    assert "rows-2-officer_id" in exc.value.errors
    assert (old.status, new.status) == (TableStatus.APPROVED, TableStatus.PROPOSED)


def test_send_back_needs_a_note_and_returns_the_table_to_draft():
    t = table(TableStatus.PROPOSED)
    with pytest.raises(TableError) as exc:
        rules.send_back(t, 6, T0, "  ")
    assert "note" in exc.value.errors and t.status == TableStatus.PROPOSED
    rules.send_back(t, 6, T0, "南区难度偏低")
    assert (t.status, t.decision_note, t.decided_by) == (TableStatus.DRAFT, "南区难度偏低", 6)


@pytest.mark.parametrize("status", [TableStatus.PROPOSED, TableStatus.APPROVED, TableStatus.SUPERSEDED])
def test_only_drafts_are_edited_or_discarded(status):
    t = table(status)
    with pytest.raises(TableError):
        rules.apply_rows(t, {1: {"officer_id": 12}})
    with pytest.raises(TableError):
        rules.discard(t)


def test_apply_rows_adds_a_row_for_a_new_area():
    t = table()
    rules.apply_rows(t, {3: {"officer_id": 11, "difficulty": 4}})
    assert (t.row_for(3).officer_id, t.row_for(3).difficulty, t.row_for(3).scope) == (11, 4, None)


def test_parse_rows_reports_each_invalid_field(rq):
    form = {"rows-1-officer_id": "11", "rows-1-difficulty": "9", "rows-1-household_count": "abc",
            "rows-2-officer_id": "99", "rows-2-floor_area_m2": "12.5"}
    values, errors = rules.parse_rows(form, [1, 2], OFFICERS)
    assert set(errors) == {"rows-1-difficulty", "rows-1-household_count", "rows-2-officer_id"}
    assert values[2]["floor_area_m2"] == 12.5


# --------------------------------------------------------------------------- due dates


def test_reapproval_is_due_days_after_the_first_change():
    changes = [T0 + timedelta(days=2), T0]
    assert rules.reapproval_due(changes, 3) == T0 + timedelta(days=3)
    assert rules.reapproval_due([], 3) is None


def test_a_changed_policy_moves_the_due_date():
    assert rules.reapproval_due([T0], 5) - rules.reapproval_due([T0], 3) == timedelta(days=2)


def test_overdue_after_the_due_moment():
    ob = Obligation("k", "R-AREA-3", "t", due=T0)
    assert not ob.overdue(T0) and ob.overdue(T0 + timedelta(seconds=1))


def test_officer_since_is_the_start_of_the_unbroken_run():
    history = [(T0, 11), (T0 - timedelta(days=30), 11), (T0 - timedelta(days=60), 12), (T0 - timedelta(days=90), 11)]
    assert rules.officer_since(history, 11) == T0 - timedelta(days=30)
    assert rules.officer_since(history, 12) is None
    assert rules.officer_since([(T0, 12)], 12) == T0


def posting(officer_id, at, contacts=None):
    return SimpleNamespace(officer_id=officer_id, posted_at=at, contacts=contacts)


CONTACTS = {"mobile": "13816620101", "work_phone": "021-58880101", "photo": None}


def test_a_new_officer_needs_the_card_posted():
    assert rules.lobby_card_due(11, T0, [], CONTACTS, None, 3) == T0 + timedelta(days=3)
    old_card = posting(11, T0 - timedelta(days=1), CONTACTS)  # posted before this run began
    assert rules.lobby_card_due(11, T0, [old_card], CONTACTS, None, 3) == T0 + timedelta(days=3)
    someone_else = posting(12, T0 + timedelta(days=1), CONTACTS)
    assert rules.lobby_card_due(11, T0, [someone_else], CONTACTS, None, 3) == T0 + timedelta(days=3)


def test_a_posted_card_clears_it():
    assert rules.lobby_card_due(11, T0, [posting(11, T0 + timedelta(hours=2), CONTACTS)], CONTACTS, None, 3) is None
    assert rules.lobby_card_due(11, T0, [posting(11, T0 + timedelta(hours=2))], CONTACTS, None, 3) is None


def test_changed_contacts_need_a_repost():
    card = posting(11, T0 + timedelta(days=1), CONTACTS)
    changed_at = T0 + timedelta(days=10)
    new = CONTACTS | {"mobile": "13900000000"}
    assert rules.lobby_card_due(11, T0, [card], new, changed_at, 3) == changed_at + timedelta(days=3)
    assert rules.lobby_card_due(11, T0, [card], new, changed_at, 5) == changed_at + timedelta(days=5)
    reposted = posting(11, changed_at + timedelta(days=1), new)
    assert rules.lobby_card_due(11, T0, [card, reposted], new, changed_at, 3) is None


# --------------------------------------------------------------------------- in the database


@pytest.fixture
def estate_in_force(make_estate, make_user, make_area):
    """A new estate with its supervisor, one area and an approved table (version 1) naming its officer."""
    estate = make_estate()
    supervisor = make_user("supervisor", estates=(estate.code,))
    make_area(estate, officer=make_user("officer", estates=(estate.code,)))
    return SimpleNamespace(id=estate.id, supervisor=supervisor.id)


def test_the_database_refuses_a_second_approved_table(rq, estate_in_force):
    from webapp.extensions import db

    db.session.add(AssignmentTable(estate_id=estate_in_force.id, version=9, status=TableStatus.APPROVED,
                                   created_by=estate_in_force.supervisor))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_approve_table_in_the_database_keeps_one_approved(rq, estate_in_force):
    from webapp.extensions import db

    estate_id, supervisor = estate_in_force.id, estate_in_force.supervisor
    draft = rules.create_draft(estate_id, supervisor)
    db.session.flush()
    rules.propose_table(draft, supervisor)
    rules.approve_table(draft, supervisor)
    db.session.commit()
    statuses = [t.status for t in queries.tables_of(estate_id)]
    assert statuses == [TableStatus.APPROVED, TableStatus.SUPERSEDED]
    assert rules.table_in_force(estate_id).id == draft.id
