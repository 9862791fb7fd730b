"""renovation inspection items named as the thing checked

The default list first named each item's compliant state ("承重墙等主体结构未改动") under "tick every item
that is NOT in order": read aloud, a tick said the opposite of what it recorded. Items are now answered
合格 / 不合格 and named as the thing checked. Only the wording changes: codes — what inspections store in
`failed` — stay, so every past inspection keeps its meaning. Lists whose labels a desk user edited are
left as they are.

Revision ID: 9a4c2e7b5d10
Revises: 7d2e9f4a1b3c
Create Date: 2026-12-06 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9a4c2e7b5d10'
down_revision = '7d2e9f4a1b3c'
branch_labels = None
depends_on = None

# code: (old zh, old en, new zh, new en)
WORDING = {
    "permit": ("装修许可证张贴", "Permit displayed", "装修许可证张贴", "Renovation permit on display"),
    "hours": ("在允许施工时间内", "Within permitted working hours", "施工时间（在允许时段内）",
              "Working hours (within the permitted hours)"),
    "structure": ("承重墙等主体结构未改动", "Structure and load-bearing walls untouched", "承重墙等主体结构",
                  "Load-bearing walls and main structure"),
    "waterproofing": ("防水施工及闭水试验", "Waterproofing", "防水施工及闭水试验", "Waterproofing and flood test"),
    "electrical_gas": ("电气及燃气施工规范", "Electrical and gas works", "电气及燃气施工", "Electrical and gas works"),
    "fire": ("配备灭火器，无明火、无吸烟", "Fire safety: extinguisher, no open flame or smoking",
             "消防安全（灭火器、无明火、禁烟）", "Fire safety (extinguisher, no open flame, no smoking)"),
    "debris": ("垃圾袋装并按指定路线清运", "Debris bagged and removed by the permitted route", "装修垃圾袋装及清运路线",
               "Debris bagged and removed by the permitted route"),
    "protection": ("走廊及电梯保护到位", "Corridor and lift protection", "走廊及电梯保护", "Corridor and lift protection"),
    "facade": ("门窗及外立面未改变", "Windows and façade unchanged", "门窗及外立面", "Windows and façade"),
    "noise": ("噪声控制", "Noise", "噪声控制", "Noise"),
    "crew": ("施工人员已登记", "Crew registered", "施工人员登记", "Crew registration"),
}

templates = sa.table("renovation_templates", sa.column("id", sa.Integer), sa.column("items", sa.JSON))


def _reword(old: int, new: int) -> None:
    bind = op.get_bind()
    for template_id, stored in bind.execute(sa.select(templates.c.id, templates.c["items"])).all():
        items = [dict(i) for i in stored or ()]
        changed = False
        for item in items:
            wording = WORDING.get(item.get("code"))
            if wording and (item.get("label_zh"), item.get("label_en")) == wording[old:old + 2]:
                item["label_zh"], item["label_en"] = wording[new:new + 2]
                changed = True
        if changed:
            bind.execute(templates.update().where(templates.c.id == template_id).values(items=items))


def upgrade():
    _reword(0, 2)


def downgrade():
    _reword(2, 0)
