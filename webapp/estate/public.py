"""What other domains may use of the estate: its buildings, units and households, to read and join on."""

from .models import Building, Estate, Household, Unit

__all__ = ["Building", "Estate", "Household", "Unit"]
