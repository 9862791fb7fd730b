"""Quick notes 随手记: jotted offline against an area or key location (feeds R-REC-1)."""
