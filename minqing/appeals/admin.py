# Demands, categories and service levels change only through their services (views in this app);
# Django admin shows nothing here on purpose, so there is no second write path.
