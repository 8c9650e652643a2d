"""What each role sees: the navigation bar and the panels of its home page.

Apps register their entries in AppConfig.ready(), so adding a module never edits a shared list.
An entry is shown when the actor holds its permission somewhere (the page itself then filters by
scope); an entry whose URL is not installed is skipped.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType

from django.core.cache import cache
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from minqing.core.counts import request_counts
from minqing.core.htmltext import escape

from .policy import has_perm_anywhere, is_global, roles_of, scope_key


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    perm: str | None
    order: int = 50


@dataclass(frozen=True)
class HomePanel:
    template: str
    perm: str | None
    context: Callable = field(default=lambda request: {})
    order: int = 50


_nav: list[NavItem] = []
_panels: list[HomePanel] = []


def register_nav(url_name: str, label, perm: str | None, order: int = 50) -> None:
    if all(item.url_name != url_name for item in _nav):
        _nav.append(NavItem(url_name, label, perm, order))
        _bars.clear()


def register_home_panel(template: str, perm: str | None, context: Callable, order: int = 50) -> None:
    if all(panel.template != template for panel in _panels):
        _panels.append(HomePanel(template, perm, context, order))


def _allowed(actor, perm) -> bool:
    return perm is None or has_perm_anywhere(actor, perm)


def _url(url_name: str) -> str | None:
    """The entry's URL; None when the URL is not installed. Reversed only when a bar is built (nav_for keeps
    the bars), so it needs no store of its own."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


# The bar of everyone with the same roles, per script prefix and language: it is on every page, and
# deciding ~40 entries' permissions and translating their labels was ~0.5 ms of each (issue 19).
_bars: dict[tuple, tuple[MappingProxyType, ...]] = {}


def nav_for(actor) -> tuple[MappingProxyType, ...]:
    """The entries the actor may open, in order: {"url", "label", "name"}, read-only (shared by every page)."""
    key = (get_script_prefix(), get_language(), is_global(actor), frozenset(roles_of(actor)))
    if key not in _bars:
        _bars[key] = tuple(_entry(url, str(item.label), item.url_name)
                           for item in sorted(_nav, key=lambda i: i.order)
                           if _allowed(actor, item.perm) and (url := _url(item.url_name)) is not None)
    return _bars[key]


def _entry(url: str, label: str, name: str) -> MappingProxyType:
    """A bar entry with its link written once (plain, and marked as the current page for screen readers)."""
    href, text = escape(url), escape(label)
    return MappingProxyType({"url": url, "label": label, "name": name, "link": f'<a href="{href}">{text}</a>',
                             "link_current": f'<a href="{href}" aria-current="page">{text}</a>'})


def nav_links(items, path: str) -> SafeString:
    """The bar's links, the current page's marked for screen readers."""
    return mark_safe("".join(item["link_current"] if item["url"] == path else item["link"] for item in items))


def nav_tiles(items) -> SafeString:
    """The home page's shortcuts: every entry of the bar but the home page itself."""
    return mark_safe("".join(f'<li><a href="{escape(item["url"])}">{escape(item["label"])}</a></li>'
                             for item in items if item["name"] != "home"))


# How long a home panel's figures are kept (`kept_per_scope`): a reminder, not a ledger.
PANEL_FIGURES_SECONDS = 300


def kept_per_scope(name: str, actor, perm: str, compute: Callable, *, part: str = ""):
    """A home panel's figures, computed once per scope and kept for PANEL_FIGURES_SECONDS.

    For figures that move slowly and cost real work (a community's visits due, its party counts, this
    month's rates, a 90-day settlement rate): they depend only on where the actor holds `perm`, so everyone
    with the same places shares one copy (a community's staff, a street's). `part` adds what else the
    figures depend on (the day, the month). What waits for someone (the to-do counts) is never kept."""
    return cache.get_or_set(_panel_key(name, actor, perm, part), compute, PANEL_FIGURES_SECONDS)


def _panel_key(name: str, actor, perm: str, part: str) -> str:
    return f"panel:{name}:{scope_key(actor, perm)}:{part}"


def kept_counts(request, name: str, perm: str, querysets: Callable[[], dict], *, part: str = "") -> dict:
    """kept_per_scope for figures that are all counts: on a miss they are counted in the page's one count
    statement (core.counts.request_counts) rather than in one of their own, and kept once counted — a scope's
    first view of the home page made a statement per panel (issue 19). name → int when kept, else → a
    DeferredCount (which reads like an int)."""
    key = _panel_key(name, request.user, perm, part)
    kept = cache.get(key)
    if kept is not None:
        return kept
    batch = request_counts(request)
    counts = batch.count_later(querysets())
    batch.when_counted(lambda: cache.set(key, {label: int(count) for label, count in counts.items()},
                                         PANEL_FIGURES_SECONDS))
    return counts


def home_panels_for(request) -> list[dict]:
    return [
        {"template": panel.template, **panel.context(request)}
        for panel in sorted(_panels, key=lambda p: p.order)
        if _allowed(request.user, panel.perm)
    ]
