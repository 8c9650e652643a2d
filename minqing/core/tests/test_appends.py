"""`rows_append`: the INSERT without Django's compile stores what `save()` would, and only for models nobody
listens for."""
import io

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from minqing.accounts.tests.factories import UserFactory
from minqing.appeals.tests.factories import AppealFactory
from minqing.core import appends
from minqing.core.appends import rows_append
from minqing.notifications.models import Notification


# every model the product writes through rows_append
APPENDED = {"appeals.appeal", "appeals.appealevent", "core.auditentry", "dashboard.rollupdirtyday",
            "notifications.notification", "notifications.outboxmessage", "open311.open311request"}


def test_no_model_written_without_signals_has_a_receiver():
    for label in APPENDED:
        model = apps.get_model(label)
        assert not pre_save.has_listeners(model), label
        assert not post_save.has_listeners(model), label


@pytest.mark.django_db
def test_an_appended_demand_reads_back_as_a_saved_one(tree):
    saved = AppealFactory(place=tree["community_a"])
    appended = AppealFactory.build(place=tree["community_a"], title=saved.title, submitted_at=saved.submitted_at,
                                   phone_verified_at=saved.phone_verified_at, phone_cipher=saved.phone_cipher)
    rows_append([appended])
    assert appended.pk is not None and not appended._state.adding
    assert appended.created_at is not None and appended.updated_at is not None  # auto_now filled as save() does
    skip = {"id", "receipt_code", "created_at", "updated_at"}
    read = lambda pk: {k: v for k, v in model_to_dict(type(saved).objects.get(pk=pk)).items() if k not in skip}  # noqa: E731
    assert read(appended.pk) == read(saved.pk)


@pytest.mark.django_db
def test_rows_get_their_keys_in_order_and_json_is_stored(tree):
    users = UserFactory.create_batch(3)
    rows = [Notification(user=u, kind="k", text=f"第{i}条", message={"k": "x", "n": i}) for i, u in enumerate(users)]
    rows_append(rows)
    for i, row in enumerate(rows):
        stored = Notification.objects.get(pk=row.pk)
        assert (stored.user_id, stored.text, stored.message) == (users[i].pk, f"第{i}条", {"k": "x", "n": i})


@pytest.mark.django_db
def test_a_conflicting_row_is_skipped_and_the_rest_kept(tree):
    user, other = UserFactory.create_batch(2)
    rows_append([Notification(user=user, kind="k", text="一", dedupe_key="once")], ignore_conflicts=True)
    rows_append([Notification(user=user, kind="k", text="二", dedupe_key="once"),
                 Notification(user=other, kind="k", text="三", dedupe_key="other")], ignore_conflicts=True)
    assert sorted(Notification.objects.values_list("text", flat=True)) == ["一", "三"]


@pytest.mark.django_db
def test_many_rows_go_in_batches_the_database_accepts(tree):
    user = UserFactory()
    rows = [Notification(user=user, kind="k", text=str(i), dedupe_key=f"d{i}") for i in range(2500)]
    with CaptureQueriesContext(connection) as ctx:
        rows_append(rows, ignore_conflicts=True)
    assert Notification.objects.filter(user=user).count() == 2500
    assert len(ctx.captured_queries) == -(-2500 // max(connection.ops.bulk_batch_size(appends._fields(Notification), rows), 1))


@pytest.mark.django_db
def test_the_statement_is_built_once_per_shape(tree):
    user = UserFactory()
    appends._statements.clear()
    rows_append([Notification(user=user, kind="k", text="a")])
    rows_append([Notification(user=user, kind="k", text="b")])
    rows_append([Notification(user=user, kind="k", text="c"), Notification(user=user, kind="k", text="d")])
    assert len([key for key in appends._statements if key[0] is Notification]) == 2
    assert Notification.objects.filter(user=user).count() == 4



def test_a_model_spread_over_two_tables_is_refused():
    class Inherited:  # stands for a multi-table child (a real one would register a model for every later test)
        class _meta:
            parents = {"parent": "parent_ptr"}

    with pytest.raises(TypeError):
        rows_append([Inherited()])


@pytest.mark.django_db
def test_a_model_with_receivers_is_refused_not_written(tree):
    from minqing.places.models import Place  # watched by the per-process caches (core.ttlcache)

    before = Place.objects.count()
    with pytest.raises(TypeError):
        rows_append([Place(code="999", name="x", kind="district", depth=0)])
    assert Place.objects.count() == before


# --- appends.joined: a write's rows sent together ---------------------------------------------------------


def _rows_of_three_tables(user, appeal):
    from minqing.appeals.models import AppealEvent
    from minqing.dashboard.models import RollupDirtyDay

    event = AppealEvent(appeal=appeal, verb="note", from_status=appeal.status, to_status=appeal.status,
                        actor=user, actor_label="甲", note="一并写入", at=appeal.submitted_at)
    notices = [Notification(user=user, kind="k", text=f"第{i}条", dedupe_key=f"joined:{i}") for i in range(2)]
    return event, notices, RollupDirtyDay(day=appeal.submitted_at.date())


@pytest.mark.django_db
def test_rows_queued_in_a_joined_block_go_in_one_statement_with_their_keys(tree):
    from django.db import transaction

    user, appeal = UserFactory(), AppealFactory(place=tree["community_a"])
    event, notices, mark = _rows_of_three_tables(user, appeal)
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        with appends.joined():
            rows_append([event])
            rows_append(notices, ignore_conflicts=True)
            rows_append([mark])
            assert event.pk is None  # queued, not yet sent
    inserts = [q["sql"] for q in ctx.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 3)
    assert event.pk is not None and mark.pk is not None and not event._state.adding
    assert type(event).objects.get(pk=event.pk).note == "一并写入"
    assert sorted(Notification.objects.filter(user=user).values_list("text", flat=True)) == ["第0条", "第1条"]
    # the same shape again: the statement is kept, and a conflicting row inside it is skipped
    again = [Notification(user=user, kind="k", text="重复", dedupe_key="joined:0"),
             Notification(user=user, kind="k", text="新", dedupe_key="joined:9")]
    event2, _notices, mark2 = _rows_of_three_tables(user, appeal)
    with transaction.atomic(), appends.joined():
        rows_append([event2])
        rows_append(again, ignore_conflicts=True)
        rows_append([mark2])
    assert sorted(Notification.objects.filter(user=user).values_list("text", flat=True)) == ["新", "第0条", "第1条"]
    assert mark2.pk > mark.pk and event2.pk > event.pk


@pytest.mark.django_db
def test_a_read_inside_the_block_sees_the_queued_rows(tree):
    from django.db import transaction

    user = UserFactory()
    with transaction.atomic(), appends.joined():
        rows_append([Notification(user=user, kind="k", text="先写")])
        assert Notification.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_rolling_back_to_a_savepoint_drops_only_the_rows_after_it(tree):
    from django.db import transaction

    user = UserFactory()
    with transaction.atomic(), appends.joined():
        rows_append([Notification(user=user, kind="k", text="保留")])
        try:
            with transaction.atomic():  # the savepoint is taken after the queued row is sent
                rows_append([Notification(user=user, kind="k", text="撤回")])
                raise RuntimeError("the inner step fails")
        except RuntimeError:
            pass
    assert list(Notification.objects.filter(user=user).values_list("text", flat=True)) == ["保留"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_block_sends_each_row_at_once(tree):
    user = UserFactory()
    with appends.joined():
        row = rows_append([Notification(user=user, kind="k", text="立即")])[0]
        assert row.pk is not None


@pytest.mark.django_db
def test_audit_rows_in_one_joined_block_keep_the_chain(actors):
    from django.core.management import call_command
    from django.db import transaction

    from minqing.core.audit import audit_record

    worker = actors["worker"]
    with transaction.atomic(), appends.joined():
        for i in range(3):
            rows_append([Notification(user=worker, kind="k", text=f"通知{i}")])
            entry = audit_record(actor=worker, action=f"test.joined{i}", obj=worker, changes={"i": i})
            assert entry.pk is not None  # sent with the rows queued before it, at once
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit chain intact" in out.getvalue()
