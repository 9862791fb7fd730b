"""The demo key cabinet (R-KEY-1…4): developer's keys of units not taken over and keys customers entrusted, two out
on loan — one due back tomorrow, one out for a week (chased); one lost key's memo."""

from __future__ import annotations

import random
from datetime import timedelta

from ..kernel.dates import local_date
from ..kernel.demo import ZONE, random_id
from .models import Key, KeyLoan, KeyMemo

CABINET = (("3栋1单元201", "入户门钥匙", 2, "developer", "A01"), ("3栋1单元202", "入户门钥匙", 2, "developer", "A02"),
           ("5栋2单元1103", "入户门钥匙", 1, "customer", "B01"), ("7栋1单元602", "入户门、信箱钥匙", 3, "customer", "B02"),
           ("2栋1单元1501", "入户门钥匙", 1, "customer", "B03"), ("8栋2单元903", "入户门钥匙", 2, "developer", "A03"))


def extend(session, ctx) -> None:
    estate, now, desk = ctx["estate"], ctx["now"], ctx["users"]["sunli"]
    keys = [Key(estate_id=estate.id, unit_label=u, label=f"{u} {what}", count=n, kind=kind, slot=slot)
            for u, what, n, kind, slot in CABINET]
    session.add_all(keys)
    session.flush()
    today, rng = local_date(now, ZONE), random.Random(20261216)
    for key, days_ago, who, why in ((keys[0], 1, "王师傅（装修公司）", "查看水电改造"),
                                    (keys[3], 7, "李女士（业主亲属）", "代业主取物")):
        lent = now - timedelta(days=days_ago)
        session.add(KeyLoan(id=random_id(rng), created_by=desk.id, estate_id=estate.id,
                            key_id=key.id, count=1, borrower=who, phone="13900001111", purpose=why, lent_at=lent,
                            expected_return=today + timedelta(days=1 - days_ago + 1), observed_at=lent,
                            received_at=lent, updated_at=lent))
    session.add(KeyMemo(key_id=keys[4].id, kind="lost", what="借用人归还时称钥匙在电梯井附近遗失，多方寻找未果",
                        supervisor_told=True, owner_consent=True, action="经业主同意更换入户门锁芯", result="已换锁，新钥匙两把入柜",
                        recorded_by=desk.id, recorded_at=now - timedelta(days=12)))
