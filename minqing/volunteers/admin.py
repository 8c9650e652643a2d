# Writes go through the services (one audit row each); the admin site does not register these models.
