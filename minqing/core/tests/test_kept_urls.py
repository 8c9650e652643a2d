"""`{% url %}` keeps its answers (core.urlcache, core/templatetags/kept_urls.py): the same URLs as Django's
tag, reversed once."""
import pytest
from django.template import Context, Engine, Template
from django.test import override_settings
from django.urls import NoReverseMatch, set_script_prefix

from minqing.core import urlcache

DJANGO = Engine(libraries={}, builtins=[])  # Django's own {% url %}
CASES = [
    ("{% url 'home' %}", {}),
    ("{% url 'appeals:detail' pk %}", {"pk": 42}),
    ("{% url 'appeals:detail' pk=pk %}", {"pk": 7}),
    ("{% url 'places:detail' code %}", {"code": "500120001002"}),
    ("{% url name %}", {"name": "appeals:list"}),
    ("{% url 'no-such-view' as missing %}[{{ missing }}]", {}),
]


@pytest.mark.parametrize("source,context", CASES)
def test_the_kept_tag_writes_what_django_s_tag_writes(source, context):
    ours = Template(source).render(Context(context))  # the project's engine: the kept tag is a builtin
    assert ours == DJANGO.from_string(source).render(Context(context))


def test_an_unknown_view_still_fails_loudly():
    with pytest.raises(NoReverseMatch):
        Template("{% url 'no-such-view' %}").render(Context())


def test_a_url_is_reversed_once_and_follows_the_script_prefix():
    urlcache._reversed.cache_clear()
    page = Template("{% url 'appeals:detail' 5 %}{% url 'appeals:detail' 5 %}")
    assert page.render(Context()) == "/appeals/5/" * 2
    assert urlcache._reversed.cache_info().misses == 1
    set_script_prefix("/minqing/")
    try:
        assert page.render(Context()) == "/minqing/appeals/5/" * 2
    finally:
        set_script_prefix("/")


class Numbered:
    """An object whose text may change (as a model instance's may): never kept."""

    def __init__(self, n):
        self.n = n

    def __str__(self):
        return str(self.n)


def test_an_argument_that_is_not_a_number_or_text_is_reversed_every_time():
    urlcache._reversed.cache_clear()
    page, obj = Template("{% url 'appeals:detail' obj %}"), Numbered(9)
    assert page.render(Context({"obj": obj})) == "/appeals/9/"
    obj.n = 10
    assert page.render(Context({"obj": obj})) == "/appeals/10/"
    assert urlcache._reversed.cache_info().currsize == 0


@override_settings(ROOT_URLCONF="minqing.urls")
def test_the_urlconf_is_part_of_the_key():
    assert Template("{% url 'home' %}").render(Context()) == "/"
