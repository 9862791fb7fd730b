"""Default checklists per location type (R-PAT-2, R-PAT-3, R-PAT-6), seeded per estate and then
edited by the supervisor (each edit is a new version). Labels are the words users know (PROCEDURES.md).

Each template: (kind, name_zh, name_en, items); each item: (code, category, team, label_zh, label_en).
"""

from __future__ import annotations

from sqlalchemy import select

from .models import ChecklistItem, ChecklistTemplate

E, S, C, G = "engineering", "security", "cleaning", "greening"

DEFAULTS: tuple = (
    ("lobby", "首层大堂", "Ground-floor lobby", (
        ("lighting", "building", E, "公共照明", "Public lighting"),
        ("doors", "building", E, "大门及单元门", "Doors"),
        ("access_control", "security", S, "门禁", "Access control"),
        ("windows", "building", E, "窗", "Windows"),
        ("floor", "building", E, "地面", "Floors"),
        ("walls", "building", E, "墙身", "Walls"),
        ("decoration", "building", E, "公共装饰", "Public decoration"),
        ("cleaning_quality", "cleaning", C, "保洁质量（清洁外包）", "Cleaning quality (contractor)"),
    )),
    ("corridor_stairs", "楼道及楼梯", "Corridors and stairs", (
        ("lighting", "building", E, "楼道照明", "Corridor lighting"),
        ("fire_doors", "security", S, "消防门及疏散通道畅通", "Fire doors and escape routes clear"),
        ("clutter", "security", S, "公共通道无杂物堆放", "No clutter in public passages"),
        ("windows", "building", E, "窗", "Windows"),
        ("floor", "building", E, "地面", "Floors"),
        ("walls", "building", E, "墙身", "Walls"),
        ("cleaning_quality", "cleaning", C, "保洁质量（清洁外包）", "Cleaning quality (contractor)"),
    )),
    ("lift", "电梯", "Lifts", (
        ("car", "building", E, "轿厢照明、通风及按钮", "Car lighting, ventilation and buttons"),
        ("landing_doors", "building", E, "层门开关正常", "Landing doors work"),
        ("alarm", "security", S, "紧急呼叫可用", "Emergency call works"),
        ("certificate", "building", E, "年检合格证在有效期内", "Inspection certificate valid"),
        ("car_cleaning", "cleaning", C, "轿厢清洁", "Car clean"),
    )),
    ("roof", "天面", "Roof", (
        ("door_locked", "security", S, "天面门按规定锁闭", "Roof door locked as required"),
        ("waterproofing", "building", E, "防水层及雨水口完好", "Waterproofing and rain outlets intact"),
        ("equipment", "building", E, "水箱、天线等设施完好", "Water tanks, antennas and other equipment intact"),
        ("debris", "cleaning", C, "无杂物垃圾", "No debris or rubbish"),
    )),
    ("facade", "外墙", "Façade", (
        ("tiles", "building", E, "外墙砖及涂料完好", "Tiles and paint intact"),
        ("falling", "security", E, "无高空坠物隐患", "No risk of falling objects"),
        ("signs_hanging", "security", S, "无违规广告、搭建及晾晒", "No illegal signs, structures or hanging laundry"),
    )),
    ("road_lighting", "道路及路灯", "Roads and street lights", (
        ("road_surface", "facilities", E, "道路路面完好", "Road surface intact"),
        ("street_lights", "facilities", E, "路灯", "Street lights"),
        ("parking", "security", S, "车辆停放有序", "Vehicles parked in order"),
        ("road_cleaning", "cleaning", C, "道路清洁", "Roads clean"),
    )),
    ("drainage", "排水井/渠", "Drainage wells and channels", (
        ("covers", "facilities", E, "井盖完好、无缺失", "Manhole covers intact and in place"),
        ("flow", "facilities", E, "排水畅通无堵塞", "Drains flowing, not blocked"),
        ("standing_water", "cleaning", C, "无积水、无异味", "No standing water or odour"),
    )),
    ("leisure", "康体休闲设施", "Leisure and fitness facilities", (
        ("equipment", "facilities", E, "康体器材完好", "Fitness equipment intact"),
        ("safety_signs", "security", S, "安全警示标识", "Safety signs in place"),
        ("ground", "facilities", E, "地面及软垫完好", "Ground and safety mats intact"),
        ("lighting", "facilities", E, "照明", "Lighting"),
        ("site_cleaning", "cleaning", C, "场地清洁", "Area clean"),
    )),
    ("signage", "标识牌/路牌", "Signs and road signs", (
        ("signs", "facilities", E, "标识牌完好清晰", "Signs intact and legible"),
        ("road_signs", "facilities", E, "路牌完好", "Road signs intact"),
        ("fire_signs", "security", S, "消防疏散指示完好", "Fire-exit signs intact"),
    )),
    ("greening", "绿化", "Greening", (
        ("lawns", "greening", G, "草坪修剪、无黄土裸露", "Lawns trimmed, no bare soil"),
        ("shrubs", "greening", G, "乔灌木修剪", "Trees and shrubs pruned"),
        ("pests", "greening", G, "无病虫害", "No pests or disease"),
        ("quality", "greening", G, "绿化养护质量（绿化外包）", "Greening quality (contractor)"),
    )),
    ("cleaning", "清洁卫生", "Cleaning", (
        ("public_areas", "cleaning", C, "公共区域清洁", "Public areas clean"),
        ("bins", "cleaning", C, "垃圾桶及垃圾清运", "Bins and rubbish collection"),
        ("quality", "cleaning", C, "保洁质量（清洁外包）", "Cleaning quality (contractor)"),
    )),
    ("public_works", "公共维修工程", "Public works in progress", (
        ("fencing", "security", S, "围蔽及警示到位", "Fencing and warnings in place"),
        ("progress", "works", E, "按计划施工", "Work progressing as planned"),
        ("work_safety", "security", S, "施工安全", "Work safety"),
        ("site_tidy", "cleaning", C, "场地整洁", "Site tidy"),
    )),
)


def seed_templates(session, estate_id: int, user_id: int | None = None) -> list[ChecklistTemplate]:
    """Add the default templates (version 1) for kinds the estate does not have yet."""
    have = set(session.scalars(select(ChecklistTemplate.kind).where(ChecklistTemplate.estate_id == estate_id)))
    added = []
    for position, (kind, name_zh, name_en, items) in enumerate(DEFAULTS):
        if kind in have:
            continue
        template = ChecklistTemplate(estate_id=estate_id, kind=kind, version=1, position=position,
                                     name_zh=name_zh, name_en=name_en, created_by=user_id)
        template.items = [ChecklistItem(position=i, code=code, category=cat, team=team, label_zh=zh, label_en=en)
                          for i, (code, cat, team, zh, en) in enumerate(items)]
        session.add(template)
        added.append(template)
    session.flush()
    return added
