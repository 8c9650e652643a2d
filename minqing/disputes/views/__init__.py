"""The disputes pages, one module per sub-domain."""
