"""`__under`: a prefix filter that means what `__startswith` means, written as a range on PostgreSQL."""
import pytest
from django.db import connection

from minqing.core.lookups import prefix_successor
from minqing.places.models import Place


def test_the_successor_is_above_every_string_with_the_prefix():
    assert prefix_successor("500120001009") == "50012000100:"
    assert "500120001009" < "5001200010099999" < prefix_successor("500120001009")
    assert "500120001010" >= prefix_successor("500120001009")


@pytest.mark.django_db
def test_under_keeps_the_same_rows_as_startswith(tree):
    codes = [tree[name].code for name in ("district", "street", "community_a", "community_b", "grid_a1")]
    for code in [*codes, codes[2][:-1], codes[2] + "9", "9", "%", "_"]:
        assert set(Place.objects.filter(code__under=code)) == set(Place.objects.filter(code__startswith=code)), code
    sql = str(Place.objects.filter(code__under=codes[2]).query)
    assert ("~>=~" in sql) == (connection.vendor == "postgresql"), sql


@pytest.mark.django_db
def test_a_prefix_with_pattern_characters_is_not_a_pattern(tree):
    place = tree["community_a"]
    Place.objects.filter(pk=place.pk).update(name="a_b%c")
    assert list(Place.objects.filter(name__under="a_b%")) == [place]
    assert not Place.objects.filter(name__under="aXb").exists()
