"""The working-day calendar with the real 2025/2026 schedules, 调休 make-up days and the 2027 fallback."""
import datetime

import pytest

from minqing.core.errors import NotFound, ValidationError
from minqing.workdays.calendar import (
    SHANGHAI, add_working_days, calendar_cache_clear, is_workday, is_year_known, working_days_between,
)
from minqing.workdays.models import CalendarDay, CalendarYear
from minqing.workdays.selectors import calendar_next_year_missing
from minqing.workdays.services import calendar_day_set, calendar_year_publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    calendar_cache_clear()
    yield
    calendar_cache_clear()


def at(y, m, d, hh=10):
    return datetime.datetime(y, m, d, hh, 0, tzinfo=SHANGHAI)


def test_seeded_years_are_the_packages():
    assert is_year_known(2025) and is_year_known(2026)
    assert not is_year_known(2027)
    assert CalendarYear.objects.filter(year__gte=2004, source="package").count() == 23


@pytest.mark.parametrize("day, expected", [
    (datetime.date(2025, 10, 1), False),  # 国庆
    (datetime.date(2025, 10, 8), False),  # 2025 国庆+中秋 eight days
    (datetime.date(2025, 9, 28), True),   # Sunday make-up working day
    (datetime.date(2025, 10, 11), True),  # Saturday make-up working day
    (datetime.date(2026, 2, 16), False),  # 春节 2026
    (datetime.date(2026, 2, 14), True),   # Saturday 调休
    (datetime.date(2026, 1, 4), True),    # Sunday 调休 after 元旦
    (datetime.date(2026, 11, 23), True),  # plain Monday
    (datetime.date(2026, 11, 22), False),  # plain Sunday
])
def test_is_workday_known_years(day, expected):
    assert is_workday(day) is expected


def test_add_working_days_skips_the_national_day_block_and_counts_make_up_days():
    # Tuesday 30 Sept 2025 + 1 working day: 1–8 Oct are off, Thursday 9 Oct is the first working day.
    assert add_working_days(at(2025, 9, 30), 1) == datetime.datetime(2025, 10, 9, 23, 59, 59, tzinfo=SHANGHAI)
    # Friday 26 Sept + 1: Saturday 27 is a normal weekend, Sunday 28 is a make-up working day.
    assert add_working_days(at(2025, 9, 26), 1).date() == datetime.date(2025, 9, 28)
    # Friday 10 Oct 2025 + 1: Saturday 11 Oct is a make-up working day.
    assert add_working_days(at(2025, 10, 10), 1).date() == datetime.date(2025, 10, 11)


def test_add_working_days_over_spring_festival_2026():
    # Thursday 12 Feb 2026 + 3: Fri 13, Sat 14 (调休), then 15–23 Feb off, Tue 24 Feb.
    assert add_working_days(at(2026, 2, 12), 3).date() == datetime.date(2026, 2, 24)


def test_zero_days_is_the_end_of_the_same_day_and_input_must_be_aware():
    assert add_working_days(at(2026, 3, 2), 0) == datetime.datetime(2026, 3, 2, 23, 59, 59, tzinfo=SHANGHAI)
    with pytest.raises(ValueError):
        add_working_days(datetime.datetime(2026, 3, 2, 10), 1)


def test_utc_input_is_read_in_shanghai_time():
    # 2026-03-01 17:00 UTC is already Monday 2 March 01:00 in Shanghai.
    utc = datetime.datetime(2026, 3, 1, 17, 0, tzinfo=datetime.timezone.utc)
    assert add_working_days(utc, 1).date() == datetime.date(2026, 3, 3)


def test_working_days_between_is_the_inverse():
    start = at(2025, 9, 25)
    for n in range(0, 15):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(at(2025, 10, 9), at(2025, 9, 30)) == -1


def test_2027_falls_back_to_weekends_and_fixed_date_holidays():
    assert is_workday(datetime.date(2027, 1, 1)) is False   # Friday, 元旦
    assert is_workday(datetime.date(2027, 5, 3)) is True    # Monday: only 1–2 May are fixed
    assert is_workday(datetime.date(2027, 10, 1)) is False
    # Wednesday 30 Dec 2026 + 2 working days: Thu 31, (Fri 1 Jan off), Mon 4 Jan 2027.
    assert add_working_days(at(2026, 12, 30), 2).date() == datetime.date(2027, 1, 4)


def test_admin_enters_2027_and_deadlines_follow(actors):
    admin = actors["admin"]
    assert calendar_next_year_missing(datetime.date(2026, 11, 23)) == 2027
    # 春节 2027: 6–12 Feb (Sat–Fri)
    for day in range(6, 13):
        calendar_day_set(actor=admin, date=datetime.date(2027, 2, day), is_workday=False, name="春节")
    calendar_year_publish(actor=admin, year=2027, note="test")
    assert is_workday(datetime.date(2027, 2, 8)) is False
    assert add_working_days(at(2027, 2, 5), 1).date() == datetime.date(2027, 2, 15)
    assert calendar_next_year_missing(datetime.date(2026, 11, 23)) is None
    calendar_day_set(actor=admin, date=datetime.date(2027, 2, 8), is_workday=None)
    assert is_workday(datetime.date(2027, 2, 8)) is True
    assert not CalendarDay.objects.filter(date=datetime.date(2027, 2, 8)).exists()


def test_only_calendar_managers_may_edit(actors):
    with pytest.raises(NotFound):
        calendar_day_set(actor=actors["worker"], date=datetime.date(2027, 1, 4), is_workday=False, name="x")
    with pytest.raises(ValidationError) as exc:
        calendar_day_set(actor=actors["admin"], date=datetime.date(2027, 1, 4), is_workday=False, name=" ")
    assert exc.value.fields == {"name": ["请填写节假日名称。"]}


def test_home_panel_warns_admins(client, actors):
    client.force_login(actors["admin"])
    assert "2027 年的放假安排尚未录入" in client.get("/").content.decode()
    client.force_login(actors["worker"])
    assert "放假安排尚未录入" not in client.get("/").content.decode()


def test_calendar_page(client, actors):
    client.force_login(actors["admin"])
    response = client.post("/workdays/2027/", {"date": "2027-01-02", "kind": "holiday", "name": ""})
    assert "请填写节假日名称。" in response.content.decode()
    response = client.post("/workdays/2027/", {"date": "2027-02-06", "kind": "holiday", "name": "春节"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=datetime.date(2027, 2, 6)).source == "admin"
    client.force_login(actors["worker"])  # reads the calendar it dispatches by (issue 14.4), cannot change it
    assert client.get("/workdays/2027/").status_code == 200
    assert client.post("/workdays/2027/", {"date": "2027-02-07", "kind": "holiday", "name": "春节"}).status_code == 403
    client.force_login(actors["grid"])
    assert client.get("/workdays/2027/").status_code == 404


def test_calendar_seed_command_keeps_admin_years(actors):
    from django.core.management import call_command

    calendar_year_publish(actor=actors["admin"], year=2027)
    CalendarYear.objects.filter(year=2025).delete()
    CalendarDay.objects.filter(date__year=2025).delete()
    call_command("calendar_seed")
    assert CalendarYear.objects.get(year=2025).source == "package"
    assert CalendarYear.objects.get(year=2027).source == "admin"
    assert is_workday(datetime.date(2025, 10, 8)) is False
