"""What other domains may use of the estate: its buildings, units and households, to read and join on;
the spreadsheet reading and row checks of the household import, for other imports (R-FEE-1's list)."""

from .models import Building, Estate, Household, Unit
from .parsers import parse_building, parse_name, parse_room
from .spreadsheet import ImportRejected, RowError, check_size, map_header, parse_cells, read_rows, read_upload

__all__ = ["Building", "Estate", "Household", "ImportRejected", "RowError", "Unit", "check_size", "map_header",
           "parse_building", "parse_cells", "parse_name", "parse_room", "read_rows", "read_upload"]
