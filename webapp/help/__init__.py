"""Help 规程: the procedures the app keeps, each rule (R-…) with its text in Chinese and English, read from
docs/procedures.md for the desk roles; officers' screens show no rule ids."""
