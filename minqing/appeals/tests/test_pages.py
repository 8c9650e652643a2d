"""Staff pages and public pages: success, permission, not found, invalid input, query counts."""
import re

import pytest
from django.urls import reverse

from minqing.appeals.models import Appeal, Status
from minqing.appeals.taxonomy import Category

from .factories import TOKEN, AppealFactory, appeal_in

pytestmark = pytest.mark.django_db


def test_public_intake_needs_only_phone_and_text(client, tree):
    response = client.post(reverse("appeals:public_intake"), {
        "place": tree["community_a"].pk, "phone": "13912345678", "text": "3号楼楼道灯坏了一个月"})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.channel == "web" and appeal.phone_masked == "139****5678" and appeal.status == "submitted"
    page = client.get(response["Location"]).content.decode()
    assert appeal.receipt_code in page and "提交成功" in page and "/appeals/t/" in page


def test_public_intake_preselects_the_community_of_the_qr_code(client, tree):
    page = client.get(reverse("appeals:public_intake"), {"c": tree["community_b"].code}).content.decode()
    assert f'<option value="{tree["community_b"].pk}" selected data-user-content>' in page


def test_public_intake_invalid(client, tree):
    response = client.post(reverse("appeals:public_intake"), {"place": tree["community_a"].pk, "phone": "123",
                                                             "text": "灯"})
    page = response.content.decode()
    assert "请填写正确的手机号或座机号。" in page and "请用至少 5 个字描述问题。" in page
    assert not Appeal.objects.exists()


def test_tracking_needs_the_secret_token(client, tree):
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    assert client.get(reverse("appeals:track", args=[appeal.receipt_code, TOKEN])).status_code == 200
    assert client.get(reverse("appeals:track", args=[appeal.receipt_code, "guess"])).status_code == 404


def test_lookup_by_receipt_code_and_phone(client, tree):
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    ok = client.post(reverse("appeals:lookup"), {"receipt_code": appeal.receipt_code.lower(), "phone": "13800138000"},
                     follow=True)
    assert ok.status_code == 200 and "办理进度" in ok.content.decode() and "请评价" not in ok.content.decode()
    bad = client.post(reverse("appeals:lookup"), {"receipt_code": appeal.receipt_code, "phone": "13800138001"})
    assert "回执码或手机号不正确。" in bad.content.decode()


def test_resident_rates_on_tracking_page(client, tree, actors):
    appeal = appeal_in(Status.REPLIED, place=tree["building_a1"], handler=actors["worker"])
    url = reverse("appeals:track", args=[appeal.receipt_code, TOKEN])
    assert "请评价" in client.get(url).content.decode()
    response = client.post(reverse("appeals:rate", args=[appeal.receipt_code, TOKEN]), {"satisfaction": "basic"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.satisfaction, appeal.follow_up_by) == ("closed", "basic", "resident")
    assert client.post(reverse("appeals:rate", args=[appeal.receipt_code, "nope"]),
                       {"satisfaction": "basic"}).status_code == 404


def test_list_filters_and_query_count(client, tree, actors, django_assert_max_num_queries):
    heating = Category.objects.get(name="供暖")
    for _ in range(30):
        AppealFactory(place=tree["building_a1"], category=heating)
    AppealFactory(place=tree["building_b1"], title="B社区的事")
    client.force_login(actors["worker"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("appeals:list"), {"category": heating.parent_id, "status": "submitted"})
    page = response.content.decode()
    assert len(re.findall('data-testid="appeal-row"', page)) == 30
    assert "B社区的事" not in page


def test_detail_outside_scope_is_not_found(client, tree, actors):
    appeal = AppealFactory(place=tree["building_b1"])
    client.force_login(actors["worker"])
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    assert client.post(reverse("appeals:act", args=[appeal.pk, "accept"]), {"version": 1}).status_code == 404


def test_detail_shows_one_form_per_allowed_verb(client, tree, actors):
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    client.force_login(actors["secretary"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    verbs = set(re.findall(r'data-testid="action-(\w+)"', page))
    assert verbs == {"accept", "reject", "supervise", "link", "merge"}
    client.force_login(actors["grid"])  # grid worker of A1 may view and reply, not accept
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert set(re.findall(r'data-testid="action-(\w+)"', page)) == set()


def test_verb_form_posts_call_the_service(client, tree, actors):
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    client.force_login(actors["secretary"])
    url = reverse("appeals:act", args=[appeal.pk, "reject"])
    invalid = client.post(url, {"reject-version": appeal.version, "reject-reason": ""})
    assert invalid.status_code == 422 and "这个字段是必填项。" in invalid.content.decode()
    response = client.post(url, {"reject-version": appeal.version, "reject-reason": "属物业合同纠纷",
                                 "reject-referral": "区住建委"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "rejected" and appeal.referral == "区住建委"


def test_stale_form_gets_conflict_and_keeps_input(client, tree, actors):
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    client.force_login(actors["secretary"])
    response = client.post(reverse("appeals:act", args=[appeal.pk, "reject"]),
                           {"reject-version": appeal.version + 5, "reject-reason": "我写的理由不能丢"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "该记录已被他人修改，请刷新后重试。您的输入未丢失。" in page and "我写的理由不能丢" in page


def test_worker_intake_with_resident_or_anonymous(client, tree, actors):
    client.force_login(actors["worker"])
    response = client.post(reverse("appeals:intake"), {
        "place": tree["building_a1"].pk, "channel": "phone", "kind": "complaint", "urgency": "urgent",
        "category": Category.objects.get(name="供暖").pk, "text": "暖气漏水，楼下被淹", "reporter_name": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.urgency, appeal.resident, appeal.created_by) == (
        "phone", "urgent", None, actors["worker"])
    assert client.get(reverse("appeals:intake")).status_code == 200
    client.force_login(actors["partner"])
    assert client.get(reverse("appeals:intake")).status_code == 404


def test_pages_render(client, tree, actors):
    appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler=actors["worker"], leader=actors["secretary"])
    for user in ("secretary", "street", "worker", "partner", "supervisor"):
        client.force_login(actors[user])
        for name in ("appeals:todo", "appeals:supervision", "appeals:overdue", "appeals:list", "home"):
            assert client.get(reverse(name)).status_code == 200, (user, name)
    client.force_login(actors["admin"])
    assert client.get(reverse("appeals:taxonomy")).status_code == 200
    client.force_login(actors["worker"])  # reads the table it dispatches by (issue 14.4), cannot change it
    assert client.get(reverse("appeals:taxonomy")).status_code == 200
    client.force_login(actors["grid"])
    assert client.get(reverse("appeals:taxonomy")).status_code == 404


def test_worker_picks_the_resident_from_the_ledger(client, tree, actors):
    from minqing.residents.tests.factories import HouseholdFactory, make_resident

    household = HouseholdFactory(building=tree["building_a1"])
    resident = make_resident(household, "王秀英", phone="13722223333")
    outsider = make_resident(HouseholdFactory(building=tree["building_b1"]), "李四", phone="13722224444")
    client.force_login(actors["worker"])
    found = client.get(reverse("appeals:intake"), {"q": "王秀英"}).content.decode()
    assert f"?resident={resident.pk}" in found and "137****3333" in found
    assert f"?resident={outsider.pk}" not in client.get(reverse("appeals:intake"), {"q": "李四"}).content.decode()
    picked = client.get(reverse("appeals:intake"), {"resident": resident.pk}).content.decode()
    assert 'data-testid="picked-resident"' in picked
    response = client.post(reverse("appeals:intake") + f"?resident={resident.pk}", {
        "resident": resident.pk, "place": tree["building_a1"].pk, "channel": "walk_in", "kind": "help",
        "urgency": "normal", "text": "老人腿脚不便，想申请上门理发服务"})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.resident, appeal.reporter_name, appeal.phone_masked) == (resident, "王秀英", "137****3333")
    assert client.get(reverse("appeals:intake"), {"resident": outsider.pk}).status_code == 404


def test_tracking_page_hides_internal_notes_and_events(client, tree, actors):
    from minqing.appeals import services

    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["secretary"],
                             handler_user=actors["worker"], note="内部：此户多次投诉，注意态度")
    services.appeal_supervise(actor=actors["street"], appeal_id=appeal.pk, demand="内部督办要求")
    page = client.get(reverse("appeals:track", args=[appeal.receipt_code, TOKEN])).content.decode()
    assert "派单" in page and "内部" not in page and "督办" not in page


def test_admin_edits_categories_and_service_levels(client, actors):
    client.force_login(actors["admin"])
    heat = Category.objects.get(name="供暖")
    response = client.post(reverse("appeals:taxonomy"), {"category_id": heat.pk, "version": heat.version,
                                                         "rename": "集中供暖", "sort": 3})
    assert response.status_code == 302
    heat.refresh_from_db()
    assert (heat.name, heat.sort, heat.is_active) == ("集中供暖", 3, False)
    stale = client.post(reverse("appeals:taxonomy"), {"category_id": heat.pk, "version": heat.version - 1,
                                                      "rename": "供暖", "sort": 3, "is_active": "on"})
    assert "该记录已被他人修改" in stale.content.decode()
    response = client.post(reverse("appeals:taxonomy"), {"urgency": "normal", "category": heat.pk,
                                                         "response_days": 1, "handle_days": 2})
    assert response.status_code == 302
    from minqing.appeals.taxonomy_services import service_level_for

    assert service_level_for(heat, "normal").handle_days == 2


def test_work_lists_keep_a_constant_number_of_queries(client, tree, actors, heating, django_assert_max_num_queries):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    for i in range(12):
        appeal_in(Status.SUBMITTED, place=tree["building_a1"])
        appeal_in(Status.IN_PROGRESS, place=tree["building_a2"], handler=actors["worker"], leader=actors["secretary"],
                  handle_deadline=now - datetime.timedelta(hours=i + 1), is_overdue=True)
        appeal_in(Status.DISPATCHED, place=tree["building_b1"], handler_unit=heating["unit"],
                  handle_deadline=now + datetime.timedelta(hours=3))
    for name, url, limit in (("worker", "appeals:todo", 14), ("street", "appeals:overdue", 9),
                             ("secretary", "appeals:supervision", 10), (heating["user"], "appeals:inbox", 12)):
        client.force_login(actors[name] if isinstance(name, str) else name)
        with django_assert_max_num_queries(limit):
            response = client.get(reverse(url))
        assert response.status_code == 200
    client.force_login(actors["street"])
    overdue = client.get(reverse("appeals:overdue")).content.decode()
    assert overdue.count('data-testid="appeal-row"') == 12 and 'data-testid="overdue-group"' in overdue


def test_public_intake_with_photos(client, tree, settings, tmp_path, actors):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path

    def photo(name):
        buffer = io.BytesIO()
        Image.new("RGB", (30, 20), "blue").save(buffer, "PNG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

    response = client.post(reverse("appeals:public_intake"), {
        "place": tree["community_a"].pk, "phone": "13912345678", "text": "垃圾桶满了一周没人清运",
        "photos": [photo("a.png"), photo("b.png")]})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.photos.count() == 2
    client.force_login(actors["worker"])
    shown = client.get(reverse("appeals:photo", args=[appeal.pk, appeal.photos.first().pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    client.force_login(actors["branch"])  # a branch secretary does not read demands
    assert client.get(reverse("appeals:photo", args=[appeal.pk, appeal.photos.first().pk])).status_code == 404
    bad = client.post(reverse("appeals:public_intake"), {
        "place": tree["community_a"].pk, "phone": "13912345678", "text": "垃圾桶满了一周没人清运",
        "photos": [SimpleUploadedFile("x.png", b"GIF89a-not-really", content_type="image/png")]})
    assert "无法识别的图片：x.png" in bad.content.decode()


def test_overdue_board_heads_each_group_with_the_community_name_for_a_partner_unit(client, tree, heating):
    import datetime

    from django.utils import timezone

    appeal_in(Status.DISPATCHED, place=tree["building_b1"], handler_unit=heating["unit"],
              handle_deadline=timezone.now() - datetime.timedelta(hours=2), is_overdue=True)
    client.force_login(heating["user"])
    page = client.get(reverse("appeals:overdue")).content.decode()
    assert f"<h2><span data-user-content>{tree['community_b'].name}</span> " in page
    assert f"<h2>{tree['community_b'].code} " not in page
