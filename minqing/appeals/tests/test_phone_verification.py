"""Issue 13.5: a phone typed on the public page gets texts only after its holder enters a one-time code
from the tracking page; staff-registered demands' phones count as proven. (Attacks: core/tests/test_attacks.py.)"""
import json
import re

import pytest
from django.urls import reverse

from minqing.appeals import services
from minqing.appeals.models import Appeal, Status
from minqing.appeals.tests.factories import appeal_in
from minqing.core.models import AuditEntry
from minqing.notifications.models import OutboxMessage, PhoneChallenge

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _generous_page_rates(settings):
    settings.MINQING_API_RATES = {"public_track_address": "1000/m", "public_intake_address": "1000/h",
                                  "public_intake_site": "1000/h"}


def submit_public(client, tree, phone=PHONE, ip="198.51.100.7") -> tuple[Appeal, str]:
    response = client.post(reverse("appeals:public_intake"), {
        "place": tree["community_a"].pk, "phone": phone, "text": "小区东门路灯不亮好几天了"}, REMOTE_ADDR=ip)
    assert response.status_code == 302, response.content.decode()[:500]
    code, token = response["Location"].split("/t/")[1].split("?")[0].strip("/").split("/")
    return Appeal.objects.get(receipt_code=code), token


def sms_url(appeal, token, verify=False) -> str:
    return reverse("appeals:sms_verify" if verify else "appeals:sms_code", args=[appeal.receipt_code, token])


def sent_code() -> str:
    return re.search(r"验证码 (\d{6})", OutboxMessage.objects.order_by("-id").first().text).group(1)


def test_a_public_phone_is_texted_only_after_its_code_is_entered(client, tree, actors,
                                                                  django_capture_on_commit_callbacks):
    # given a demand from the public page: no receipt text, and the page says why
    appeal, token = submit_public(client, tree)
    assert OutboxMessage.objects.count() == 0 and appeal.phone_verified_at is None
    page = client.get(reverse("appeals:track", args=[appeal.receipt_code, token])).content.decode()
    assert 'data-testid="sms-unverified"' in page and "尚未验证" in page and "139****5678" in page
    # when the resident asks for a code: one text, carrying the code and nothing of the demand
    response = client.post(sms_url(appeal, token), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302 and response["Location"].endswith("?sms=sent#sms")
    message = OutboxMessage.objects.get()
    assert message.phone_masked == "139****5678" and appeal.receipt_code not in message.text
    code = sent_code()
    # and enters it
    response = client.post(sms_url(appeal, token, verify=True), {"code": code}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.phone_verified_at is not None
    page = client.get(reverse("appeals:track", args=[appeal.receipt_code, token])).content.decode()
    assert 'data-testid="sms-verified"' in page
    # then the status texts go to the phone
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_accept(actor=actors["secretary"], appeal_id=appeal.pk)
    assert OutboxMessage.objects.filter(text__contains="已受理").count() == 1
    # every send and verify is audited, never with the code
    rows = AuditEntry.objects.filter(action__startswith="phone.").order_by("id")
    assert [r.action for r in rows] == ["phone.code_send", "phone.verify"]
    assert all(r.place_code == appeal.place_code and r.actor_label == "居民" for r in rows)
    assert not any(code in json.dumps(r.changes) + r.object_repr for r in rows)
    assert code not in json.dumps(list(PhoneChallenge.objects.values()), default=str)  # only its HMAC is kept


def test_until_verified_no_reply_or_outcome_text_is_queued(client, tree, actors, django_capture_on_commit_callbacks):
    appeal, _token = submit_public(client, tree)
    replied = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"],
                        channel="web", phone_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_accept(actor=actors["secretary"], appeal_id=appeal.pk)
        services.appeal_reply(actor=actors["worker"], appeal_id=replied.pk, outcome="solved", text="已修好")
    assert OutboxMessage.objects.count() == 0


def test_a_demand_registered_by_staff_counts_as_verified(tree, actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_submit(actor=actors["worker"], place=tree["community_a"], channel="phone",
                                        phone=PHONE, text="小区东门路灯不亮好几天了")
    assert appeal.phone_verified_at == appeal.submitted_at
    assert OutboxMessage.objects.filter(text__contains=appeal.receipt_code).count() == 1  # the receipt


def test_a_wrong_code_is_a_field_error_with_the_tries_left(client, tree):
    appeal, token = submit_public(client, tree)
    client.post(sms_url(appeal, token), REMOTE_ADDR="198.51.100.7")
    wrong = "000000" if sent_code() != "000000" else "111111"
    response = client.post(sms_url(appeal, token, verify=True), {"code": wrong})
    assert response.status_code == 422 and "验证码不正确，还可尝试 4 次。" in response.content.decode()
    response = client.post(sms_url(appeal, token, verify=True), {"code": "12ab"})
    assert response.status_code == 422 and "请输入短信中的 6 位数字验证码。" in response.content.decode()
    assert PhoneChallenge.objects.get().attempts == 1  # a malformed code is not a try


def test_a_code_without_a_sent_code_or_a_bad_link_is_refused(client, tree):
    appeal, token = submit_public(client, tree)
    response = client.post(sms_url(appeal, token, verify=True), {"code": "123456"})
    assert response.status_code == 422 and "验证码已失效，请重新获取。" in response.content.decode()
    assert client.post(sms_url(appeal, "not-the-token")).status_code == 404
    assert client.get(sms_url(appeal, token)).status_code == 405


def test_a_verified_phone_asks_for_no_more_codes(client, tree, actors):
    appeal = services.appeal_submit(actor=actors["worker"], place=tree["community_a"], channel="phone",
                                    phone=PHONE, text="小区东门路灯不亮好几天了")
    response = client.post(sms_url(appeal, appeal.tracking_token))
    assert response.status_code == 422 and "该手机号已验证" in response.content.decode()


def test_the_sms_box_reads_in_english(client, tree, settings):
    appeal, token = submit_public(client, tree)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the resident chose English
    html = client.get(reverse("appeals:track", args=[appeal.receipt_code, token])).content.decode()
    box = html.split('data-testid="sms"')[1].split("</div>")[0]
    assert "Phone 139****5678 is not verified yet" in box and "Text me a code" in box
    assert "Code from the text message" in box and not re.search(r"[\u4e00-\u9fff]", box)
