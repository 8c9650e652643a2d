import pytest

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import user_with_role
from minqing.appeals.tests.factories import appeal_in
from minqing.insight import selectors


@pytest.fixture
def fumes(tree):
    texts = ["魅力之城小区底层餐馆油烟扰民", "魅力之城小区临街餐馆油烟直排", "魅力之城小区餐馆油烟太大"]
    made = [appeal_in("submitted", place=tree["grid_a1"], title=t, text=t, phone_hash=f"h{n}")
            for n, t in enumerate(texts)]
    made.append(appeal_in("submitted", place=tree["grid_a1"], title="路灯不亮", text="楼下路灯坏了", phone_hash="h9"))
    return made


@pytest.mark.django_db
def test_hot_issue_list_groups_what_the_actor_sees(tree, fumes):
    secretary = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"])
    issues = selectors.hot_issue_list(actor=secretary)
    assert len(issues) == 1 and len(issues[0].messages) == 3 and issues[0].people == 3


@pytest.mark.django_db
def test_hot_issues_and_similar_demands_respect_scope(tree, fumes):
    outsider = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"])
    assert selectors.hot_issue_list(actor=outsider) == []
    assert selectors.appeal_similar(actor=outsider, appeal=fumes[0]) == []


@pytest.mark.django_db
def test_similar_demands_rank_the_same_matter_first(tree, fumes):
    secretary = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"])
    found = selectors.appeal_similar(actor=secretary, appeal=fumes[0], k=3)
    assert {n.id for n in found[:2]} == {fumes[1].pk, fumes[2].pk}


def test_category_suggestions_come_with_words():
    suggestions = selectors.category_suggestions(text="小区楼下餐馆油烟扰民")
    assert len(suggestions) == 3 and suggestions[0].terms


@pytest.mark.django_db
def test_similar_demands_keep_the_scopes_newest_for_a_minute_and_still_see_what_was_filed_since(tree, fumes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    secretary = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"])
    selectors.appeal_similar(actor=secretary, appeal=fumes[3])
    later = appeal_in("submitted", place=tree["grid_a1"], title="餐馆油烟扰民", text="魅力之城小区餐馆油烟扰民",
                      phone_hash="h7")
    with CaptureQueriesContext(connection) as read:
        found = selectors.appeal_similar(actor=secretary, appeal=fumes[0], k=4)
    assert later.pk in {n.id for n in found}
    assert not any(f"LIMIT {selectors.SIMILAR_CANDIDATES + 1}" in q["sql"] and '"id" >' not in q["sql"]
                   for q in read.captured_queries)  # the scope's newest were kept, only newer ids read
    other = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"])
    assert selectors.appeal_similar(actor=other, appeal=fumes[0]) == []  # another scope, its own list


@pytest.mark.django_db
def test_a_kept_candidate_that_left_the_scope_is_not_returned(tree, fumes):
    from minqing.appeals.models import Appeal

    secretary = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"])
    assert fumes[1].pk in {n.id for n in selectors.appeal_similar(actor=secretary, appeal=fumes[0], k=3)}
    elsewhere = tree["community_b"]
    Appeal.objects.filter(pk=fumes[1].pk).update(place=elsewhere, place_code=elsewhere.code)  # moved meanwhile
    assert fumes[1].pk not in {n.id for n in selectors.appeal_similar(actor=secretary, appeal=fumes[0], k=3)}
