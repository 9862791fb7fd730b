"""Responsibility areas 责任区域: areas, key locations, the assignment table and the lobby card (R-AREA-1…4)."""
