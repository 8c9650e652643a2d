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
