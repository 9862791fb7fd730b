"""The key cabinet of a scale estate (webapp.scale): forty keys, about one loan a day over the
months, nearly all returned within a few days (counted, countersigned), a few still out; filed in the change log."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..kernel.demo import random_id, random_time
from ..kernel.scale import days, synced, write, write_synced
from .entities import LOAN
from .models import Key

KEYS = 40  # a cabinet of forty keys
PURPOSES = ("查看漏水", "装修公司量房", "代业主取物", "更换水表", "消防检查")


def extend(session, ctx) -> None:
    rng, estate, now = ctx["rng"], ctx["estate"], ctx["now"]
    desk = ctx["users"]["frontdesk"]
    count = KEYS
    write(session, Key, [{"estate_id": estate.id, "unit_label": f"{1 + n // 40}栋{n % 40 + 101}",
                          "label": f"{1 + n // 40}栋{n % 40 + 101} 入户门钥匙", "count": rng.choice((1, 2, 3)),
                          "kind": rng.choice(("developer", "customer")), "slot": f"A{n + 1:03d}", "handed_back_at": None}
                         for n in range(count)])
    keys = list(session.execute(select(Key.id, Key.count).where(Key.estate_id == estate.id)).all())
    free_from: dict[int, object] = {}
    loans = []
    for day in days(ctx["first_day"], ctx["today"]):
        key_id, held = rng.choice(keys)
        lent = random_time(day, rng, 8, 20)
        if lent > now or free_from.get(key_id, lent) > lent:
            continue  # one loan of a key at a time
        back = lent + timedelta(days=rng.choice((0, 1, 1, 2, 3, 5)), hours=rng.randrange(1, 8))
        returned = back if back < now else None
        free_from[key_id] = back
        person = rng.choice(desk)
        loans.append(synced(random_id(rng), person.id, lent, lent, updated=returned or lent,
                            version=2 if returned else 1, estate_id=estate.id, key_id=key_id, count=held,
                            borrower="王师傅", phone="13900001111", purpose=rng.choice(PURPOSES), lent_at=lent,
                            expected_return=(lent + timedelta(days=2)).date(), returned_at=returned,
                            returned_count=held if returned else None, received_by=person.id if returned else None))
    write_synced(session, LOAN, loans)
