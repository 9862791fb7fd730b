"""Daily work records of a scale estate (webapp.scale): every officer submits one on nine working days in
ten, the supervisor reads most next morning and replies to some. Written in bulk; records filed in the change
log (webapp.kernel.scale)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from ..kernel.demo import ZONE
from ..kernel.scale import days, synced, write, write_synced
from . import rules
from .entities import ENTITY
from .models import DailyRecordVersion, RecordRead, RecordReply

NOTES = ("配合工程部检查电梯", "接待业主来访", "跟进漏水维修", "参加部门例会", "整理家访记录")


def extend(session, ctx) -> None:
    rng, records, versions, reads, replies = ctx["rng"], [], [], [], []
    readers = ctx["users"].get("supervisor") or []
    reader = readers[0] if readers else None
    for area in ctx["areas"]:
        officer = ctx["officers"][area.id]
        for day in days(ctx["first_day"], ctx["today"] - timedelta(days=1)):
            if not rules.is_working_day(day, 6) or rng.random() < 0.1:
                continue
            at = datetime.combine(day, time(17, rng.randrange(60)), ZONE)
            rid, notes = rules.record_id(officer.id, day), rng.choice(NOTES)
            records.append(synced(rid, officer.id, at, at, officer_id=officer.id, area_id=area.id, day=day,
                                  notes=notes, follow_up="", amend_note=""))
            versions.append({"record_id": rid, "version": 1, "notes": notes, "follow_up": "", "amend_note": "",
                             "submitted_by": officer.id, "submitted_at": at})
            if reader is not None and rng.random() < 0.9:
                morning = at + timedelta(hours=15, minutes=rng.randrange(60))
                reads.append({"record_id": rid, "user_id": reader.id, "first_read_at": morning, "last_read_at": morning})
                if rng.random() < 0.2:
                    replies.append({"record_id": rid, "line": None, "author_id": reader.id, "text": "收到",
                                    "created_at": morning})
    write_synced(session, ENTITY, records)
    write(session, DailyRecordVersion, versions)
    write(session, RecordRead, reads)
    write(session, RecordReply, replies)
