"""Quick notes of a scale estate (webapp.scale): each officer jots about three a week, most at a key
location of their area. Written in bulk, filed in the change log (webapp.kernel.scale)."""

from __future__ import annotations

from datetime import timedelta

from ..kernel.demo import random_id, random_time
from ..kernel.scale import days, synced, write_synced
from .entities import ENTITY

TEXTS = ("3栋门口有共享单车乱停", "花坛边的路灯闪烁", "业主反映楼下夜间有噪音", "快递柜旁堆放纸箱", "健身器材旁积水",
         "地库出口减速带松动", "垃圾房门锁坏了", "消防通道有车辆占用")


def extend(session, ctx) -> None:
    rng, notes = ctx["rng"], []
    for area in ctx["areas"]:
        officer, locations = ctx["officers"][area.id], ctx["locations"][area.id]
        for day in days(ctx["first_day"], ctx["today"] - timedelta(days=1)):
            if rng.random() < 3 / 7:
                observed = random_time(day, rng)
                place = rng.choice(locations) if rng.random() < 0.8 else None
                notes.append(synced(random_id(rng), officer.id, observed, observed + timedelta(minutes=rng.randrange(1, 30)),
                                    area_id=area.id, key_location_id=place.id if place else None,
                                    text=rng.choice(TEXTS), photo_ids=[]))
    write_synced(session, ENTITY, notes)
