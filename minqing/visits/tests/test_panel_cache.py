import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from minqing.visits.panels import due_panel_context

pytestmark = pytest.mark.django_db


def test_home_panel_counts_are_cached_per_actor_and_day(actors, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = actors["grid"]
    first = due_panel_context(request)
    with django_assert_num_queries(0):
        assert due_panel_context(request) == first
    assert set(first) == {"overdue", "soon"}
