"""The corpus catalogue, installed as package data `scdocs.catalogue` (see pyproject.toml): one
TOML entry per document, metadata and sources only, never texts. See README.md here."""
