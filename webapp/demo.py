"""A realistic demo estate: 8 buildings, 640 households, 4 areas with key locations, and its people.

Deterministic (seeded random), so demo screenshots and tests see the same estate every time.
Domains add their own demo history (their demo.extend(session, ctx), registered by their init_app with
hooks_of(app).add_demo), called after the core in create_app's order.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sync.store import utcnow

from .areas.models import (
    Area,
    AssignmentRow,
    AssignmentTable,
    KeyLocation,
    KeyLocationKind,
    LobbyCardPosting,
    TableStatus,
)
from .areas.queries import contacts_of
from .auth.models import User
from .estate.models import Building, Estate, Household, Unit
from .kernel.hooks import hooks_of
from .kernel.roles import Role

DEMO_PASSWORD = "patrol123"
# username, name, role, team, mobile
DEMO_USERS = (
    ("wangxm", "王晓明", Role.OFFICER, None, "13816620101"),
    ("lina", "李娜", Role.OFFICER, None, "13816620102"),
    ("zhangwei", "张伟", Role.OFFICER, None, "13816620103"),
    ("liuyang", "刘洋", Role.OFFICER, None, "13816620104"),
    ("chenjing", "陈静", Role.SUPERVISOR, None, "13816620201"),
    ("zhaogang", "赵刚", Role.MANAGER, None, "13816620301"),
    ("sunli", "孙丽", Role.FRONTDESK, None, "13816620401"),
    ("qianhong", "钱红", Role.FINANCE, None, "13816620601"),
    ("zhouqiang", "周强", Role.TEAM, "engineering", "13816620501"),
    ("wujun", "吴军", Role.TEAM, "security", "13816620502"),
    ("zhengfang", "郑芳", Role.TEAM, "cleaning", "13816620503"),
    ("fenglei", "冯磊", Role.TEAM, "greening", "13816620504"),
    ("admin", "系统管理员", Role.ADMIN, None, None),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建华文辉力鹏宇浩然欣怡子涵雨轩梓萱思远博文嘉怡晨曦一鸣"
BUILDINGS = 8
FLOORS = 20
UNITS_PER_FLOOR = 4
AREA_NAMES = ("东区", "南区", "西区", "北区")
LEISURE = ("中心花园儿童游乐区", "健身步道与康体器材区", "游泳池及会所外广场", "北门休闲广场")


def random_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def random_phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "135", "186", "159", "177")) + f"{rng.randrange(10**8):08d}"


def seed(session) -> dict:
    rng = random.Random(20261123)
    now = utcnow()
    estate = Estate(code="JXHY", name="锦绣花园", kind="residential", address="上海市浦东新区锦绣路1888弄")
    session.add(estate)
    users = {}
    for username, name, role, team, mobile in DEMO_USERS:
        user = User(username=username, display_name=name, role=role, team=team, mobile=mobile,
                    work_phone="021-5888" + (mobile or "0000")[-4:] if mobile else None, estates=[estate])
        user.set_password(DEMO_PASSWORD)
        users[username] = user
        session.add(user)
    session.flush()
    areas = [Area(estate_id=estate.id, code=f"A{i + 1}", name=name,
                  description=f"{name}：{2 * i + 1}栋、{2 * i + 2}栋及周边道路、绿化")
             for i, name in enumerate(AREA_NAMES)]
    session.add_all(areas)
    session.flush()
    _buildings_and_households(session, estate, areas, rng)
    _key_locations(session, areas)
    officers = [users[u] for u in ("wangxm", "lina", "zhangwei", "liuyang")]
    _approved_table(session, estate, areas, officers, users, now)
    session.flush()
    ctx = {"estate": estate, "areas": areas, "users": users, "rng": rng, "now": now}
    for extend in hooks_of().demo:
        extend(session, ctx)
    session.commit()
    return ctx


def _buildings_and_households(session, estate, areas, rng) -> None:
    for b in range(1, BUILDINGS + 1):
        building = Building(estate_id=estate.id, code=str(b), name=f"{b}栋", floors=FLOORS, sort_key=b,
                            area_id=areas[(b - 1) // 2].id)
        session.add(building)
        for floor in range(1, FLOORS + 1):
            for n in range(1, UNITS_PER_FLOOR + 1):
                unit = Unit(building=building, floor=floor, room=f"{floor}{n:02d}",
                            floor_area_m2=rng.choice((89.5, 105.2, 128.0, 143.6)))
                occupant = Household(name=random_name(rng), relation="owner", phone=random_phone(rng),
                                     move_in_date=date(2019, 6, 1) + timedelta(days=rng.randrange(1800)))
                unit.households.append(occupant)
                if rng.random() < 0.15:
                    unit.households.append(Household(name=random_name(rng), relation="tenant", phone=random_phone(rng)))
                session.add(unit)
    session.flush()


def _key_locations(session, areas) -> None:
    for i, area in enumerate(areas):
        for b in (2 * i + 1, 2 * i + 2):
            session.add(KeyLocation(area_id=area.id, kind=KeyLocationKind.LOBBY, name=f"{b}栋首层大堂"))
        session.add(KeyLocation(area_id=area.id, kind=KeyLocationKind.LEISURE, name=LEISURE[i]))
    session.add(KeyLocation(area_id=areas[1].id, kind=KeyLocationKind.PUBLIC_WORKS, name="南门道路排水管改造工地"))
    session.add(KeyLocation(area_id=areas[3].id, kind=KeyLocationKind.OTHER, name="地下车库B1层出入口"))
    session.flush()


def _approved_table(session, estate, areas, officers, users, now) -> None:
    approved_at = now - timedelta(days=20)
    table = AssignmentTable(
        estate_id=estate.id, version=1, status=TableStatus.APPROVED, note="2026年度区域分配",
        created_by=users["chenjing"].id, created_at=approved_at - timedelta(days=2),
        proposed_by=users["chenjing"].id, proposed_at=approved_at - timedelta(days=1),
        decided_by=users["zhaogang"].id, decided_at=approved_at,
    )
    for area, officer in zip(areas, officers, strict=True):
        households = sum(len(u.households) for b in area.buildings for u in b.units) if area.buildings else None
        table.rows.append(AssignmentRow(
            area_id=area.id, officer_id=officer.id, scope=area.description, household_count=households,
            floor_area_m2=None, difficulty=3,
            key_locations=[{"id": k.id, "kind": k.kind, "name": k.name} for k in area.key_locations],
        ))
        session.add(LobbyCardPosting(area_id=area.id, officer_id=officer.id, posted_by=officer.id,
                                     posted_at=approved_at + timedelta(days=1), contacts=contacts_of(officer)))
    session.add(table)
