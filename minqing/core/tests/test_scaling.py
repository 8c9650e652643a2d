"""What docs/scaling.md says the code supports today, tested."""
import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.utils import timezone

from minqing.appeals.models import Appeal, AppealEvent, Status
from minqing.appeals.tests.factories import appeal_in
from minqing.appeals.tokens import receipt_code_new
from minqing.core.models import AuditEntry
from minqing.places.models import KIND_SHAPE, PlaceKind
from minqing.residents.models import Household, Resident

HISTORY = (AppealEvent, AuditEntry)
STREET_CODE_LENGTH = KIND_SHAPE[PlaceKind.STREET][1]


@pytest.mark.django_db
def test_a_session_made_on_one_server_is_honoured_by_another(actors):
    """Sessions live in the database: a second app server (a second, independent client that shares
    nothing but the database) accepts the cookie the first one set."""
    from importlib import import_module

    from django.contrib.sessions.backends import db

    assert issubclass(import_module(settings.SESSION_ENGINE).SessionStore, db.SessionStore)
    first = Client()
    first.force_login(actors["worker"])
    second = Client()
    second.cookies[settings.SESSION_COOKIE_NAME] = first.cookies[settings.SESSION_COOKIE_NAME].value
    response = second.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user == actors["worker"]


def test_history_tables_are_partition_ready():
    """Nothing points at the event and audit tables, and neither has a unique key but its primary key:
    they can become monthly range partitions without touching another table."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one and field.concrete:
                assert field.related_model not in HISTORY, f"{model.__name__}.{field.name} → {field.related_model}"
    for model in HISTORY:
        meta = model._meta
        assert not meta.unique_together
        assert not [c for c in meta.constraints if isinstance(c, models.UniqueConstraint)]
        assert [f.name for f in meta.concrete_fields if f.unique] == ["id"]
        time_field = "at" if model is AppealEvent else "created_at"
        assert isinstance(meta.get_field(time_field), models.DateTimeField)
    day = timezone.localtime(timezone.now())
    assert receipt_code_new(day).startswith(f"{day:%y%m%d}")


@pytest.mark.django_db
def test_big_tables_carry_their_street(tree, actors):
    """The would-be Citus distribution column (the street) is a prefix of a column every big table has."""
    for model in (Appeal, Household, Resident, AuditEntry):
        assert isinstance(model._meta.get_field("place_code"), models.CharField), model
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    assert appeal.place_code[:STREET_CODE_LENGTH] == tree["street"].code
    assert Appeal.objects.filter(place_code__startswith=tree["street"].code,
                                 submitted_at__gte=timezone.now() - datetime.timedelta(days=7)).count() == 1
