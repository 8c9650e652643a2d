"""An open alert grows and escalates when more residents join the matter; groups per building count too."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from minqing.alerts.models import Alert, Level, RuleCode
from minqing.alerts.rules import warning_rules_run
from minqing.core.models import AuditEntry
from minqing.notifications.messages import message_text
from minqing.notifications.models import Notification

from .conftest import needs_appeals

CHINESE = re.compile(r"[\u4e00-\u9fff\uff01-\uff5e\u3001-\u3011]")


def appeal(place, **extra):
    from minqing.appeals.tests.factories import AppealFactory

    extra.setdefault("submitted_at", timezone.now() - datetime.timedelta(days=1))
    return AppealFactory(place=place, **extra)


def run():
    return warning_rules_run(only=[RuleCode.MANY_RESIDENTS])[RuleCode.MANY_RESIDENTS]


def elevator(place, resident, root=None):
    return appeal(place, resident=resident, title="电梯停运", text="电梯坏了没人修", matter=root)


@needs_appeals
@pytest.mark.django_db
def test_open_alert_grows_from_7_orange_to_10_red_once(client, tree, actors, residents_a1):
    places = [tree["building_a1"], tree["building_a2"]]
    root = elevator(places[0], residents_a1[0])
    for i, resident in enumerate(residents_a1[1:7]):
        elevator(places[i % 2], resident, root)
    assert run() == 1
    alert = Alert.objects.get()
    assert (alert.level, alert.evidence["residents"]) == (Level.ORANGE, 7)
    first_due = alert.due_at
    Alert.objects.filter(pk=alert.pk).update(due_at=timezone.now() + datetime.timedelta(hours=1))
    for resident in residents_a1[7:10]:
        elevator(places[1], resident, root)

    assert run() == 0  # no new alert: the open one grows
    alert.refresh_from_db()
    assert Alert.objects.count() == 1
    assert (alert.level, alert.evidence["residents"], len(alert.evidence["appeals"])) == (Level.RED, 10, 10)
    assert "10 名不同居民" in alert.explanation
    assert alert.due_at > timezone.now() + datetime.timedelta(hours=20)  # red: 24 h from the escalation
    assert alert.due_at != first_due
    rows = AuditEntry.objects.filter(action="alert.escalate", object_id=str(alert.pk))
    assert rows.count() == 1
    assert Notification.objects.filter(user=alert.owner, kind="alert.escalate").count() == 1
    client.force_login(actors["secretary"])
    page = client.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert "预警升级：7 人 → 10 人，橙色 → 红色" in page

    version = alert.version
    assert run() == 0  # nothing changed: nothing written
    alert.refresh_from_db()
    assert alert.version == version
    assert AuditEntry.objects.filter(action="alert.escalate", object_id=str(alert.pk)).count() == 1
    assert Notification.objects.filter(kind="alert.escalate").count() == 1


@needs_appeals
@pytest.mark.django_db
def test_more_residents_at_the_same_level_grow_without_resetting_the_due_time(tree, residents_a1):
    root = elevator(tree["building_a1"], residents_a1[0])
    for resident in residents_a1[1:5]:
        elevator(tree["grid_a2"], resident, root)
    assert run() == 1
    alert = Alert.objects.get()
    due = alert.due_at
    elevator(tree["grid_a2"], residents_a1[5], root)
    run()
    alert.refresh_from_db()
    assert (alert.level, alert.evidence["residents"], alert.due_at) == (Level.ORANGE, 6, due)
    assert AuditEntry.objects.filter(action="alert.grow", object_id=str(alert.pk)).count() == 1


@needs_appeals
@pytest.mark.django_db
def test_three_residents_of_one_building_within_a_week_are_a_group(tree, residents_a1):
    root = elevator(tree["building_a1"], residents_a1[0])
    for resident in residents_a1[1:3]:
        elevator(tree["building_a1"], resident, root)
    assert run() == 1
    alert = Alert.objects.get()
    assert alert.place == tree["building_a1"]
    assert tree["building_a1"].name in alert.explanation and "阈值：同一楼栋 3 名" in alert.explanation
    assert run() == 0


@needs_appeals
@pytest.mark.django_db
def test_three_residents_across_buildings_or_over_a_week_are_not_a_building_group(tree, residents_a1):
    root = elevator(tree["building_a1"], residents_a1[0])
    elevator(tree["building_a2"], residents_a1[1], root)
    elevator(tree["building_a1"], residents_a1[2], root)
    elevator(tree["building_a1"], residents_a1[3], root).__class__.objects.filter(
        resident=residents_a1[3]).update(submitted_at=timezone.now() - datetime.timedelta(days=10))
    assert run() == 0


@needs_appeals
@pytest.mark.django_db
def test_building_threshold_is_editable(tree, actors, residents_a1):
    from minqing.alerts.services import warning_rule_configure

    root = elevator(tree["building_a1"], residents_a1[0])
    for resident in residents_a1[1:3]:
        elevator(tree["building_a1"], resident, root)
    warning_rule_configure(actor=actors["admin"], code=RuleCode.MANY_RESIDENTS, enabled=True, level=Level.ORANGE,
                           params={"building_min_residents": 4})
    assert run() == 0


@needs_appeals
@pytest.mark.django_db
def test_new_strings_in_english(client, tree, actors, residents_a1):
    root = elevator(tree["building_a1"], residents_a1[0])
    for resident in residents_a1[1:3]:
        elevator(tree["building_a1"], resident, root)
    with translation.override("en"):
        run()
        alert = Alert.objects.get()
        for resident in residents_a1[3:10]:
            elevator(tree["grid_a2"], resident, root)
        run()
    alert.refresh_from_db()
    notice = Notification.objects.get(kind="alert.escalate")  # stored as a message: read in the reader's language
    with translation.override("en"):
        notice_text = message_text(notice.message)
    with translation.override("zh-hans"):
        assert message_text(notice.message).startswith("预警升级：")
    for text in (alert.title, alert.explanation, notice_text):
        assert not CHINESE.search(text.replace(tree["building_a1"].name, "").replace("电梯停运", "")), text
    client.force_login(actors["secretary"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    line = re.search(r'data-testid="alert-change">([^<]*)<', page).group(1)
    assert "10" in line and not CHINESE.search(line), line
