"""The duty desk 值班: the duty log 值班记录, append-only and hash-chained so that nothing is torn out or altered
unseen (R-DUTY-1); shifts and handover (R-DUTY-2) and the deputy supervisor's daily check (R-DUTY-3) come next."""
