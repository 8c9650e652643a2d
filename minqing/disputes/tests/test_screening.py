"""Screening rounds: explicit "nothing found", one round per grid and period, silent grids, and scope."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from minqing.disputes.models import period_bounds
from minqing.disputes.selectors import screening_round_list, silent_grids
from minqing.disputes.services.screening import screening_round_file

from .factories import round_for


@pytest.mark.django_db
def test_nothing_found_is_filed_explicitly(tree, actors):
    round_ = screening_round_file(actor=actors["grid"], grid=tree["grid_a1"], found_nothing=True, households_visited=12)
    assert round_.found_nothing and round_.period_start == period_bounds(timezone.localdate())[0]


@pytest.mark.django_db
def test_a_round_says_something(tree, actors):
    with pytest.raises(ValidationError) as caught:
        screening_round_file(actor=actors["grid"], grid=tree["grid_a1"], found_nothing=False, summary="")
    assert caught.value.fields == {"summary": ["请填写排查发现的情况，或勾选“未发现矛盾纠纷”。"]}
    with pytest.raises(ValidationError) as caught:
        screening_round_file(actor=actors["grid"], grid=tree["grid_a1"], found_nothing=True, summary="有一起纠纷")
    assert list(caught.value.fields) == ["found_nothing"]


@pytest.mark.django_db
def test_one_round_per_grid_and_week(tree, actors):
    screening_round_file(actor=actors["grid"], grid=tree["grid_a1"], found_nothing=True)
    with pytest.raises(Conflict) as caught:
        screening_round_file(actor=actors["grid"], grid=tree["grid_a1"], found_nothing=True)
    assert "已填报排查" in str(caught.value.message)


@pytest.mark.django_db
def test_found_disputes_are_linked_and_must_lie_in_the_grid(tree, actors, make_dispute):
    mine = make_dispute("reported")
    theirs = make_dispute("reported", place=tree["grid_a2"])
    with pytest.raises(ValidationError):
        screening_round_file(actor=actors["worker"], grid=tree["grid_a1"], found_nothing=False,
                             dispute_ids=[mine.pk, theirs.pk])
    round_ = screening_round_file(actor=actors["worker"], grid=tree["grid_a1"], found_nothing=False,
                                  dispute_ids=[mine.pk])
    assert list(round_.disputes.all()) == [mine]


@pytest.mark.django_db
def test_grid_worker_screens_only_their_grid(tree, actors):
    with pytest.raises(NotFound):
        screening_round_file(actor=actors["grid"], grid=tree["grid_a2"], found_nothing=True)
    with pytest.raises(NotFound):
        screening_round_file(actor=actors["grid"], grid=tree["grid_b1"], found_nothing=True)
    with pytest.raises(PermissionDenied):
        screening_round_file(actor=actors["supervisor"], grid=tree["grid_a1"], found_nothing=True)
    for grid in ("grid_a1", "grid_a2", "grid_b1"):
        round_for(tree[grid], filed_by=actors["admin"])
    assert [r.grid for r in screening_round_list(actor=actors["grid"])] == [tree["grid_a1"]]
    assert {r.grid for r in screening_round_list(actor=actors["secretary"])} == {tree["grid_a1"], tree["grid_a2"]}


@pytest.mark.django_db
def test_silent_grids_are_listed_for_their_leaders(tree, actors):
    round_for(tree["grid_a1"], filed_by=actors["grid"])
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    round_for(tree["grid_a2"], filed_by=actors["worker"], day=last_week)  # last week does not count
    assert list(silent_grids(actor=actors["secretary"])) == [tree["grid_a2"]]
    assert set(silent_grids(actor=actors["street"])) == {tree["grid_a2"], tree["grid_b1"], tree["grid_b2"]}
    assert list(silent_grids(actor=actors["secretary"], day=last_week)) == [tree["grid_a1"]]


@pytest.mark.django_db
def test_no_future_rounds(tree, actors):
    with pytest.raises(ValidationError):
        screening_round_file(actor=actors["grid"], grid=tree["grid_a1"], found_nothing=True,
                             day=timezone.localdate() + datetime.timedelta(days=8))


@pytest.mark.django_db
def test_screening_pages(client, tree, actors, django_assert_max_num_queries):
    client.force_login(actors["grid"])
    response = client.post(reverse("disputes:screening_file"), {
        "grid": tree["grid_a1"].pk, "day": timezone.localdate().isoformat(), "found_nothing": "on",
        "households_visited": 8})
    assert response.status_code == 302
    for grid in ("grid_a2", "grid_b1", "grid_b2"):
        for weeks in range(1, 6):
            round_for(tree[grid], filed_by=actors["admin"], day=timezone.localdate() - datetime.timedelta(weeks=weeks))
    client.force_login(actors["street"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("disputes:screening_list"))
    assert page.status_code == 200 and "A社区2网格" in page.content.decode()
