"""The posts listed on the home page come with the signed-in user's grants, and a changed post shows at once."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minqing.accounts.models import RoleAssignment, User
from minqing.accounts.policy import grants_of
from minqing.accounts.selectors import own_posts


@pytest.mark.django_db
def test_posts_are_read_with_the_grants_and_a_changed_post_shows_at_once(tree, actors):
    worker = User.objects.get(pk=actors["worker"].pk)
    with CaptureQueriesContext(connection) as ctx:
        grants = grants_of(worker)
        first = own_posts(worker)
    assert len(ctx.captured_queries) == 1  # one statement for both
    assert [(p.role, p.place.code) for p in first] == list(
        RoleAssignment.objects.filter(user=worker, is_active=True).order_by("role", "id")
        .values_list("role", "place__code"))
    assert [(g.role, g.place_code) for g in grants] == [(p.role, p.place.code) for p in first]
    with CaptureQueriesContext(connection) as ctx:
        again = own_posts(worker)
    assert len(ctx.captured_queries) == 0 and again[0] is not first[0]  # copies: a page may set attributes
    post = RoleAssignment.objects.get(pk=first[0].pk)
    post.is_active = False
    post.save()
    next_request_user = User.objects.get(pk=worker.pk)
    assert own_posts(next_request_user) == [p for p in first if p.pk != post.pk]


@pytest.mark.django_db
def test_the_home_page_lists_the_posts_without_reading_them_again(client, tree, actors):
    client.force_login(actors["worker"])
    page = client.get(reverse("home")).content.decode()
    assert tree["community_a"].name in page or tree["grid_a1"].name in page
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("home"))
    assert not [q for q in ctx.captured_queries if "accounts_roleassignment" in q["sql"]]

