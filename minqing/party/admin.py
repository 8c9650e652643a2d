# Party records are written through the services (one audit row each); no admin editing.
