# The calendar is edited on its own page (workdays:year) through the services, not in Django admin.
