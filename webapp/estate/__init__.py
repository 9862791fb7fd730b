"""The estate 业户: buildings, floors, units and households; browsing, search, contacts and the import."""
