"""Check families: one module per family; every check is metadata plus a pure function."""
