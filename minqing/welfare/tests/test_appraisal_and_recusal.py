"""The 2/3 rules as the service enforces them, and the no-favouritism refusals (seed 001)."""
import pytest

from minqing.core.errors import PermissionDenied, ValidationError
from minqing.core.models import AuditEntry
from minqing.welfare import services
from minqing.welfare.models import Appraisal, Kinship, Status

from .factories import appraise, household_with_members, submit, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_appraisal(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    return verify(welfare["worker"], application, welfare["worker2"])


def test_below_two_thirds_attendance_is_refused_and_nothing_is_recorded(welfare, at_appraisal):
    with pytest.raises(ValidationError) as info:
        appraise(welfare["secretary"], at_appraisal, members=9, attendance=5, votes_for=5, votes_against=0)
    assert info.value.code == "quorum_not_met"
    assert str(info.value.message) == "实到 5 人，未达到应到 9 人的三分之二，评议无效，请另行召集。"
    assert not Appraisal.objects.exists()
    at_appraisal.refresh_from_db()
    assert at_appraisal.status == Status.APPRAISAL


def test_below_two_thirds_approval_rejects_with_the_count(welfare, at_appraisal):
    application = appraise(welfare["secretary"], at_appraisal, members=9, attendance=9, votes_for=5, votes_against=4)
    assert application.status == Status.REJECTED
    assert application.rejection_reason == "民主评议未获三分之二以上同意（出席 9 人，同意 5 人）。"
    assert Appraisal.objects.get().passed is False


def test_exactly_two_thirds_passes_to_notice(welfare, at_appraisal):
    application = appraise(welfare["secretary"], at_appraisal, members=9, attendance=6, votes_for=4, votes_against=2)
    assert application.status == Status.NOTICE


def test_votes_must_add_up_to_attendance(welfare, at_appraisal):
    with pytest.raises(ValidationError) as info:
        appraise(welfare["secretary"], at_appraisal, members=9, attendance=7, votes_for=5, votes_against=1)
    assert info.value.fields == {"votes_for": ["同意、不同意、弃权合计 6 票，应等于实到人数 7。"]}


def test_attendance_cannot_exceed_members(welfare, at_appraisal):
    with pytest.raises(ValidationError) as info:
        appraise(welfare["secretary"], at_appraisal, members=5, attendance=6, votes_for=6, votes_against=0)
    assert info.value.fields == {"attendance": ["实到人数不能多于应到人数。"]}


def test_worker_may_not_appraise(welfare, at_appraisal):
    with pytest.raises(PermissionDenied):
        appraise(welfare["worker"], at_appraisal)


# --- no favouritism ---------------------------------------------------------------------------------

def _declare(staff, household, kinship=Kinship.PARENT):
    return services.staff_relation_declare(actor=staff, staff=staff, household=household, kinship=kinship,
                                           relative_name="王母")


def test_relative_cannot_verify_even_as_second_staff(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    _declare(welfare["worker2"], welfare["household"])
    with pytest.raises(PermissionDenied) as info:
        verify(welfare["worker"], application, welfare["worker2"])
    assert info.value.code == "conflict_of_interest"
    assert str(info.value.message) == ("工作人员1 已申报与该申请家庭的关系（父母），按规定须回避，不能参与入户核查。"
                                       .replace("工作人员1", str(welfare["worker2"])))


def test_own_household_cannot_be_appraised(welfare):
    application = verify(welfare["worker"], submit(welfare["worker"], welfare["programme"], welfare["household"]),
                         welfare["worker2"])
    _declare(welfare["secretary"], welfare["household"], Kinship.SELF)
    with pytest.raises(PermissionDenied) as info:
        appraise(welfare["secretary"], application)
    assert "本人所在户" in str(info.value.message) and "民主评议" in str(info.value.message)


def test_relative_cannot_approve_or_reject(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    application = verify(welfare["worker"], application, welfare["worker2"], income="3000", recommends=False)
    _declare(welfare["street"], welfare["household"], Kinship.CHILD)
    with pytest.raises(PermissionDenied) as info:
        services.application_reject(actor=welfare["street"], application=application, reason="收入超标")
    assert info.value.code == "conflict_of_interest"


def test_staff_relative_application_is_flagged_at_submission(welfare):
    _declare(welfare["worker2"], welfare["household"])
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    assert application.flagged_relative
    assert application.flag_note == f"{welfare['worker2']}（父母）"
    entry = AuditEntry.objects.for_object(application).get(action="welfare.application.submit")
    assert entry.changes["flagged_relative"] == [None, True]


def test_a_later_declaration_flags_open_applications(welfare):
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    assert not application.flagged_relative
    _declare(welfare["worker2"], welfare["household"])
    application.refresh_from_db()
    assert application.flagged_relative
    assert AuditEntry.objects.for_object(application).filter(action="welfare.application.flag").count() == 1


def test_supervisor_sees_flagged_applications(welfare, actors):
    from minqing.welfare.selectors import application_list

    _declare(welfare["worker2"], welfare["household"])
    submit(welfare["worker"], welfare["programme"], welfare["household"])
    other, _members = household_with_members(welfare["household"].building, names=("赵六",))
    submit(welfare["worker"], welfare["programme"], other)
    flagged = application_list(actor=actors["supervisor"], flagged=True)
    assert [a.household_id for a in flagged] == [welfare["household"].pk]


def test_unrelated_staff_proceed(welfare):
    _declare(welfare["worker2"], welfare["household"])
    application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    worker3 = user_with_role(Role.COMMUNITY_WORKER, welfare["household"].building, username="t_worker3")
    assert verify(welfare["worker"], application, worker3).status == Status.APPRAISAL


def test_supervisor_is_notified_of_a_flagged_application(welfare, actors, django_capture_on_commit_callbacks):
    from minqing.notifications.models import Notification

    _declare(welfare["worker2"], welfare["household"])
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(welfare["worker"], welfare["programme"], welfare["household"])
    notes = Notification.objects.filter(kind="welfare.flag")
    assert [n.user for n in notes] == [actors["supervisor"]]
    assert application.reference in notes.get().text
