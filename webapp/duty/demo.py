"""A month of the demo estate's duty log (R-DUTY-1): what the desk handled day and night, a few corrections written
the next morning beside what they correct. Chained as the server would have chained it, in the order received."""

from __future__ import annotations

import random
from datetime import timedelta

from ..kernel.dates import day_start_utc, local_date
from ..kernel.demo import ZONE, random_id
from . import chain
from .models import ChainHead, DutyEntry

DAYS = 30
EVENTS = (
    ("repair", "3栋1单元业主来电：卫生间顶部渗水", "通知工程部上门查看", "已派工程部王师傅，明早回访"),
    ("repair", "地库B区两盏照明灯不亮", "登记报修", "工程部当日更换完毕"),
    ("complaint", "5栋业主投诉楼上夜间噪音", "电话联系楼上住户劝导", "次日回访投诉人"),
    ("visitor", "快递员要求进入2栋送件", "核实业主后放行", ""),
    ("visitor", "装修公司人员办理出入证", "查验装修许可证，登记发证", ""),
    ("security", "夜间巡逻发现东门岗亭门未锁", "通知保安班长上锁", "已落实"),
    ("incident", "7栋电梯困人一名", "通知电梯维保单位，安抚被困人员", "20分钟后解困，维保单位查原因"),
    ("notice", "明日上午9点至11点停水检修", "在各栋大堂张贴通知", "停水结束后巡查各栋水压"),
    ("other", "业主遗失钥匙串一串，交前台保管", "登记失物", "待失主认领"),
)
CORRECTIONS = ("更正：应为3栋2单元，非1单元", "更正：被困时间为14:20，非14:02", "补记：已电话回访业主，表示满意")


def rows_for(rng, estate_id: int, people: list, first_day, days: int) -> list[dict]:
    rows = []
    for n in range(days):
        day = first_day + timedelta(days=n)
        start = day_start_utc(day, ZONE)
        for _ in range(rng.randint(3, 6)):
            category, what, handled, follow = rng.choice(EVENTS)
            person = rng.choice(people)
            at = start + timedelta(minutes=rng.randrange(7 * 60, 23 * 60))
            rows.append(_row(rng, estate_id, person, at, category=category, what=what,
                             handled_by=f"{person.display_name}：{handled}", follow_up=follow))
        if rng.random() < 0.2 and rows:
            wrong = rng.choice(rows[-3:])
            at = start + timedelta(days=1, hours=8, minutes=rng.randrange(60))
            rows.append(_row(rng, estate_id, rng.choice(people), at, category=wrong["category"],
                             what=rng.choice(CORRECTIONS), handled_by=wrong["handled_by"], follow_up="",
                             corrects_id=wrong["id"]))
    rows.sort(key=lambda r: r["received_at"])
    return rows


def _row(rng, estate_id, person, at, **fields) -> dict:
    received = at + timedelta(minutes=rng.randrange(1, 20))
    return {"id": random_id(rng), "version": 1, "created_by": person.id, "observed_at": at, "received_at": received,
            "updated_at": received, "deleted_at": None, "estate_id": estate_id, "occurred_at": at,
            "corrects_id": None, **fields}


def extend(session, ctx) -> None:
    rng, estate, users = random.Random(20261215), ctx["estate"], ctx["users"]
    people = [users[u] for u in ("sunli", "chenjing")]
    today = local_date(ctx["now"], ZONE)
    rows = [r for r in rows_for(rng, estate.id, people, today - timedelta(days=DAYS), DAYS + 1)
            if r["received_at"] <= ctx["now"]]
    seq, last = chain.chain_rows(rows)
    session.add_all(DutyEntry(**row) for row in rows)
    session.add(ChainHead(estate_id=estate.id, seq=seq, last_hash=last))
    session.flush()
