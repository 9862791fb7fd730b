"""Demo daily work records (R-REC-1, R-REC-3): a fortnight of submitted records of every area's officer,
read and replied to most mornings. The last working day's records wait for the supervisor's reading; 王小明
missed one day (his obligation) and has a reply he has not seen (his badge); one record was amended."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from ..kernel.dates import day_start_utc, local_date
from ..kernel.demo import ZONE
from . import rules
from .models import DailyRecord, DailyRecordVersion, RecordRead, RecordReply

DAYS = 14
NOTES = ("上午配合工程部检查3栋电梯，已恢复运行", "下午接待业主来访两次，反映停车位问题", "协助保安处理快递柜前纠纷",
         "参加部门例会，传达冬季防火要求", "跟进2栋漏水维修，工程部明天上门", "整理本周家访记录")
FOLLOW = ("2栋1502卫生间渗水，明天回访", "快递柜旁纸箱，通知保洁清运", "", "", "5栋电梯异响，工程部跟进")
REPLIES = ("收到，渗水问题请跟紧工程部", "停车位问题下周例会讨论", "做得好，继续保持", "电梯问题今天务必回复业主")
ANSWERS = ("好的，已约工程部明早九点", "明白")


def extend(session, ctx) -> None:
    rng, now, users = random.Random(20261207), ctx["now"], ctx["users"]
    today, supervisor = local_date(now, ZONE), users["chenjing"]
    review = rules.previous_working_day(today, 6)  # this morning's reading, still to do
    replied = rules.previous_working_day(review, 6)  # read and replied to yesterday morning
    missed = rules.previous_working_day(replied, 6)
    officers = [users[u] for u in ("wangxm", "lina", "zhangwei", "liuyang")]
    for area, officer in zip(ctx["areas"], officers, strict=True):
        for n in range(1, DAYS + 1):
            day = today - timedelta(days=n)
            if not rules.is_working_day(day, 6) or (officer.username == "wangxm" and day == missed):
                continue
            _record(session, rng, officer, area, day, supervisor, read=day < review, newest=day == replied)


def _record(session, rng, officer, area, day, supervisor, read: bool, newest: bool) -> None:
    at = datetime.combine(day, time(17, rng.randrange(30, 59)), ZONE)
    rid = rules.record_id(officer.id, day)
    notes, follow = rng.choice(NOTES), rng.choice(FOLLOW)
    amended = officer.username == "lina" and newest
    session.add(DailyRecord(id=rid, version=2 if amended else 1, created_by=officer.id, observed_at=at, received_at=at,
                            updated_at=at + timedelta(hours=1) if amended else at, officer_id=officer.id,
                            area_id=area.id, day=day, notes=notes + ("；补：傍晚巡查地库一次" if amended else ""),
                            follow_up=follow, amend_note="漏记了傍晚的地库巡查" if amended else ""))
    session.add(DailyRecordVersion(record_id=rid, version=1, notes=notes, follow_up=follow, submitted_by=officer.id,
                                   submitted_at=at))
    if amended:
        session.add(DailyRecordVersion(record_id=rid, version=2, notes=notes + "；补：傍晚巡查地库一次", follow_up=follow,
                                       amend_note="漏记了傍晚的地库巡查", submitted_by=officer.id,
                                       submitted_at=at + timedelta(hours=1)))
    if not read:
        return
    morning = day_start_utc(day + timedelta(days=1), ZONE) + timedelta(hours=8, minutes=rng.randrange(40))
    session.add(RecordRead(record_id=rid, user_id=supervisor.id, first_read_at=morning, last_read_at=morning))
    if newest or rng.random() < 0.35:
        line = "follow_up" if follow and rng.random() < 0.5 else None
        session.add(RecordReply(record_id=rid, author_id=supervisor.id, text=rng.choice(REPLIES), line=line,
                                created_at=morning + timedelta(minutes=5)))
        if not (newest and officer.username == "wangxm"):
            seen = morning + timedelta(hours=1)
            session.add(RecordRead(record_id=rid, user_id=officer.id, first_read_at=seen, last_read_at=seen))
            if rng.random() < 0.5:
                session.add(RecordReply(record_id=rid, author_id=officer.id, text=rng.choice(ANSWERS), line=line,
                                        created_at=seen))
