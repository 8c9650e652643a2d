"""The pager under a paginated list, written in Python.

It is under every list of the product; as an `{% include %}` it cost ~0.6 ms a page (two loops over the
query string, each value filtered and escaped through the template engine). The markup is the one the former
template wrote, byte for byte: `core/tests/test_paging.py` keeps the template beside it and compares.
"""
from __future__ import annotations

from urllib.parse import quote

from django.core.paginator import Paginator
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from minqing.core.htmltext import escape


def _link(query: str, param: str, number: int, label: str) -> str:
    return f'<a href="?{query}{param}={number}">{escape(label)}</a>'


def pager_html(page, request, param: str = "page") -> SafeString:
    """Previous / "page n of m" / next, keeping every other parameter of the request's query (none without a
    request, as the template read nothing from a missing one). `param` names the page number's parameter, for
    a page with two paginated lists."""
    if not page.has_other_pages():
        return mark_safe("\n")
    # The template's `{{ k }}={{ v|urlencode }}&`: the key escaped, the value quoted (keeping "/") and escaped.
    params = request.GET.items() if request is not None else ()
    query = "".join(f"{escape(key)}={escape(quote(str(value), safe='/'))}&" for key, value in params if key != param)
    previous = _link(query, param, page.previous_page_number(), gettext("上一页")) if page.has_previous() else ""
    following = _link(query, param, page.next_page_number(), gettext("下一页")) if page.has_next() else ""
    where = gettext("第 %(n)s / %(total)s 页") % {"n": page.number, "total": page.paginator.num_pages}
    return mark_safe(f'\n<nav class="pagination">\n  {previous}\n  <span>{where}</span>\n  {following}\n</nav>\n')


class CountSparingPaginator(Paginator):
    """A Paginator that counts only when the first page is full.

    A search usually finds less than a page; the COUNT then repeats the page's own query for nothing — for a
    name searched anywhere in a community's ~18,000 residents (`LIKE '%…%'`), half of the page's database time
    (docs/performance.md, "tenth pass"). The first page reads one row more than it shows: when that row is not
    there, the rows read are the count; when it is, the page is the rows read but that one, and the pager counts.
    Every later page is Django's own."""

    def validate_number(self, number):
        try:
            if int(number) == 1 and self.allow_empty_first_page:
                return 1  # the first page always exists then, counted or not
        except (TypeError, ValueError):
            pass
        return super().validate_number(number)

    def page(self, number):
        number = self.validate_number(number)
        if number != 1 or "count" in self.__dict__ or not self.allow_empty_first_page:
            return super().page(number)
        rows = list(self.object_list[: self.per_page + self.orphans + 1])
        if len(rows) > self.per_page + self.orphans:
            return self._get_page(rows[: self.per_page], 1, self)  # more pages: counted when the pager asks
        self.__dict__["count"] = len(rows)  # Paginator.count is a cached_property
        return self._get_page(rows, 1, self)
