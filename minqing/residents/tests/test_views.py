"""The ledger's pages: scope, field errors, the reveal action, Excel in and out through the browser's forms."""
import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minqing.core.models import AuditEntry
from minqing.residents.models import Household, Resident

from .conftest import ID_A1, PHONE_A1
from .factories import make_resident, valid_id_number
from .test_import import row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client
    return as_


def test_search_page_lists_scope_masked_with_bounded_queries(login, actors, ledger, django_assert_max_num_queries):
    client = login(actors["worker"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("residents:search"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "张德明" in body and "王海燕" in body and "陈志强" not in body
    assert "138****5678" in body and PHONE_A1 not in body and ID_A1 not in body


def test_search_by_full_id_number_on_the_page_is_posted_audited_and_not_in_the_url(login, actors, ledger):
    client = login(actors["grid"])
    response = client.post(reverse("residents:search"), {"q": ID_A1})
    body = response.content.decode()
    assert response.status_code == 200 and "张德明" in body and "李秀兰" not in body
    assert AuditEntry.objects.get(action="ledger.search_pii").changes == {"kind": [None, "id_number"],
                                                                           "found": [None, 1]}
    # typed into a URL, it finds nothing and says where to type it
    body = client.get(reverse("residents:search"), {"q": ID_A1}).content.decode()
    assert "张德明" not in body and "不写入网址" in body


def test_search_by_name_posted_redirects_to_the_list_url(login, actors, ledger):
    response = login(actors["grid"]).post(reverse("residents:search"), {"q": "张德明", "status": "living"})
    assert response.status_code == 302 and "q=%E5%BC%A0" in response["Location"]


def test_pages_outside_scope_are_not_found(login, actors, ledger):
    client = login(actors["grid"])
    assert client.get(reverse("residents:detail", args=[ledger["a1"].pk])).status_code == 200
    assert client.get(reverse("residents:detail", args=[ledger["a2"].pk])).status_code == 404
    assert client.get(reverse("residents:household", args=[ledger["h_b1"].pk])).status_code == 404
    assert login(actors["partner"]).get(reverse("residents:search")).status_code == 404


def test_read_only_roles_cannot_open_edit_forms(login, actors, ledger):
    client = login(actors["building"])
    assert client.get(reverse("residents:detail", args=[ledger["a1"].pk])).status_code == 200
    assert client.get(reverse("residents:edit", args=[ledger["a1"].pk])).status_code == 403
    assert client.post(reverse("residents:move_out", args=[ledger["a1"].pk]), {"date": "2026-01-01"}).status_code == 403


def test_edit_form_shows_field_errors_in_chinese_and_keeps_input(login, actors, ledger):
    url = reverse("residents:edit", args=[ledger["a1"].pk])
    response = login(actors["worker"]).post(url, {"version": 1, "name": "张德明", "relation": "head",
                                                  "id_number": "500110196503021239", "phone": "12"})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<p class="error" data-field="id_number">身份证号校验位不正确，请核对。</p>' in body
    assert '<p class="error" data-field="phone">电话号码格式不正确：手机号为11位，固定电话需带区号。</p>' in body
    assert 'value="500110196503021239"' in body  # what the user typed is not lost


def test_edit_with_a_stale_version_shows_the_conflict(login, actors, ledger):
    url = reverse("residents:edit", args=[ledger["a1"].pk])
    response = login(actors["worker"]).post(url, {"version": 0, "name": "张德明", "relation": "head", "notes": "新"})
    assert "该记录已被他人修改，请刷新后重试。您的输入未丢失。" in response.content.decode()


def test_edit_saves(login, actors, ledger):
    url = reverse("residents:edit", args=[ledger["a1"].pk])
    response = login(actors["worker"]).post(url, {"version": 1, "name": "张德明", "relation": "head",
                                                  "occupation": "矿上退休", "phone": "13900000000"})
    assert response.status_code == 302
    resident = Resident.objects.get(pk=ledger["a1"].pk)
    assert resident.occupation == "矿上退休" and resident.phone_masked == "139****0000"
    assert resident.id_number_masked == ledger["a1"].id_number_masked  # left blank: unchanged


def test_reveal_shows_the_value_once_uncached_and_audited(login, actors, ledger):
    url = reverse("residents:reveal", args=[ledger["a1"].pk])
    response = login(actors["grid"]).post(url, {"field": "id_number", "reason": "核对身份"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert f'data-testid="revealed">{ID_A1}<' in response.content.decode()
    assert AuditEntry.objects.get(action="resident.reveal_pii").changes == {"field": [None, "id_number"], "reason": [None, "核对身份"]}
    assert login(actors["building"]).post(url, {"field": "phone", "reason": "x"}).status_code == 403
    assert login(actors["grid"]).get(url).status_code == 405


def test_register_a_household_and_a_member(login, actors, tree):
    client = login(actors["grid"])
    response = client.post(reverse("residents:household_create"), {"building": tree["building_a1"].pk,
                                                                  "room": "2单元201", "liaison": actors["grid"].pk})
    household = Household.objects.get(room="2单元201")
    assert response.url == reverse("residents:resident_create", args=[household.pk])
    assert household.liaison == actors["grid"]
    response = client.post(reverse("residents:resident_create", args=[household.pk]), {
        "name": "刘老汉", "relation": "head", "id_number": valid_id_number(datetime.date(1939, 9, 9), "M"),
        "moved_in_on": "1980-01-01"})
    assert response.status_code == 302
    body = client.get(reverse("residents:household", args=[household.pk])).content.decode()
    assert "刘老汉" in body and "1980-01-01" in body


def test_household_create_with_missing_room(login, actors, tree):
    response = login(actors["grid"]).post(reverse("residents:household_create"),
                                          {"building": tree["building_a1"].pk, "room": ""})
    assert '<p class="error" data-field="room">这个字段是必填项。</p>' in response.content.decode()


def test_import_upload_dry_run_then_confirm(login, actors, tree, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client = login(actors["worker"])
    file = xlsx([row(tree["building_a1"].code, "9单元901", "上传人", "户主", valid_id_number(sequence=777))])
    file.name = "台账.xlsx"
    response = client.post(reverse("residents:import"), {"file": file})
    assert response.status_code == 200 and Resident.objects.count() == 0
    token = response.context["token"]
    assert token and 'data-testid="import-confirm"' in response.content.decode()
    response = client.post(reverse("residents:import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Resident.objects.filter(name="上传人").exists()
    assert not list((tmp_path / "private" / "ledger_imports").iterdir())  # the pending file is gone
    response = client.post(reverse("residents:import_confirm"), {"token": token}, follow=True)
    assert "待导入的文件已失效，请重新上传。" in response.content.decode()


def test_import_page_reports_problems_by_row_and_column(login, actors, tree, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    file = xlsx([row(tree["building_a1"].code, "9单元901", "", "户主", "123")])
    file.name = "bad.xlsx"
    body = login(actors["worker"]).post(reverse("residents:import"), {"file": file}).content.decode()
    assert "<td>2</td><td>C 姓名</td><td>缺少必填项“姓名”。</td>" in body
    assert 'data-testid="import-confirm"' not in body


def test_import_pages_need_the_import_permission(login, actors):
    assert login(actors["grid"]).get(reverse("residents:import")).status_code == 404
    assert login(actors["grid"]).get(reverse("residents:import_template")).status_code == 404


def test_downloads(login, actors, ledger):
    client = login(actors["worker"])
    response = client.get(reverse("residents:export"), {"q": "张"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[3]][3] == "张德明" and [c.value for c in sheet[3]][9] == "138****5678"
    response = client.post(reverse("residents:personal_data", args=[ledger["a1"].pk]), {"reason": "本人申请"})
    assert json.loads(response.content)["resident"]["身份证号"] == ID_A1
    assert response["Content-Disposition"] == f'attachment; filename="resident-{ledger["a1"].pk}.json"'


def test_care_tag_and_liaison_pages(login, actors, ledger):
    client = login(actors["worker"])
    assert client.get(reverse("residents:care_tags")).status_code == 200
    body = client.get(reverse("residents:liaison")).content.decode()
    assert "1号楼1单元101" in body and "2号楼2单元202" in body
    assert client.get(reverse("residents:liaison_households", args=[actors["grid"].pk])).status_code == 200


def test_home_panel_shows_the_scope_figures(login, actors, ledger):
    body = login(actors["grid"]).get(reverse("home")).content.decode()
    assert 'data-testid="ledger-panel"' in body


def test_a_streets_figures_are_kept_for_minutes_and_say_so_a_communitys_are_live(actors, ledger):
    from django.core.cache import cache
    from django.test import Client

    def living(client):
        body = client.get(reverse("home")).content.decode()
        return int(re.search(r'<div class="value">([\d,]+)</div><div class="label">在住居民', body)[1]), body

    street, community = Client(), Client()
    street.force_login(actors["street"])
    community.force_login(actors["secretary"])
    (street_before, street_body), (community_before, community_body) = living(street), living(community)
    assert "as-of" in street_body and "as-of" not in community_body
    make_resident(ledger["h_a2"], "赵新来", relation="child")
    assert living(community)[0] == community_before + 1  # live
    assert living(street)[0] == street_before  # kept (one query less than a street's count per visit)
    cache.clear()  # five minutes later
    assert living(street)[0] == street_before + 1


def test_timeline_collects_registered_sources(login, actors, ledger):
    from minqing.residents import timeline

    def visits(*, actor, household, resident_ids):
        yield timeline.TimelineEntry(when=datetime.date(2026, 10, 1), kind="visit", title="国庆走访慰问")

    timeline.register_timeline_source("test-visits", visits, perm="visit.view")
    try:
        body = login(actors["grid"]).get(reverse("residents:household", args=[ledger["h_a1"].pk])).content.decode()
        assert "国庆走访慰问" in body
        body = login(actors["branch"]).get(reverse("residents:household", args=[ledger["h_a2"].pk])).content.decode()
        assert "国庆走访慰问" not in body  # the branch secretary has no visit.view
    finally:
        timeline._sources.pop("test-visits")


def test_household_and_resident_pages_have_bounded_queries(login, actors, ledger, django_assert_max_num_queries):
    from .factories import make_resident

    for n in range(8):
        make_resident(ledger["h_a1"], f"成员{n}", relation="grandchild", id_number=valid_id_number(sequence=600 + n))
    client = login(actors["worker"])
    with django_assert_max_num_queries(20):
        body = client.get(reverse("residents:household", args=[ledger["h_a1"].pk])).content.decode()
    assert "成员7" in body
    with django_assert_max_num_queries(20):
        assert client.get(reverse("residents:detail", args=[ledger["a1"].pk])).status_code == 200


def test_search_filters_by_place_and_tag_from_the_care_tag_page(login, actors, ledger, tree):
    from minqing.residents import services
    from minqing.residents.models import CareTag

    services.resident_tag_add(actor=actors["worker"], resident_id=ledger["a2"].pk,
                              tag_id=CareTag.objects.get(code="elder_alone").pk, start_date=datetime.date(2020, 1, 1))
    client = login(actors["worker"])
    body = client.get(reverse("residents:care_tags")).content.decode()
    link = f'?tag=elder_alone&place={tree["grid_a2"].code}'
    assert link in body
    body = client.get(reverse("residents:search"), {"tag": "elder_alone", "place": tree["grid_a2"].code}).content
    assert "王海燕" in body.decode() and "张德明" not in body.decode()
    body = client.get(reverse("residents:search"), {"q": "zdm", "place": "not-a-place"}).content.decode()
    assert "张德明" in body and "王海燕" not in body


def test_move_out_tag_and_head_through_the_pages(login, actors, ledger):
    from minqing.residents.models import CareTag

    client = login(actors["grid"])
    a1, spouse = ledger["a1"], ledger["a1_spouse"]
    response = client.post(reverse("residents:tag_add", args=[spouse.pk]), {
        "tag": CareTag.objects.get(code="elder_alone").pk, "start_date": "2024-01-01"})
    assert response.status_code == 302 and spouse.tags.get().tag.code == "elder_alone"
    response = client.post(reverse("residents:move_out", args=[a1.pk]), {"version": a1.version, "date": ""})
    assert '<p class="error" data-field="date">这个字段是必填项。</p>' in response.content.decode()
    response = client.post(reverse("residents:move_out", args=[a1.pk]), {
        "version": a1.version, "date": "2026-03-01", "to_text": "重庆主城", "reason": "随子女生活"})
    assert response.status_code == 302
    response = client.post(reverse("residents:household_set_head", args=[ledger["h_a1"].pk]),
                           {"resident": spouse.pk})
    ledger["h_a1"].refresh_from_db()
    assert ledger["h_a1"].head == spouse
    body = client.get(reverse("residents:household", args=[ledger["h_a1"].pk])).content.decode()
    assert "曾在本户居住" in body and "张德明</span> 迁出" in body  # former member and the timeline entry (the name is data)
    body = client.get(reverse("residents:search"), {"status": "moved_out"}).content.decode()
    assert "张德明" in body
