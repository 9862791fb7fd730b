"""Renovation supervision 二次装修: the register, daily inspections offline, violations and notices (R-REN-1, R-REN-2)."""
