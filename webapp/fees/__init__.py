"""Fees 物业费催缴: finance's monthly arrears list (R-FEE-1), every chase recorded on the phone at its cadence
(R-FEE-2, R-FEE-4, R-FEE-5), the monthly long-term arrears table checked with finance (R-FEE-3)."""
