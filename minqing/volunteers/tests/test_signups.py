"""Sign-ups on the public page: one per phone per activity, limited places, cancel by secret link."""
import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from minqing.core.audit import AuditEntry
from minqing.core.crypto import decrypt, lookup_hash
from minqing.core.errors import Conflict, NotFound, ValidationError
from minqing.volunteers import services
from minqing.volunteers.models import SignUp, SignUpStatus

from .factories import activity_of, resident_in, sign_up

pytestmark = pytest.mark.django_db


def test_sign_up_stores_the_phone_sealed_and_links_the_ledger(tree, activity):
    # given a resident in the ledger with this phone
    resident = resident_in(tree["building_a1"], "王秀英", phone="13800000001")
    # when
    signup, token = sign_up(activity, phone="138 0000 0001")
    # then
    assert signup.phone_hash == lookup_hash("13800000001") and decrypt(signup.phone_cipher) == "13800000001"
    assert signup.phone_masked == "138****0001" and signup.resident == resident
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM volunteers_signup")
        assert "13800000001" not in repr(cursor.fetchall())
    assert token and signup.cancel_token_hash != token
    assert AuditEntry.objects.filter(action="volunteers.signup.create", object_id=str(signup.pk)).count() == 1


def test_one_sign_up_per_phone(activity):
    sign_up(activity, phone="13800000001")
    with pytest.raises(Conflict) as exc:
        sign_up(activity, phone="13800000001", name="另一个称呼")
    assert exc.value.code == "already_signed_up"
    assert str(exc.value.message) == "这个手机号已报名本活动，无需重复报名。"


def test_places_are_limited_and_freed_by_cancelling(team, actors):
    activity = activity_of(team, actors["worker"], places=2)
    first, token = sign_up(activity, phone="13800000001")
    sign_up(activity, phone="13800000002")
    with pytest.raises(Conflict) as exc:
        sign_up(activity, phone="13800000003")
    assert exc.value.code == "full"
    services.signup_cancel(signup_id=first.pk, token=token)
    third, _token = sign_up(activity, phone="13800000003")
    assert third.status == SignUpStatus.SIGNED
    # the first phone may come back once a place is free again … but not now: it is full
    with pytest.raises(Conflict):
        sign_up(activity, phone="13800000001")


def test_cancel_needs_the_secret_link_and_a_cancelled_phone_can_sign_up_again(activity):
    signup, token = sign_up(activity)
    with pytest.raises(NotFound):
        services.signup_cancel(signup_id=signup.pk, token="guess")
    services.signup_cancel(signup_id=signup.pk, token=token)
    services.signup_cancel(signup_id=signup.pk, token=token)  # the same click twice: no error, no second row
    assert AuditEntry.objects.filter(action="volunteers.signup.cancel").count() == 1
    again, new_token = sign_up(activity)
    assert again.pk == signup.pk and again.status == SignUpStatus.SIGNED and new_token != token


def test_no_sign_up_after_start_or_for_a_cancelled_activity(activity, actors):
    with pytest.raises(ValidationError, match="截止报名"):
        services.signup_create(activity_id=activity.pk, name="王", phone="13800000001",
                               now=activity.starts_at + datetime.timedelta(minutes=1))
    services.activity_cancel(actor=actors["worker"], activity_id=activity.pk, reason="下雨")
    with pytest.raises(ValidationError, match="截止报名"):
        sign_up(activity)


def test_invalid_input_is_refused_field_by_field(activity):
    with pytest.raises(ValidationError) as exc:
        services.signup_create(activity_id=activity.pk, name="王", phone="12345")
    assert exc.value.fields == {"phone": ["请填写 11 位手机号。"]}


def test_attendance_records_hours_points_and_absences(activity, actors):
    came, _t = sign_up(activity, phone="13800000001")
    missed, _t = sign_up(activity, phone="13800000002")
    services.activity_record_attendance(actor=actors["worker"], activity_id=activity.pk,
                                        attended={came.pk: "2.5"}, now=activity.ends_at)
    came.refresh_from_db()
    missed.refresh_from_db()
    activity.refresh_from_db()
    assert (came.status, str(came.hours), came.points) == (SignUpStatus.ATTENDED, "2.5", 25)
    assert missed.status == SignUpStatus.ABSENT and missed.points == 0
    assert activity.status == "done"
    assert AuditEntry.objects.filter(action="volunteers.activity.finish").count() == 1


def test_attendance_not_before_the_start(activity, actors):
    with pytest.raises(ValidationError, match="尚未开始"):
        services.activity_record_attendance(actor=actors["worker"], activity_id=activity.pk, attended={})


def test_public_pages_sign_up_and_cancel(client, activity):
    response = client.post(reverse("volunteers:public_activity", args=[activity.pk]),
                           {"name": "王阿姨", "phone": "13800000001"})
    assert response.status_code == 302 and "?new=1" in response["Location"]
    page = client.get(response["Location"])
    assert "报名成功" in page.content.decode()
    again = client.post(reverse("volunteers:public_activity", args=[activity.pk]),
                        {"name": "王阿姨", "phone": "13800000001"})
    assert again.status_code == 422 and "无需重复报名" in again.content.decode()
    cancel_url = response["Location"].split("?")[0] + "cancel/"
    assert client.post(cancel_url).status_code == 302
    assert SignUp.objects.get().status == SignUpStatus.CANCELLED


@override_settings(MINQING_API_RATES={"public_form_address": "2/m"})
def test_public_sign_up_is_rate_limited(client, activity):
    url = reverse("volunteers:public_activity", args=[activity.pk])
    for phone in ("13800000001", "13800000002"):
        client.post(url, {"name": "王", "phone": phone})
    response = client.post(url, {"name": "王", "phone": "13800000003"})
    assert response.status_code == 429
    assert SignUp.objects.count() == 2


def test_past_activity_is_not_public(client, team, actors):
    past = activity_of(team, actors["worker"], starts_in=-datetime.timedelta(days=1))
    assert client.get(reverse("volunteers:public_activity", args=[past.pk])).status_code == 404
    assert timezone.now() > past.starts_at
