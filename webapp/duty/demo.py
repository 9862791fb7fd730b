"""A month of the demo estate's duty desk: the log (R-DUTY-1), what the desk handled day and night, a few corrections
written the next morning beside what they correct, chained as the server would have chained it, in the order
received; the roster, a day turn and a night turn, and a signed handover at every change (R-DUTY-2); unfinished
work: one item open, one important one the supervisor let carry over; the supervisor's daily checks, two days
left unsigned (R-DUTY-3)."""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import timedelta

from ..kernel.dates import day_start_utc, local_date
from ..kernel.demo import ZONE, random_id
from . import chain
from .models import ChainHead, DailyCheck, DutyEntry, Handover, HandoverItem, Shift

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
CORRECTIONS = ("更正：处理人写错，应为当班保安王师傅", "更正：时间记错，应提前半小时", "补记：已电话回访业主，表示满意")


def rows_for(rng, estate_id: int, people: list, first_day, days: int) -> list[dict]:
    rows = []
    for n in range(days):
        day = first_day + timedelta(days=n)
        start = day_start_utc(day, ZONE)
        for _ in range(rng.randint(3, 6)):
            category, what, handled, follow = rng.choice(EVENTS)
            person = rng.choice(people)
            at = start + timedelta(minutes=rng.randrange(24 * 60) if rng.random() < 0.25 else rng.randrange(7 * 60, 23 * 60))
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
    desk_history(session, rng, estate.id, people, rows, today, ctx["now"], DAYS)
    _open_work(session, estate.id, people, ctx["now"])
    _checks(session, estate.id, people[1], rows, today)
    session.flush()


def desk_history(session, rng, estate_id, people, rows, today, now, days: int) -> None:
    """Day turns 08:00–20:00 and night turns 20:00–08:00 of two people alternating, from `days` ago to a week
    ahead; a handover at each change, of the entries received by then."""
    first_seq, received = 1, [r["received_at"] for r in rows]
    for n in range(-days, 8):
        day = today + timedelta(days=n)
        for hour, length in ((8, 12), (20, 12)):
            start = day_start_utc(day, ZONE) + timedelta(hours=hour)
            person = people[(n + (hour == 20)) % 2]
            session.add(Shift(estate_id=estate_id, user_id=person.id, starts_at=start,
                              ends_at=start + timedelta(hours=length)))
            if start > now or n == -days:
                continue
            last_seq = bisect_right(received, start)
            outgoing = people[(n + (hour == 8)) % 2]
            session.add(Handover(estate_id=estate_id, outgoing_id=outgoing.id, incoming_id=person.id,
                                 signed_at=start + timedelta(minutes=rng.randrange(5, 20)), first_seq=first_seq,
                                 last_seq=last_seq, anomalies="", explanation="", open_work=[]))
            first_seq = last_seq + 1


def _open_work(session, estate_id, people, now) -> None:
    desk, lead = people
    session.add_all([
        HandoverItem(estate_id=estate_id, text="3栋2单元渗水：等工程部回复维修时间", important=False,
                     created_by=desk.id, created_at=now - timedelta(hours=5)),
        HandoverItem(estate_id=estate_id, text="7栋电梯困人：维保单位的故障报告待送达", important=True,
                     created_by=desk.id, created_at=now - timedelta(days=1), carry_by=lead.id,
                     carry_at=now - timedelta(hours=20), carry_note="维保单位周一送报告，先留给下一班跟进"),
        HandoverItem(estate_id=estate_id, text="东门岗亭门锁更换", important=True, created_by=desk.id,
                     created_at=now - timedelta(days=3), done_at=now - timedelta(days=2), done_by=desk.id),
    ])


def _checks(session, estate_id, supervisor, rows, today) -> None:
    """The supervisor signed every day's log the next morning (R-DUTY-3), but for yesterday's (due today) and the
    one three days back (overdue)."""
    for n in range(DAYS, 0, -1):
        day = today - timedelta(days=n)
        if n in (1, 3):
            continue
        count = sum(1 for r in rows if local_date(r["occurred_at"], ZONE) == day)
        session.add(DailyCheck(estate_id=estate_id, day=day, signed_by=supervisor.id, entries=count, note="",
                               signed_at=day_start_utc(day + timedelta(days=1), ZONE) + timedelta(hours=9)))
