"""The key cabinet 钥匙托管 (R-KEY-1…5): the register of every key held, loans against a signature and a return
checked and countersigned, overdue loans chased, hand-back only against the customer card or an ID."""
