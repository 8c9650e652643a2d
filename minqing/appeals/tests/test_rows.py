"""A demand's list row is written in Python (appeals.rows): the same HTML the template wrote, byte for byte."""
import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from minqing.accounts.tests.factories import PartnerUnitFactory, user_with_role
from minqing.accounts.models import Role
from minqing.appeals.models import Appeal, Status
from minqing.appeals.rows import row_html
from minqing.appeals.tests.factories import appeal_in

pytestmark = pytest.mark.django_db

# The row as a template: how it was rendered before appeals.rows, kept here as the reference.
ROW_TEMPLATE = Template(
    '{% load i18n %}<li class="appeal-row" data-testid="appeal-row" data-code="{{ a.receipt_code }}">\n'
    '  <a href="{% url \'appeals:detail\' a.pk %}"><strong data-user-content>{{ a.title }}</strong></a>\n'
    '  <span class="tag status-{{ a.status }}">{{ a.get_status_display }}</span>{% if a.is_overdue %} '
    '<span class="tag bad">{% trans "超期" %}</span>{% endif %}\n'
    '  <div class="muted small"><code>{{ a.receipt_code }}</code> · <span data-user-content>{{ a.place.name }}</span>'
    ' · <span data-user-content>{{ a.category|default:"" }}</span> · {{ a.submitted_at|date:"Y-m-d H:i" }}'
    '{% if a.handle_deadline and a.is_open %} · {% trans "时限" %} {{ a.handle_deadline|date:"m-d H:i" }}{% endif %}'
    '{% if a.handler_label %} · <span data-user-content>{{ a.handler_label }}</span>{% endif %}</div>\n'
    '</li>\n')


def _rows(tree):
    place = tree["community_a"]
    worker = user_with_role(Role.COMMUNITY_WORKER, place, username="t_row_worker")
    unit = PartnerUnitFactory(name="渝阳<供热>站", service_area=tree["street"])
    late = timezone.now() - datetime.timedelta(days=1)
    appeal_in(Status.SUBMITTED, place=place, title="门口 <script>alert(1)</script> & 积水", category=None)
    appeal_in(Status.IN_PROGRESS, place=place, handler=worker, is_overdue=True, handle_deadline=late)
    appeal_in(Status.DISPATCHED, place=place, handler_unit=unit)
    appeal_in(Status.CLOSED, place=place, handler=worker)  # a deadline, but closed: not shown
    return list(Appeal.objects.filter(place_code=place.code).as_rows().order_by("pk"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_row_is_the_template_s_html_byte_for_byte(tree, language):
    with translation.override(language):
        rows = _rows(tree)
        assert len(rows) == 4
        for appeal in rows:
            assert row_html(appeal) == ROW_TEMPLATE.render(Context({"a": appeal}))


def test_a_row_escapes_what_residents_typed(tree):
    html = row_html(_rows(tree)[0])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 积水" in html and "<script>" not in html


def test_the_list_pages_show_the_rows(client, tree):
    appeal_in(Status.SUBMITTED, place=tree["community_a"], title="楼道灯不亮")
    client.force_login(user_with_role(Role.COMMUNITY_WORKER, tree["community_a"], username="t_row_lister"))
    for url in ("/appeals/", "/appeals/todo/"):
        page = client.get(url).content.decode()
        assert page.count('data-testid="appeal-row"') == 1 and "楼道灯不亮" in page


def test_rows_carry_their_names_from_one_query_and_defer_the_rest(tree, django_assert_num_queries):
    from minqing.appeals.taxonomy import Category

    _rows(tree)
    retired = Category.objects.create(name="已停用的分类", is_active=False)  # an old demand keeps its category
    appeal_in(Status.SUBMITTED, place=tree["building_a1"], category=retired)
    joined = {a.pk: a for a in Appeal.objects.filter(place_code__startswith=tree["community_a"].code)
              .select_related("place", "category__parent", "handler_user", "handler_unit")}
    with django_assert_num_queries(3):  # the rows, their names, the category names (kept after)
        rows = list(Appeal.objects.filter(place_code__startswith=tree["community_a"].code).as_rows())
    assert len(rows) == 5
    with django_assert_num_queries(0):
        for appeal in rows:
            expected = joined[appeal.pk]
            assert (appeal.place.name, str(appeal.category or ""), appeal.handler_label) == (
                expected.place.name, str(expected.category or ""), expected.handler_label)
    with django_assert_num_queries(1):  # anything else of a related row is deferred, read when asked for
        assert rows[0].place.code == joined[rows[0].pk].place.code
    with django_assert_num_queries(2):  # the category names are kept: rows and names only
        list(Appeal.objects.all().as_rows())


def test_a_category_made_after_the_names_were_kept_is_found(tree):
    from minqing.appeals.taxonomy import Category

    appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    list(Appeal.objects.all().as_rows())  # the category names are kept now
    fresh = Category.objects.bulk_create([Category(name="刚建的分类")])[0]  # no save signal to clear them
    appeal_in(Status.SUBMITTED, place=tree["building_a1"], category=fresh)
    assert {str(a.category) for a in Appeal.objects.all().as_rows()} >= {"刚建的分类"}


def test_the_to_do_sections_read_their_names_once(client, tree, actors, django_assert_max_num_queries):
    for status in (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REPLIED):
        appeal_in(status, place=tree["building_a1"], handler=actors["worker"])
    from minqing.appeals.selectors import appeal_todo_sections

    with django_assert_max_num_queries(2 + 7 + 2):  # grants, counts, up to seven sections, names, categories
        sections = appeal_todo_sections(actor=actors["worker"], limit=20)
    shown = [a for rows, _count in sections.values() for a in rows]
    assert len(shown) >= 4 and all(a.place.name for a in shown)


@pytest.mark.parametrize("who, place, sees", [
    ("street", "community_a", "a"),     # inside the scope: the place filter alone (the scope is implied)
    ("worker", "community_a", "a"),
    ("worker", "community_b", ""),      # outside: nothing, the scope still applies
    ("worker", "street", "a"),          # wider than the scope: only what the scope allows
    ("partner", "community_b", "u"),    # a unit sees what was sent to it, wherever it lies
])
def test_a_place_filter_never_widens_what_the_actor_sees(tree, actors, who, place, sees):
    from minqing.appeals.selectors import appeal_list

    in_a = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"])
    in_b = appeal_in(Status.IN_PROGRESS, place=tree["building_b1"])
    unit = actors["partner"].assignments.get().partner_unit
    sent = appeal_in(Status.DISPATCHED, place=tree["building_b1"], handler_unit=unit)
    found = set(appeal_list(actor=actors[who], place_code=tree[place].code).values_list("pk", flat=True))
    expected = {"a": {in_a.pk}, "u": {sent.pk}, "": set()}[sees]
    assert found == expected, (who, place)
    assert in_b.pk not in found
