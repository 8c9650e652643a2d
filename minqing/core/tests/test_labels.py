"""One renderer for audit rows: action codes, field names and values read as words, in the reader's language."""
import pytest
from django.utils import translation

from minqing.core.audit import audit_record
from minqing.core.labels import action_label, audit_describe, change_lines, register_action_labels, value_text
from minqing.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_registered_codes_read_as_their_label_in_each_language():
    assert action_label("dispute.accept") == "受理（三定）"
    assert action_label("welfare.application.disburse") == "登记发放"
    assert action_label("appeal.link") == "关联"
    with translation.override("en"):
        assert action_label("place.update") == "Edit place"


def test_an_unregistered_code_is_humanised_from_the_model_never_raw():
    assert action_label("residents.nothing.create", "residents.household") == "新建户"
    with translation.override("en"):
        assert action_label("residents.nothing.create", "residents.household") == "Create Household"
    assert action_label("thing.frob_it") == "thing frob it"


def test_a_new_app_registers_its_codes():
    register_action_labels({"test.thing.flip": "翻转"})
    assert action_label("test.thing.flip") == "翻转"


def test_values_read_through_choices_booleans_and_dates():
    from minqing.disputes.models import Dispute
    lines = change_lines({"status": ["reported", "accepted"], "from_ledger": [None, False],
                          "deadline": [None, "2026-11-17"], "reason": "已告知"}, "disputes.dispute")
    status, ledger, deadline, reason = lines
    assert (status.label, status.before, status.after) == (str(Dispute._meta.get_field("status").verbose_name),
                                                          "已登记", "已受理")
    assert ledger.after == "否" and ledger.is_set and not ledger.after_is_data
    assert deadline.after == "2026-11-17" and not deadline.after_is_data
    assert reason.label == "理由" and reason.after == "已告知" and reason.after_is_data
    with translation.override("en"):
        status, ledger, *_rest = change_lines({"status": ["reported", "accepted"], "from_ledger": [None, True]},
                                              "disputes.dispute")
        assert (status.label, status.before, status.after) == ("Status", "Registered", "Accepted")
        assert ledger.after == "Yes"


def test_datetimes_in_local_time_and_nested_values():
    assert value_text("2026-11-17T01:30:00+00:00") == "2026-11-17 09:30"
    assert value_text(None) == "—" and value_text(["甲", "乙"]) == "甲、乙"
    assert value_text({"count": 3}) == "数量：3"


def test_the_audit_search_shows_labels_not_codes_or_dicts(client, tree, actors):
    # given: a row with the raw shapes the issue saw (None/True, a code)
    audit_record(actor=actors["admin"], action="place.update", obj=tree["grid_a1"],
                 changes={"name": ["一网格", "第一网格"], "is_active": [None, True]})
    client.force_login(actors["admin"])
    # when
    html = client.get("/audit/").content.decode()
    # then
    assert "修改地点" in html and "第一网格" in html and "是" in html
    assert "place.update</" not in html and "None" not in html and "True" not in html and "{&#x27;" not in html
    assert AuditEntry.objects.count() == 1 and audit_describe(AuditEntry.objects.get()).action == "修改地点"


def test_a_transition_table_labels_its_verbs_without_registering():
    from minqing.meetings.models import MEETING
    verb = next(iter(MEETING.verbs))
    assert action_label(f"{MEETING.name}.{verb.value}") == str(verb.label)


def test_common_verbs_of_new_apps_read_as_words():
    assert action_label("meeting.call", "meetings.meeting").startswith("召集")
