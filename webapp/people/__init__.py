"""People 人员: the people of an estate, their accounts, phones and lobby-card photo (R-AREA-3, R-AREA-4)."""
