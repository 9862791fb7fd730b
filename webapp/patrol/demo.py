"""Demo patrol history: seeded checklists, two weeks of realistic past rounds (some missed), weekly full
rounds, a supervisor's full inspections, findings in every state, one acknowledged emergency and one
still open (on the supervisors' home pages until acknowledged).

Deterministic (ctx["rng"]), and what the demo promises holds whatever today's date is: every area has
findings of each main team in every status (open → assigned → fixed → verified, R-PAT-4), a fixed
finding has its fixer, note and photo, and a verified one the later round that confirmed it. Nothing
is done today, so the officer's day starts with everything due.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
import zlib
from datetime import timedelta

from sqlalchemy import select

from sync.models import Media

from ..areas.public import KeyLocation, KeyLocationKind
from ..kernel.dates import day_start_utc, local_date
from ..kernel.demo import ZONE, random_id, random_time
from ..kernel.media import stores
from . import queries, rules
from .checklists import seed_templates
from .models import ChecklistTemplate, Emergency, Finding, LocationChecklist, PatrolRound

DAYS = 14
NOTES = {
    "lighting": "两盏灯管不亮", "doors": "闭门器损坏，门关不上", "access_control": "门禁读卡器失灵",
    "windows": "玻璃有裂纹", "floor": "地砖松动两块", "walls": "墙面有渗水痕迹", "decoration": "装饰条脱落",
    "cleaning_quality": "地面有污渍未清理", "equipment": "器材螺丝松动", "safety_signs": "警示牌缺失",
    "ground": "软垫破损", "site_cleaning": "垃圾未清运", "fencing": "围挡倒伏", "progress": "工地停工无人",
    "work_safety": "未设警示灯", "site_tidy": "建材堆放占道", "fire_doors": "消防门被杂物堵住",
    "clutter": "楼道堆放纸箱", "road_surface": "路面坑洼", "street_lights": "路灯不亮", "parking": "车辆乱停占道",
    "road_cleaning": "路面油污未清理",
}
FIX_NOTES = {"engineering": "已维修，恢复正常", "security": "已处理并加强巡查", "cleaning": "已清理干净",
             "greening": "已修剪养护"}
OFFICERS = ("wangxm", "lina", "zhangwei", "liuyang")
MAIN_TEAMS = ("engineering", "security", "cleaning")  # every key-location checklist has items for them
# Each area and main team gets one finding per status, from a round about this many days ago.
GUARANTEED = (("verified", 11), ("fixed", 6), ("assigned", 3), ("open", 1))
PHOTO_NAMESPACE = uuid.UUID("0f3b7d52-2a61-4c0e-8e35-70617472306d")
# A garage entrance is a key location of kind "other": the supervisor chose the roads checklist for it.
MAPPED = {"地下车库B1层出入口": "road_lighting"}


def _checks(items, rng, defect_rate):
    checks = []
    for item in items:
        if rng.random() < defect_rate:
            checks.append(_defect(item))
        else:
            checks.append({"item_id": item.id, "result": "ok"})
    return checks


def _defect(item, photo_ids=()):
    return {"item_id": item.id, "result": "defect", "note": NOTES.get(item.code, "需要维修处理"),
            "photo_ids": list(photo_ids), "team": None, "resident_impact": item.code in ("access_control", "doors")}


def _round(rng, user, area, location, kind, purpose, items, day, defect_rate=0.05, start="qr"):
    observed = random_time(day, rng)
    return PatrolRound(id=random_id(rng), area_id=area.id, key_location_id=location.id if location else None, kind=kind,
                       purpose=purpose, start_method=start, started_at=observed - timedelta(minutes=rng.randrange(5, 40)),
                       checks=_checks(items, rng, defect_rate), verified_finding_ids=[], created_by=user.id,
                       observed_at=observed,
                       received_at=observed + timedelta(minutes=rng.randrange(1, 90)),
                       updated_at=observed + timedelta(minutes=90))


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain PNG (no imaging library): a coloured card with a darker band, for demo photos."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    dark = bytes(c // 2 for c in rgb)
    rows = b"".join(b"\x00" + (dark if height // 3 <= y < 2 * height // 3 else bytes(rgb)) * width
                    for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _photo(session, name: str, rgb: tuple[int, int, int], uploader_id: int) -> str:
    """A stored demo photo (in the media store, and its Media row), so pages show real thumbnails."""
    media_id = str(uuid.uuid5(PHOTO_NAMESPACE, name))
    data = _png(160, 120, rgb)
    sha = hashlib.sha256(data).hexdigest()
    path = stores().put(session, media_id, sha, "image/png", data)
    session.add(Media(id=media_id, sha256=sha, content_type="image/png", size=len(data), path=path,
                      uploaded_by=uploader_id))
    return media_id


class FindingMaker:
    """Findings of the demo rounds, each consistent with its status: routed to a team member from
    assigned on, fixed with the fixer's note and photo, verified by a later round where there is one."""

    def __init__(self, rounds, items, teams, photos, now):
        self.rounds, self.items, self.teams, self.photos, self.now = rounds, items, teams, photos, now

    def make(self, done, check, status):
        item = self.items[check["item_id"]]
        member = self.teams.get(item.team)
        finding = Finding(id=rules.finding_id(done.id, item.id), area_id=done.area_id, round_id=done.id,
                          key_location_id=done.key_location_id, item={**item.snapshot(), "kind": item.template.kind},
                          team=item.team, status=status, note=check["note"], photo_ids=list(check["photo_ids"]),
                          resident_impact=check["resident_impact"], created_by=done.created_by,
                          observed_at=done.observed_at, received_at=done.received_at, updated_at=done.received_at)
        if status != "open":
            finding.assigned_to = member.id if member else None
        if status in ("fixed", "verified"):
            finding.fixed_at = min(done.observed_at + timedelta(days=1, hours=2), self.now - timedelta(hours=12))
            finding.fixed_by = member.id if member else None
            finding.fixed_note = FIX_NOTES.get(item.team, "已处理")
            finding.fixed_photo_ids = [self.photos["fix"]]
            finding.updated_at = finding.fixed_at
        if status == "verified":
            self._verify(finding, done)
        return finding

    def _verify(self, finding, done):
        """On the officer's next round at the same place after the fix (R-PAT-4), else a day after it."""
        later = next((r for r in self.rounds if r.area_id == done.area_id and r.purpose == "patrol"
                      and r.key_location_id == done.key_location_id and r.kind == done.kind
                      and r.observed_at > finding.fixed_at), None)
        if later is not None:
            later.verified_finding_ids = [*later.verified_finding_ids, finding.id]
            finding.verified_at, finding.verified_by, finding.verified_round_id = (
                later.observed_at, later.created_by, later.id)
        else:
            finding.verified_at, finding.verified_by = finding.fixed_at + timedelta(days=1), done.created_by
        finding.updated_at = finding.verified_at

    def random_status(self, done, rng) -> str:
        age = (self.now - done.observed_at).days
        return rng.choice(("verified", "verified", "fixed", "assigned") if age > 6 else
                          ("fixed", "assigned", "open") if age > 2 else ("open", "assigned"))


def _guaranteed_defects(rounds, areas, items, today, photo, lobbies) -> list[tuple]:
    """(round, check, status) for each area × main team × status, on key-location rounds near the
    wanted age (GUARANTEED), lobbies first (where a broken door or access control affects residents):
    the demo shows every state whatever the date."""
    chosen = []
    for area in areas:
        mine = [r for r in rounds if r.area_id == area.id and r.kind == "key" and r.purpose == "patrol"]
        for team in MAIN_TEAMS:
            for status, back in GUARANTEED:
                wanted = today - timedelta(days=back)
                for done in sorted(mine, key=lambda r: (abs((local_date(r.observed_at, ZONE) - wanted).days),
                                                        r.key_location_id not in lobbies, r.observed_at)):
                    index = next((i for i, c in enumerate(done.checks) if c["result"] == "ok"
                                  and items[c["item_id"]].team == team), None)
                    if index is not None:
                        checks = list(done.checks)
                        checks[index] = _defect(items[checks[index]["item_id"]], [photo])
                        done.checks = checks
                        chosen.append((done, checks[index], status))
                        break
    return chosen


def _map_locations(session, estate, user) -> None:
    """Key locations whose checklist the supervisor chose (R-PAT-2): see MAPPED."""
    for location in session.scalars(select(KeyLocation).where(KeyLocation.name.in_(list(MAPPED)))):
        if location.area.estate_id == estate.id:
            session.add(LocationChecklist(estate_id=estate.id, key_location_id=location.id,
                                          template_kind=MAPPED[location.name], updated_by=user.id))
    session.flush()


def extend(session, ctx) -> None:
    estate, areas, users, rng, now = ctx["estate"], ctx["areas"], ctx["users"], ctx["rng"], ctx["now"]
    # The estate's areas and key locations predate the patrol history (they are "added" at seed time).
    since = day_start_utc(local_date(now, ZONE) - timedelta(days=DAYS), ZONE)
    for area in areas:
        area.created_at = since
        for location in session.scalars(select(KeyLocation).where(KeyLocation.area_id == area.id)):
            location.created_at = since
    seed_templates(session, estate.id, users["chenjing"].id)
    _map_locations(session, estate, users["chenjing"])
    templates = {t.kind: t for t in session.scalars(select(ChecklistTemplate).where(ChecklistTemplate.estate_id == estate.id))}
    today = local_date(now, ZONE)
    rounds = []
    for area, username in zip(areas, OFFICERS, strict=True):
        officer = users[username]
        locations = session.scalars(select(KeyLocation).where(KeyLocation.area_id == area.id)).all()
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            for location in locations:
                if rng.random() < (0.8 if area.code == "A1" else 0.9):
                    kinds = queries.round_kinds(location)
                    items = [i for k in kinds for i in templates[k].items]
                    rounds.append(_round(rng, officer, area, location, "key", "patrol", items, day,
                                         0.025, start=rng.choice(("qr", "qr", "qr", "list", "manual"))))
        full_items = [i for k in rules.FULL_ROUND_TEMPLATES for i in templates[k].items]
        first, week = today - timedelta(days=DAYS), rules.period_start(today, 7)
        start = rules.period_start(first, 7)
        while start <= week:  # one full round a week; 北区 (A4) missed last week's
            day = max(first, start + timedelta(days=rng.randrange(0, 4)))
            if day < today and not (area.code == "A4" and start == week - timedelta(days=7)):
                rounds.append(_round(rng, officer, area, None, "full", "patrol", full_items, day, 0.03, "manual"))
            start += timedelta(days=7)
        if area.code in ("A2", "A3") and today.day > 1:
            day = today - timedelta(days=rng.randrange(1, min(today.day, 8)))
            rounds.append(_round(rng, users["chenjing"], area, None, "full", "spot_check", full_items, day, 0.05, "manual"))
    rounds.sort(key=lambda r: r.observed_at)
    items = {i.id: i for t in templates.values() for i in t.items}
    teams = {u.team: u for u in users.values() if u.team}
    photos = {"defect": _photo(session, "defect", (214, 120, 40), users["wangxm"].id),
              "fix": _photo(session, "fix", (70, 160, 90), teams["engineering"].id)}
    maker = FindingMaker(rounds, items, teams, photos, now)
    lobbies = set(session.scalars(select(KeyLocation.id).where(KeyLocation.kind == KeyLocationKind.LOBBY)))
    guaranteed = _guaranteed_defects(rounds, areas, items, today, photos["defect"], lobbies)
    planned = {(r.id, c["item_id"]): status for r, c, status in guaranteed}
    findings = [maker.make(r, c, planned.get((r.id, c["item_id"])) or maker.random_status(r, rng))
                for r in rounds for c in r.checks if c["result"] == "defect"]
    session.add_all(rounds)
    session.flush()
    session.add_all(findings)
    reporter = users["lina"]
    reported = now - timedelta(days=5, hours=3)
    session.add(Emergency(id=random_id(rng), estate_id=estate.id, area_id=areas[1].id, kind="water", place="3栋地下室水泵房",
                          description="水泵房管道爆裂，地面积水约5厘米", photo_ids=[], created_by=reporter.id,
                          observed_at=reported, received_at=reported + timedelta(minutes=1),
                          acknowledged_at=reported + timedelta(minutes=4), acknowledged_by=users["chenjing"].id,
                          ack_note="已通知工程部关阀抢修"))
    reported = now - timedelta(minutes=25)
    session.add(Emergency(id=random_id(rng), estate_id=estate.id, area_id=areas[2].id, kind="lift", place="7栋2号电梯",
                          description="电梯停在6楼与7楼之间，困一人，已安抚", photo_ids=[photos["defect"]],
                          created_by=users[OFFICERS[2]].id, observed_at=reported,
                          received_at=reported + timedelta(seconds=40)))

