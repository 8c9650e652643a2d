"""Issue 14, item 1: a recurrence counts against the first demand's resolution and shows on its page; the
same resident coming back about the same matter is proposed as a recurrence; an unrelated matter of the
same building is not."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.appeals import services
from minqing.appeals.models import Status
from minqing.appeals.selectors import appeal_recurrence_candidates
from minqing.appeals.taxonomy import Category
from minqing.core.crypto import encrypt, lookup_hash
from minqing.dashboard.periods import period_parse
from minqing.dashboard.rollups import rollups_refresh
from minqing.dashboard.selectors import rates_for

from .factories import AppealFactory, appeal_in

pytestmark = pytest.mark.django_db


def _cat(top, leaf):
    return Category.objects.get(parent__name=top, name=leaf)


def _other_phone(number="13900139001"):
    return {"phone_cipher": encrypt(number), "phone_hash": lookup_hash(number), "phone_masked": "139****9001"}


def _resolution(actor, place_code, period):
    return rates_for(actor=actor, period=period, place_code=place_code)[0].figures


def test_a_recurrence_counts_against_the_first_demands_resolution(tree, actors):
    closed_at = timezone.now() - datetime.timedelta(days=10)
    first = appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"], closed_at=closed_at,
                      submitted_at=closed_at - datetime.timedelta(days=2))
    again = appeal_in(Status.SUBMITTED, place=tree["building_a1"], submitted_at=timezone.now())
    day = timezone.localdate(first.submitted_at)
    period = period_parse(f"{day:%Y-%m-%d}~{day:%Y-%m-%d}")
    rollups_refresh(timezone.now())
    for place in (tree["community_a"].code, tree["building_a1"].code):  # rollups, and the recount
        assert _resolution(actors["street"], place, period)["solved"] == 1
    services.appeal_link(actor=actors["secretary"], appeal_id=again.pk, target_id=first.pk, kind="recurrence")
    rollups_refresh(timezone.now())  # the link marked the first demand's day
    for place in (tree["community_a"].code, tree["building_a1"].code):
        figures = _resolution(actors["street"], place, period)
        assert (figures["solved"], figures["unsolved"], figures.rate("resolution_rate")) == (0, 1, 0.0)


def test_the_first_demands_page_shows_its_recurrences(client, tree, actors):
    first = appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"])
    again = appeal_in(Status.SUBMITTED, place=tree["building_a1"], submitted_at=timezone.now())
    services.appeal_link(actor=actors["secretary"], appeal_id=again.pk, target_id=first.pk, kind="recurrence")
    client.force_login(actors["secretary"])
    page = client.get(reverse("appeals:detail", args=[first.pk])).content.decode()
    assert 'data-testid="recurrences"' in page
    assert again.receipt_code in page.split('data-testid="recurrences"')[1].split("</dd>")[0]


def test_the_same_resident_about_the_same_matter_is_proposed_even_before_categorising(tree, actors):
    """A resident submits on the public page (no category yet), from another building, same phone."""
    first = appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"],
                      closed_at=timezone.now() - datetime.timedelta(days=5))
    again = appeal_in(Status.SUBMITTED, place=tree["building_a2"], category=None, submitted_at=timezone.now())
    assert appeal_recurrence_candidates(actor=actors["secretary"], appeal=again) == [first]


def test_another_matter_of_the_same_building_is_not_proposed(tree, actors):
    fee = appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"],
                    category=_cat("物业", "物业收费"), closed_at=timezone.now() - datetime.timedelta(days=5))
    parking = appeal_in(Status.SUBMITTED, place=tree["building_a1"], category=_cat("物业", "停车"),
                        submitted_at=timezone.now(), **_other_phone())
    assert appeal_recurrence_candidates(actor=actors["secretary"], appeal=parking) == []
    same_leaf = appeal_in(Status.SUBMITTED, place=tree["building_a1"], category=_cat("物业", "物业收费"),
                          submitted_at=timezone.now(), **_other_phone())
    assert appeal_recurrence_candidates(actor=actors["secretary"], appeal=same_leaf) == [fee]


def test_the_similar_panel_offers_recurrence_for_a_recently_closed_demand(client, tree, actors):
    text = "3号楼楼道灯坏了一个月，晚上上下楼很危险"
    closed = appeal_in(Status.CLOSED, place=tree["building_a2"], text=text, title="楼道灯坏了",
                       closed_at=timezone.now() - datetime.timedelta(days=3))
    new = AppealFactory(place=tree["building_a1"], text=text, title="楼道灯坏了", submitted_at=timezone.now())
    client.force_login(actors["secretary"])
    page = client.get(reverse("appeals:detail", args=[new.pk])).content.decode()
    section = page.split('data-testid="similar-appeals"')[1].split("</section>")[0]
    assert closed.receipt_code in section and 'data-testid="similar-recurrence"' in section
    client.post(reverse("appeals:act", args=[new.pk, "link"]), {
        "link-version": new.version, "link-kind": "recurrence", "link-target": closed.receipt_code})
    new.refresh_from_db()
    assert new.recurrence_of == closed
