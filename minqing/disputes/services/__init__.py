"""Every write of the disputes app, one module per sub-domain. Import from the module that holds it."""
