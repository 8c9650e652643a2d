"""The pager is written in Python (core.paging): the same HTML the template wrote, byte for byte."""
import pytest
from django.core.paginator import EmptyPage, Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from minqing.core.paging import CountSparingPaginator, pager_html

# The pager as a template: how it was rendered before core.paging, kept here as the reference.
PAGER_TEMPLATE = Template(
    '{% load i18n %}{% if page.has_other_pages %}\n<nav class="pagination">\n'
    '  {% if page.has_previous %}<a href="?{% for k, v in request.GET.items %}{% if k != \'page\' %}{{ k }}='
    '{{ v|urlencode }}&{% endif %}{% endfor %}page={{ page.previous_page_number }}">{% trans "上一页" %}</a>{% endif %}\n'
    '  <span>{% blocktrans with n=page.number total=page.paginator.num_pages %}第 {{ n }} / {{ total }} 页'
    '{% endblocktrans %}</span>\n'
    '  {% if page.has_next %}<a href="?{% for k, v in request.GET.items %}{% if k != \'page\' %}{{ k }}='
    '{{ v|urlencode }}&{% endif %}{% endfor %}page={{ page.next_page_number }}">{% trans "下一页" %}</a>{% endif %}\n'
    '</nav>{% endif %}\n')

QUERIES = ["", "page=2", "q=暖气 不热&status=open&page=3", "q=<b>&a\"b=1/2&x=%26&x=last", "page=9"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("rows", [5, 30, 120])
def test_the_pager_is_the_template_s_html_byte_for_byte(language, query, rows):
    request = RequestFactory().get(f"/appeals/?{query}")
    page = Paginator(range(rows), 50).get_page(request.GET.get("page"))
    with translation.override(language):
        assert pager_html(page, request) == PAGER_TEMPLATE.render(Context({"page": page, "request": request}))


def test_the_pager_keeps_the_filters_and_escapes_them():
    request = RequestFactory().get("/appeals/", {"q": '"><script>', "status": "open", "page": "2"})
    html = pager_html(Paginator(range(120), 50).get_page(2), request)
    assert 'href="?q=%22%3E%3Cscript%3E&amp;status=open&amp;page=1"' not in html  # "&" between pairs stays raw
    assert 'href="?q=%22%3E%3Cscript%3E&status=open&page=1"' in html and "<script>" not in html
    assert 'page=3">下一页</a>' in html and "第 2 / 3 页" in html


def test_the_pager_renders_without_a_request():
    page = Paginator(range(120), 50).get_page(2)
    html = Template("{% load paging %}{% pager %}").render(Context({"page": page}))
    assert 'href="?page=1"' in html and 'href="?page=3"' in html


def test_a_second_list_has_its_own_page_parameter_and_keeps_the_first_s():
    request = RequestFactory().get("/assessment/civility/", {"year": "2026", "page": "2", "decided": "2"})
    page = Paginator(range(90), 30).get_page(2)
    html = Template('{% load paging %}{% pager second "decided" %}').render(Context({"second": page, "request": request}))
    assert 'href="?year=2026&page=2&decided=1"' in html and 'href="?year=2026&page=2&decided=3"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("rows, queries, pages", [(0, 1, 1), (3, 1, 1), (50, 1, 1), (51, 2, 2), (120, 2, 3)])
def test_a_first_page_that_holds_everything_is_not_counted(rows, queries, pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minqing.places.models import Place, PlaceKind

    Place.objects.bulk_create([Place(kind=PlaceKind.BUILDING, code=f"99{n:04d}", name=f"{n}号楼", depth=4)
                               for n in range(rows)])
    with CaptureQueriesContext(connection) as captured:
        page = CountSparingPaginator(Place.objects.filter(code__startswith="99").order_by("code"), 50).get_page("1")
        shown = [p.name for p in page]
        page.has_next()  # what the pager asks
    assert len(captured.captured_queries) == queries
    assert shown == [f"{n}号楼" for n in range(min(rows, 50))]
    assert page.paginator.count == rows and page.paginator.num_pages == pages
    assert page.has_next() == (pages > 1)


@pytest.mark.django_db
def test_later_pages_and_bad_numbers_behave_as_django_s():
    from minqing.places.models import Place, PlaceKind

    Place.objects.bulk_create([Place(kind=PlaceKind.BUILDING, code=f"99{n:04d}", name=f"{n}号楼", depth=4)
                               for n in range(120)])
    places = Place.objects.filter(code__startswith="99").order_by("code")
    for number in ("2", "3", "9", "x", None, "0"):
        ours, django_s = CountSparingPaginator(places, 50).get_page(number), Paginator(places, 50).get_page(number)
        assert (ours.number, list(ours)) == (django_s.number, list(django_s)), number


def test_an_empty_list_without_an_empty_first_page_has_no_first_page():
    with pytest.raises(EmptyPage):
        CountSparingPaginator([], 10, allow_empty_first_page=False).page(1)
    assert list(CountSparingPaginator([1, 2], 10, allow_empty_first_page=False).page(1)) == [1, 2]
