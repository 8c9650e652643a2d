"""The posts listed on the home page are kept per process, and a changed post shows at once."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minqing.accounts.models import RoleAssignment
from minqing.accounts.selectors import own_posts


@pytest.mark.django_db
def test_posts_are_read_once_and_a_changed_post_shows_at_once(tree, actors):
    worker = actors["worker"]
    first = own_posts(worker)
    assert [(p.role, p.place.code) for p in first] == list(
        RoleAssignment.objects.filter(user=worker, is_active=True).order_by("role", "id")
        .values_list("role", "place__code"))
    with CaptureQueriesContext(connection) as ctx:
        again = own_posts(worker)
    assert len(ctx.captured_queries) == 0 and again[0] is not first[0]  # copies: a page may set attributes
    post = RoleAssignment.objects.get(pk=first[0].pk)
    post.is_active = False
    post.save()
    assert own_posts(worker) == [p for p in first if p.pk != post.pk]


@pytest.mark.django_db
def test_the_home_page_lists_the_posts_without_reading_them_again(client, tree, actors):
    client.force_login(actors["worker"])
    page = client.get(reverse("home")).content.decode()
    assert tree["community_a"].name in page or tree["grid_a1"].name in page
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("home"))
    assert not [q for q in ctx.captured_queries if "accounts_roleassignment" in q["sql"]]
