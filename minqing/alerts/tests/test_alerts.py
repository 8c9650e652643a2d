"""Alert handling: every (state, verb) pair, scope, ownership, the home panel and the pages."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.alerts import services
from minqing.alerts.models import ALERT, Alert, Level, RuleCode, Status, Verb
from minqing.alerts.selectors import alert_list
from minqing.core.errors import NotFound, PermissionDenied, TransitionNotAllowed, ValidationError


def raise_alert(place, key="k1", level=Level.ORANGE):
    return services.alert_raise(rule=RuleCode.KEYWORDS, trigger_key=key, subject_key=f"s-{key}", level=level,
                                place=place, title="出现“堵路”字样", explanation="诉求中出现关键词：堵路。", evidence={})


def in_state(place, status, key="k1"):
    alert = raise_alert(place, key)
    Alert.objects.filter(pk=alert.pk).update(status=status)
    alert.refresh_from_db()
    return alert


VERBS = {
    Verb.ACKNOWLEDGE: lambda a, actor: services.alert_acknowledge(actor=actor, alert_id=a.pk),
    Verb.HANDLE: lambda a, actor: services.alert_handle(actor=actor, alert_id=a.pk, action_taken="约谈牵头人，当面答复。"),
    Verb.REOPEN: lambda a, actor: services.alert_reopen(actor=actor, alert_id=a.pk, reason="未见书面答复"),
    Verb.CLOSE: lambda a, actor: services.alert_close(actor=actor, alert_id=a.pk),
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("verb", Verb.values)
def test_every_state_and_verb(tree, actors, status, verb):
    alert = in_state(tree["community_a"], status)
    target = ALERT.target(status, verb)
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            VERBS[verb](alert, actors["secretary"])
        alert.refresh_from_db()
        assert alert.status == status
    else:
        VERBS[verb](alert, actors["secretary"])
        alert.refresh_from_db()
        assert alert.status == target


@pytest.mark.django_db
def test_same_subject_is_not_raised_twice_while_open(tree):
    first = raise_alert(tree["community_a"], "a")
    assert services.alert_raise(rule=RuleCode.KEYWORDS, trigger_key="b", subject_key="s-a", level=Level.RED,
                                place=tree["community_a"], title="x", explanation="y", evidence={}) is None
    Alert.objects.filter(pk=first.pk).update(status=Status.CLOSED)
    assert services.alert_raise(rule=RuleCode.KEYWORDS, trigger_key="b", subject_key="s-a", level=Level.RED,
                                place=tree["community_a"], title="x", explanation="y", evidence={}) is not None


@pytest.mark.django_db
def test_handling_needs_what_was_done_and_records_timeliness(tree, actors):
    alert = raise_alert(tree["community_a"])
    with pytest.raises(ValidationError) as caught:
        services.alert_handle(actor=actors["secretary"], alert_id=alert.pk, action_taken=" ")
    assert caught.value.fields == {"action_taken": ["请写明采取了哪些处置措施。"]}
    handled = services.alert_handle(actor=actors["secretary"], alert_id=alert.pk, action_taken="召开协调会，答复到位。")
    assert handled.handled_in_time is True and handled.handled_by == actors["secretary"]


@pytest.mark.django_db
def test_scope_and_permissions(tree, actors):
    a = raise_alert(tree["community_a"], "a")
    b = raise_alert(tree["community_b"], "b")
    assert set(alert_list(actor=actors["secretary"])) == {a}
    assert set(alert_list(actor=actors["street"])) == {a, b}
    assert list(alert_list(actor=actors["grid"])) == []
    with pytest.raises(NotFound):
        services.alert_acknowledge(actor=actors["secretary"], alert_id=b.pk)
    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(actor=actors["supervisor"], alert_id=a.pk)
    with pytest.raises(PermissionDenied):
        services.warning_rule_configure(actor=actors["street"], code=RuleCode.KEYWORDS, enabled=True,
                                        level=Level.RED, params={})


@pytest.mark.django_db
def test_rule_params_are_validated(actors):
    with pytest.raises(ValidationError) as caught:
        services.warning_rule_configure(actor=actors["admin"], code=RuleCode.MANY_RESIDENTS, enabled=True,
                                        level=Level.RED, params={"min_residents": "五"})
    assert caught.value.fields == {"min_residents": ["参数类型应与默认值一致。"]}


@pytest.mark.django_db
def test_owner_is_the_community_secretary_else_street(tree, actors):
    assert raise_alert(tree["community_a"], "a").owner == actors["secretary"]
    assert raise_alert(tree["community_b"], "b").owner == actors["street"]
    proposed = {"rule": RuleCode.CARE_REPEATED, "level": Level.YELLOW, "place": tree["community_a"], "title": "t",
                "explanation": "e", "evidence": {}}
    assert services.alert_raise(trigger_key="c", subject_key="c", owner=actors["street"], **proposed).owner == \
        actors["street"]
    assert services.alert_raise(trigger_key="d", subject_key="d", owner=actors["grid"], **proposed).owner == \
        actors["secretary"]  # a grid worker cannot handle alerts: the default owner instead


@pytest.mark.django_db
def test_home_panel_and_pages(client, tree, actors):
    alert = raise_alert(tree["community_a"], level=Level.RED)
    client.force_login(actors["secretary"])
    home = client.get(reverse("home")).content.decode()
    assert "群体性事件预警" in home and alert.title in home and "1 条新预警" in home
    assert client.get(reverse("alerts:list")).status_code == 200
    response = client.post(reverse("alerts:act", args=[alert.pk, "handle"]),
                           {"version": alert.version, "action_taken": "上门走访，解释政策。"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == Status.HANDLED
    response = client.post(reverse("alerts:act", args=[alert.pk, "handle"]),
                           {"version": alert.version, "action_taken": "再次处置"})
    assert response.status_code == 409
    assert "预警当前为“已处置”，不能处置。" in response.content.decode()


@pytest.mark.django_db
def test_pages_refuse_outside_scope_and_without_view(client, tree, actors):
    alert = raise_alert(tree["community_b"])
    client.force_login(actors["secretary"])
    assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
    client.force_login(actors["grid"])
    assert client.get(reverse("alerts:list")).status_code == 404
    client.force_login(actors["admin"])
    assert client.get(reverse("alerts:rules")).status_code == 200


@pytest.mark.django_db
def test_overdue_queryset(tree):
    alert = raise_alert(tree["community_a"])
    assert not Alert.objects.overdue().exists()
    assert list(Alert.objects.overdue(timezone.now() + datetime.timedelta(days=3))) == [alert]


@pytest.mark.django_db
def test_alert_list_queries_do_not_grow(client, tree, actors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minqing.core.ttlcache import caches_clear

    client.force_login(actors["street"])
    counts = []
    for batch in (range(1), range(1, 12)):
        for n in batch:
            raise_alert(tree["community_a"] if n % 2 else tree["community_b"], key=f"k{n}")
        caches_clear()  # both counts from cold per-process caches (the signed-in user is kept)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("alerts:list")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_rule_settings_page(client, actors):
    from minqing.alerts.thresholds import rule_configs

    client.force_login(actors["admin"])
    prefix = RuleCode.MANY_RESIDENTS
    response = client.post(reverse("alerts:rules"), {"code": prefix, f"{prefix}-enabled": "on",
                                                     f"{prefix}-level": "red",
                                                     f"{prefix}-params": '{"min_residents": 8, "window_days": 7}'})
    assert response.status_code == 302
    config = rule_configs()[RuleCode.MANY_RESIDENTS]
    assert (config.level, config.params["min_residents"], config.params["window_days"]) == ("red", 8, 7)
    assert config.params["similarity"] == 0.2  # untouched parameters keep their defaults
    response = client.post(reverse("alerts:rules"), {"code": prefix, f"{prefix}-enabled": "on",
                                                     f"{prefix}-level": "red",
                                                     f"{prefix}-params": '{"min_residents": "八"}'})
    assert response.status_code == 200 and "参数类型应与默认值一致。" in response.content.decode()


@pytest.mark.django_db
def test_overdue_alerts_are_flagged_on_the_home_page(client, tree, actors):
    alert = raise_alert(tree["community_a"])
    Alert.objects.filter(pk=alert.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(actors["secretary"])
    assert "逾期未处置" in client.get(reverse("home")).content.decode()
