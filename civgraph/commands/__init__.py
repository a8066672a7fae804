"""One module per sub-command; each exposes ``command`` (a click command) or ``commands``."""
