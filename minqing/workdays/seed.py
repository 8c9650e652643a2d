"""Seeding the calendar from the pinned `chinesecalendar` package (years 2004–2026 in 1.11.0).

Used by the data migration and by `manage.py calendar_seed` after a package upgrade. A year an
administrator has already entered (source = admin) is never overwritten.
"""
HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_days() -> dict[int, list[tuple]]:
    """{year: [(date, is_workday, name)]} as the package knows them."""
    import chinese_calendar

    years: dict[int, list[tuple]] = {}
    for day, name in chinese_calendar.holidays.items():
        years.setdefault(day.year, []).append((day, False, HOLIDAY_NAMES.get(str(name), str(name))))
    for day, name in chinese_calendar.workdays.items():
        label = HOLIDAY_NAMES.get(str(name), str(name))
        years.setdefault(day.year, []).append((day, True, f"{label}调休上班"))
    return years


def seed_from_package(year_model, day_model) -> list[int]:
    """Insert the package's years that are not in the table yet; return the years added."""
    known = set(year_model.objects.values_list("year", flat=True))
    added = []
    for year, days in sorted(package_days().items()):
        if year in known:
            continue
        year_model.objects.create(year=year, source="package", note="chinesecalendar")
        day_model.objects.bulk_create(
            [day_model(date=d, is_workday=w, name=n, source="package") for d, w, n in sorted(days)]
        )
        added.append(year)
    return added
