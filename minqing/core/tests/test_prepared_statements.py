"""Prepared statements on PostgreSQL (minqing/settings/base.py, docs/performance.md): on by default, off by
one setting, and really kept by the server."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from minqing.places.models import Place

ROOT = Path(__file__).resolve().parents[3]


def _options(**env) -> dict:
    """Each database's engine and connection options as the settings make them, but the test settings' own
    server options (a statement timeout)."""
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({name: [s.DATABASES[name]['ENGINE'], {k: v for k, v in "
            "s.DATABASES[name].get('OPTIONS', {}).items() if k != 'options'}] for name in s.DATABASES}))")
    inherited = {k: v for k, v in os.environ.items() if k != "DATABASE_PREPARED_STATEMENTS"}
    env = {**inherited, "DJANGO_SETTINGS_MODULE": "minqing.settings.test",
           "DATABASE_URL": "postgres://u:p@primary.example:5432/minqing",
           "DATABASE_REPLICA_URL": "postgres://u:p@replica.example:5432/minqing", **env}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_postgresql_binds_on_the_server_and_prepares_by_default_on_both_databases():
    options = _options()
    for name in ("default", "replica"):
        assert options[name] == ["minqing.core.postgresql", {"server_side_binding": True, "prepare_threshold": 5}]


def test_one_setting_turns_prepared_statements_off_for_a_transaction_pooler():
    options = _options(DATABASE_PREPARED_STATEMENTS="0")
    assert options == {name: ["django.db.backends.postgresql", {}] for name in ("default", "replica")}


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_but_a_scope_wider_than_a_community_is_planned_for_its_values(tree):
    """A generic plan made without the LIKE's value once served a whole street with a plan fit for a
    community (minqing/core/postgresql/base.py): a run with a street's prefix (or a text search) is never
    prepared, unless the rows are pinned by primary key; a community's or a grid's scope is."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    community, street = tree["community_a"], tree["street"]
    for _ in range(7):  # psycopg prepares a statement once it has run prepare_threshold (5) times
        assert Place.objects.filter(code=community.code).values_list("name", flat=True).first() == community.name
        assert Place.objects.filter(code__startswith=street.code, kind=community.kind).count() == 2
        assert Place.objects.filter(name__contains=community.name[:2], kind=street.kind).count() >= 0
        assert Place.objects.filter(code__startswith=street.code, pk=community.pk).exists()
        assert Place.objects.filter(code__startswith=community.code).order_by("code").values_list(
            "code", flat=True).first() == community.code
    statements = _prepared()
    assert any('"places_place"."code" = $1' in s for s in statements), statements
    assert not any("LIKE" in s and '"places_place"."kind" = $' in s for s in statements), statements
    assert any("LIKE" in s and '"places_place"."id" = $' in s for s in statements), statements
    assert any('"places_place"."code"::text LIKE $1 ORDER BY' in s for s in statements), statements  # a community


@pytest.mark.django_db
def test_a_demands_insert_is_parsed_once_per_process_not_on_every_submission(tree, monkeypatch):
    """A demand's INSERT has one parameter per column (54), above psycopg's own bound of 50 for keeping a
    statement's parsed form; minqing.core.postgresql raises the bound, so no submission parses it afresh."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from psycopg import _queries

    from minqing.appeals.tests.factories import AppealFactory

    unkept = []
    parse = _queries._query2pg_nocache
    monkeypatch.setattr(_queries, "_query2pg_nocache", lambda query, *rest: unkept.append(query) or parse(query, *rest))
    AppealFactory(place=tree["community_a"])
    AppealFactory(place=tree["community_a"])
    assert not [q for q in unkept if b"appeals_appeal" in q], "a demand's INSERT was parsed without being kept"


@pytest.mark.django_db
def test_a_scope_range_wider_than_a_community_is_planned_for_its_values_too(tree):
    """The scope filter's range form (`__under`, core/lookups.py) follows the same rule as its LIKE: a street's
    range runs unprepared, a community's is prepared once it has run five times."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    community, street = tree["community_a"], tree["street"]
    for _ in range(7):
        assert Place.objects.filter(code__under=street.code, kind=community.kind).count() == 2
        assert Place.objects.filter(code__under=community.code, kind=community.kind).count() == 1
    statements = [s for s in _prepared() if "~>=~" in s]
    assert len(statements) == 1, statements  # the community's run; the street's, same text, never prepared


def test_the_rule_reads_placeholders_past_escaped_percent_signs():
    from minqing.core.postgresql import base

    query = "SELECT 1 FROM t WHERE a LIKE '%%x' AND b = %s AND (c ~>=~ %s AND c ~<~ %s)"
    assert base._plan_depends_on_values(query, ["submitted", "5001", "5002"])  # a district's prefix
    assert not base._plan_depends_on_values(query, ["x" * 30, "500120001001", "500120001002"])  # a community's
    assert not base._plan_depends_on_values(query, ["submitted", "500120001001", "500120001002"])
