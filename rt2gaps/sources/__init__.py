"""Parsers: one module per real source format, each a pure function from bytes to records."""
