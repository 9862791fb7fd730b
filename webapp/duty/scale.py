"""The duty desk of a scale estate (webapp.scale): the months' log entries, chained, filed in the change log; the
roster and a handover at every change of turn."""

from __future__ import annotations

from ..kernel.scale import write, write_synced
from . import chain
from .demo import desk_history, rows_for
from .entities import ENTRY
from .models import ChainHead


def extend(session, ctx) -> None:
    rng, estate, now = ctx["rng"], ctx["estate"], ctx["now"]
    people = ctx["users"]["frontdesk"] + ctx["users"]["supervisor"]
    days = (ctx["today"] - ctx["first_day"]).days + 1
    rows = [r for r in rows_for(rng, estate.id, people, ctx["first_day"], days) if r["received_at"] <= now]
    seq, last = chain.chain_rows(rows)
    write_synced(session, ENTRY, rows)
    write(session, ChainHead, [{"estate_id": estate.id, "seq": seq, "last_hash": last}])
    desk_history(session, rng, estate.id, people[:1] + people[-1:], rows, ctx["today"], now, days)
