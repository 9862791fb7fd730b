"""Patrol 日常巡查: checklists, rounds, findings, emergencies, spot-checks and coverage (R-PAT-1…6, R-SUP-1)."""
