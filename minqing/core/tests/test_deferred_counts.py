"""Deferred counts (issue 19): the home panels declare their counts, and the first one read counts them all
in one query; each reads like the int it stands for."""
import pytest
from django.template import Context, Template

from minqing.core.counts import CountBatch
from minqing.places.models import Place

pytestmark = pytest.mark.django_db


def test_every_deferred_count_of_a_batch_costs_one_query(tree, django_assert_num_queries):
    batch = CountBatch()
    with django_assert_num_queries(0):
        first = batch.count_later({"all": Place.objects.all(), "grids": Place.objects.filter(kind="grid")})
        badge = batch.add(Place.objects.filter(kind="building"))
    with django_assert_num_queries(1):
        values = (int(first["all"]), int(first["grids"]), int(badge))
    assert values == (Place.objects.count(), Place.objects.filter(kind="grid").count(),
                      Place.objects.filter(kind="building").count())


def test_a_count_added_after_the_first_read_is_counted_on_its_own_read(tree, django_assert_num_queries):
    batch = CountBatch()
    early = batch.add(Place.objects.all())
    assert early > 0
    late = batch.add(Place.objects.filter(kind="grid"))
    expected = Place.objects.filter(kind="grid").count()
    with django_assert_num_queries(1):
        assert late == expected


def test_it_reads_like_an_int(tree):
    batch = CountBatch()
    n, zero = batch.add(Place.objects.all()), batch.add(Place.objects.none())
    total = Place.objects.count()
    assert (str(n), f"{n:>5}", int(n), bool(n), bool(zero)) == (str(total), f"{total:>5}", total, True, False)
    assert n == total and n > 0 and n >= total and zero < 1 and zero <= 0 and n + 1 == total + 1 and 1 + n == total + 1
    assert sum([n, zero]) == total
    rendered = Template("{% load humanize %}{% if n %}{{ n }}/{{ n|intcomma }}{% endif %}{% if z %}x{% endif %}").render(
        Context({"n": n, "z": zero}))
    assert rendered == f"{total}/{total}"


def test_a_figure_first_of_a_kept_value_else_its_count(tree, django_assert_num_queries):
    """FirstOf: the value where its select returns a row, the count where it returns none — in the one query."""
    from django.db.models import Count, Value

    from minqing.core.counts import FirstOf, count_all, kept_count_sql

    places = Place.objects.all()
    grids = places.filter(kind="grid")
    some_value = places.filter(kind="street").values(whole=Value(1)).annotate(n=Count("pk") + 40).values("n")
    no_row = some_value.filter(n__lt=0)
    with django_assert_num_queries(1):
        figures = count_all({"kept": FirstOf(some_value, grids), "counted": FirstOf(no_row, grids),
                             "nothing": FirstOf(no_row, None), "plain": grids})
    street_count, grid_count = places.filter(kind="street").count(), grids.count()
    assert figures == {"kept": street_count + 40, "counted": grid_count, "nothing": 0, "plain": grid_count}

    from minqing.accounts.tests.factories import user_with_role

    actor = user_with_role("admin", tree["district"], username="t_firstof")
    kept = kept_count_sql("first-of-test", actor, lambda: {"kept": FirstOf(some_value, grids)})
    assert count_all(kept) == {"kept": street_count + 40}
    assert kept_count_sql("first-of-test", actor, lambda: {}) is kept  # compiled once, kept for the minute


def test_a_share_of_two_deferred_counts(tree):
    batch = CountBatch()
    part, whole = batch.add(Place.objects.filter(kind="grid")), batch.add(Place.objects.all())
    grids, total = Place.objects.filter(kind="grid").count(), Place.objects.count()
    assert (part / whole, 1 / whole, part * 2, 2 * part) == (grids / total, 1 / total, grids * 2, grids * 2)


def test_kept_counts_join_the_page_statement_on_a_miss_and_are_kept_once_counted(tree, actors,
                                                                                 django_assert_num_queries):
    """accounts.navigation.kept_counts: a scope's first view counts its kept figures with the page's other counts
    (no statement of their own); a colleague with the same scope then reads them without counting."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from minqing.accounts.navigation import kept_counts
    from minqing.accounts.policy import grants_of
    from minqing.core.counts import request_counts

    def view(user):
        request = RequestFactory().get("/")
        request.user = user
        grants_of(user)
        kept = kept_counts(request, "test-places", "place.view",
                           lambda: {"grids": Place.objects.filter(kind="grid")})
        fresh = request_counts(request).add(Place.objects.all())
        return kept, fresh

    grids, places = Place.objects.filter(kind="grid").count(), Place.objects.count()
    cache.clear()
    kept, fresh = view(actors["secretary"])
    with django_assert_num_queries(1):  # the kept figure and the page's own count: one statement
        assert (int(kept["grids"]), int(fresh)) == (grids, places)
    colleague_kept, colleague_fresh = view(actors["worker"])  # the same community
    assert colleague_kept == {"grids": grids}  # plain ints: kept
    with django_assert_num_queries(1):
        int(colleague_fresh)
    unread, _ = view(actors["admin"])  # never read: nothing kept, nothing counted
    assert cache.get("panel:test-places:*:") is None
