"""Insight on the demand pages: category suggestions at intake (logged), handler suggestions at dispatch,
similar demands with one-click linking, the reply check — each only from demands the actor may see."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.accounts.tests.factories import PartnerUnitFactory
from minqing.appeals.models import Appeal, Status
from minqing.appeals.taxonomy import Category
from minqing.insight.models import CategorySuggestionLog

from .factories import AppealFactory, appeal_in

pytestmark = pytest.mark.django_db

POLLUTION = "小区旁边的化工厂排放废气，空气污染严重，晚上还有噪音扰民"


@pytest.fixture(autouse=True)
def _no_community_model(settings, tmp_path):
    """Suggestions come from the committed baseline unless a test trains a community model here."""
    settings.MEDIA_ROOT = tmp_path


def _intake(client, actor, **data):
    client.force_login(actor)
    return client.post(reverse("appeals:intake"), data)


def test_suggest_step_shows_top_three_real_categories_without_saving(client, tree, actors):
    response = _intake(client, actors["secretary"], text=POLLUTION, place=tree["community_a"].pk, suggest="1")
    page = response.content.decode()
    assert response.status_code == 200 and not Appeal.objects.exists()
    shown = re.findall(r'data-testid="category-suggestion"><strong data-user-content>(.+?)</strong>', page)
    assert len(shown) == 3 and shown[0] == "环境卫生"
    assert set(shown) <= set(Category.objects.filter(parent__isnull=True).values_list("name", flat=True))
    assert "依据：" in page and "污染" in page.split('data-testid="category-suggestion"')[1]
    assert POLLUTION in page  # the draft comes back


def test_pick_puts_the_subcategory_into_the_form(client, tree, actors):
    noise = Category.objects.get(parent__name="环境卫生", name="噪声")
    page = _intake(client, actors["secretary"], text=POLLUTION, pick=str(noise.pk)).content.decode()
    assert f'<option value="{noise.pk}" selected data-user-content>' in page and not Appeal.objects.exists()


def test_json_endpoint_for_the_typing_worker(client, actors):
    client.force_login(actors["worker"])
    assert client.get(reverse("insight:suggest"), {"text": "入学"}).status_code == 405  # never in a query string
    data = client.post(reverse("insight:suggest"), {"text": "孩子今年上小学，划片入学政策咨询"}).json()
    assert data["model"] == "baseline" and len(data["suggestions"]) == 3
    first = data["suggestions"][0]
    assert first["name"] == "教育" and first["id"] == Category.objects.get(name="教育", parent=None).pk
    assert {"入学", "托幼", "助学"} == {c["name"] for c in first["children"]} and first["terms"]
    assert 0 < first["confidence"] <= 1


def test_json_endpoint_needs_intake_permission(client, actors):
    client.force_login(actors["partner"])
    assert client.post(reverse("insight:suggest"), {"text": POLLUTION}).status_code == 404


def test_registering_records_suggestion_and_choice(client, tree, actors):
    noise = Category.objects.get(parent__name="环境卫生", name="噪声")
    response = _intake(client, actors["secretary"], text=POLLUTION, place=tree["community_a"].pk,
                       category=noise.pk, channel="walk_in", kind="help", urgency="normal")
    assert response.status_code == 302
    log = CategorySuggestionLog.objects.get()
    assert log.appeal == Appeal.objects.get() and log.model_name == "baseline"
    assert log.suggested_top == "环境卫生" and log.chosen == "环境卫生" and log.accepted
    assert log.chosen_by == actors["secretary"] and len(log.suggested) == 3


def test_accuracy_page_counts_only_visible_demands(client, tree, actors):
    mine = AppealFactory(place=tree["building_a1"])
    theirs = AppealFactory(place=tree["building_b1"])
    CategorySuggestionLog.objects.create(appeal=mine, model_name="baseline", suggested=[], suggested_top="住房",
                                         confidence=0.5, chosen="住房")
    CategorySuggestionLog.objects.create(appeal=theirs, model_name="baseline", suggested=[], suggested_top="住房",
                                         confidence=0.5, chosen="物业")
    client.force_login(actors["secretary"])
    page = client.get(reverse("insight:accuracy")).content.decode()
    assert "已登记 1 件带分类的诉求" in page and "首选建议被采用的比例：1" in page
    client.force_login(actors["street"])
    assert "已登记 2 件带分类的诉求" in client.get(reverse("insight:accuracy")).content.decode()


def _dispatched(place, unit, n, **extra):
    return [appeal_in(Status.CLOSED, place=place, handler_unit=unit, **extra) for _ in range(n)]


def test_handler_suggestion_with_evidence_and_one_click_prefill(client, tree, actors):
    heat, other = PartnerUnitFactory(name="渝阳供热站", service_area=tree["street"]), PartnerUnitFactory(name="安居物业公司", service_area=tree["street"])
    _dispatched(tree["building_a1"], heat, 3)
    _dispatched(tree["building_a2"], other, 1)
    _dispatched(tree["building_b1"], other, 5)  # community B: the secretary of A does not see these
    new = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    client.force_login(actors["secretary"])
    page = client.get(reverse("appeals:detail", args=[new.pk])).content.decode()
    rows = re.findall(r'data-testid="handler-suggestion">(.+?)</li>', page, re.S)
    assert "渝阳供热站" in rows[0] and "诉求 4 件中承办 3 件" in rows[0] and "回访满意 3 件" in rows[0]
    assert "安居物业公司" in rows[1] and "共承办此类 1 件" in rows[1]
    prefilled = client.get(reverse("appeals:detail", args=[new.pk]), {"handler_unit": heat.pk}).content.decode()
    assert f'<option value="{heat.pk}" selected data-user-content>' in prefilled


def test_no_handler_suggestion_without_dispatch_right(client, tree, actors):
    _dispatched(tree["building_a1"], PartnerUnitFactory(name="渝阳供热站", service_area=tree["street"]), 2)
    new = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    client.force_login(actors["supervisor"])
    assert 'data-testid="handler-suggestions"' not in client.get(
        reverse("appeals:detail", args=[new.pk])).content.decode()


def test_similar_demands_only_from_the_visible_ones(client, tree, actors):
    text = "3号楼楼道灯坏了一个月，晚上上下楼很危险"
    seen = appeal_in(Status.CLOSED, place=tree["building_a2"], text=text, title="楼道灯坏了",
                     reply_text="已更换灯泡")
    hidden = AppealFactory(place=tree["building_b1"], text=text, title="楼道灯坏了")
    new = AppealFactory(place=tree["building_a1"], text=text, title="楼道灯坏了")
    client.force_login(actors["secretary"])
    page = client.get(reverse("appeals:detail", args=[new.pk])).content.decode()
    section = page.split('data-testid="similar-appeals"')[1].split("</section>")[0]
    assert seen.receipt_code in section and hidden.receipt_code not in section
    assert "已更换灯泡" in section and "满意" in section and 'data-testid="likely-duplicate"' in section
    assert 'data-testid="similar-merge"' not in section  # a duplicate merges into an open demand, not a closed one
    client.force_login(actors["street"])
    assert hidden.receipt_code in client.get(reverse("appeals:detail", args=[new.pk])).content.decode()


def test_one_click_merge_of_a_likely_duplicate_goes_through_the_service(client, tree, actors):
    text = "小区门口的路灯不亮已经两周了，晚上很黑"
    first = AppealFactory(place=tree["building_a1"], text=text, title="路灯不亮", status=Status.ACCEPTED)
    dup = AppealFactory(place=tree["building_a1"], text=text, title="路灯不亮")
    client.force_login(actors["secretary"])
    page = client.get(reverse("appeals:detail", args=[dup.pk])).content.decode()
    assert 'data-testid="similar-merge"' in page and 'data-testid="similar-link"' in page
    response = client.post(reverse("appeals:act", args=[dup.pk, "merge"]),
                           {"merge-version": dup.version, "merge-into": first.receipt_code})
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.status == Status.MERGED and dup.merged_into == first


def test_one_click_matter_link(client, tree, actors):
    text = "小区门口的路灯不亮已经两周了，晚上很黑"
    first = AppealFactory(place=tree["building_a1"], text=text, title="路灯不亮", status=Status.ACCEPTED)
    other = AppealFactory(place=tree["building_a2"], text=text + "，请尽快修", title="路灯不亮")
    client.force_login(actors["secretary"])
    response = client.post(reverse("appeals:act", args=[other.pk, "link"]),
                           {"link-version": other.version, "link-kind": "matter", "link-target": first.receipt_code})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.matter_id is not None and other.status == Status.SUBMITTED


def test_reply_check_scores_without_sending(client, tree, actors):
    appeal = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["secretary"],
                       leader=actors["secretary"], dispatched_at=timezone.now() - datetime.timedelta(days=1),
                       text="家里暖气一直不热，室温只有十四度。", title="暖气不热")
    client.force_login(actors["secretary"])
    draft = "已处理。"
    response = client.post(reverse("appeals:reply_check", args=[appeal.pk]), {
        "reply-version": appeal.version, "reply-outcome": "solved", "reply-text": draft})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="reply-score"' in page
    for key in ("relevance", "completeness", "explanation", "timeliness"):
        assert f'data-testid="reply-score-{key}"' in page
    assert "缺少：称呼" in page and "没有说明依据或原因" in page and draft in page
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS and appeal.reply_text == ""
    good = ("您好！您反映的暖气不热问题已收悉。经现场核实，系楼内管道阀门堵塞所致。根据《供热管理条例》规定，"
            "供热站已于当日更换阀门，室温已恢复到十八度以上。感谢您的监督，如有疑问请拨打联系电话。")
    page = client.post(reverse("appeals:reply_check", args=[appeal.pk]), {
        "reply-version": appeal.version, "reply-outcome": "solved", "reply-text": good}).content.decode()
    assert "称呼、复述、调查、措施、致谢俱全" in page and "说明了" in page


def test_reply_check_outside_scope_is_not_found(client, tree, actors):
    appeal = appeal_in(Status.IN_PROGRESS, place=tree["building_b1"])
    client.force_login(actors["secretary"])
    assert client.post(reverse("appeals:reply_check", args=[appeal.pk]), {"reply-text": "x"}).status_code == 404


def test_insight_panels_keep_the_demand_page_to_a_constant_number_of_queries(client, tree, actors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minqing.core.ttlcache import caches_clear

    def page_queries(n_past):
        units = [PartnerUnitFactory(name=f"单位{n_past}-{i}", service_area=tree["street"]) for i in range(3)]
        for i in range(n_past):
            appeal_in(Status.CLOSED, place=tree["building_a1"], handler_unit=units[i % 3],
                      title=f"暖气不热{i}", text=f"{i}号楼暖气不热，室温只有十四度")
        new = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
        caches_clear()  # both counts from cold per-process caches (the signed-in user, categories …)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("appeals:detail", args=[new.pk])).content.decode()
        assert page.count('data-testid="similar-appeal"') == 5
        assert page.count('data-testid="handler-suggestion"') == 3
        return len(captured)

    client.force_login(actors["secretary"])
    few = page_queries(6)
    many = page_queries(12)
    assert many == few and few <= 20, few


def test_hot_issues_page_query_count(client, tree, actors, django_assert_max_num_queries):
    for i in range(20):
        AppealFactory(place=tree["building_a1"], title="搅拌站噪音扰民", text=f"幸福小区搅拌站夜里噪音扰民{i}",
                      phone_hash=f"p{i}")
    client.force_login(actors["secretary"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("insight:hot")).content.decode()
    assert page.count('data-testid="hot-issue"') == 1 and "20 件 · 20 人" in page


def test_reply_check_needs_the_reply_verb(client, tree, actors):
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])  # not dispatched yet: nothing to reply
    client.force_login(actors["secretary"])
    assert client.post(reverse("appeals:reply_check", args=[appeal.pk]), {"reply-text": "x"}).status_code == 404


def test_public_intake_suggests_categories_without_saving(client, tree):
    response = client.post(reverse("appeals:public_intake"), {
        "place": tree["community_a"].pk, "phone": "13912345678", "text": POLLUTION, "suggest": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and not Appeal.objects.exists()
    assert re.findall(r'data-testid="category-suggestion"><strong data-user-content>(.+?)</strong>', page)[0] == "环境卫生"
    assert "13912345678" in page and not CategorySuggestionLog.objects.exists()
    noise = Category.objects.get(parent__name="环境卫生", name="噪声")
    page = client.post(reverse("appeals:public_intake"), {"text": POLLUTION, "pick": noise.pk}).content.decode()
    assert f'<option value="{noise.pk}" selected data-user-content>' in page


def test_accepting_a_public_demand_records_suggestion_and_choice_once(client, tree, actors):
    appeal = AppealFactory(place=tree["building_a1"], category=None, channel="web", text=POLLUTION)
    noise = Category.objects.get(parent__name="环境卫生", name="噪声")
    client.force_login(actors["secretary"])
    response = client.post(reverse("appeals:act", args=[appeal.pk, "accept"]), {
        "accept-version": appeal.version, "accept-category": noise.pk, "accept-urgency": "normal"})
    assert response.status_code == 302
    log = CategorySuggestionLog.objects.get(appeal=appeal)
    assert (log.suggested_top, log.chosen, log.chosen_by) == ("环境卫生", "环境卫生", actors["secretary"])
    logged = AppealFactory(place=tree["building_a1"], text=POLLUTION)
    CategorySuggestionLog.objects.create(appeal=logged, model_name="baseline", suggested=[], suggested_top="环境卫生",
                                         confidence=0.9, chosen="水电暖气")
    client.post(reverse("appeals:act", args=[logged.pk, "accept"]), {
        "accept-version": logged.version, "accept-category": noise.pk, "accept-urgency": "normal"})
    assert CategorySuggestionLog.objects.filter(appeal=logged).count() == 1


@pytest.mark.parametrize("url_name", ["appeals:intake", "appeals:public_intake"])
def test_the_forms_own_button_stays_the_default_for_enter(client, actors, url_name):
    client.force_login(actors["secretary"])
    page = client.get(reverse(url_name)).content.decode()
    form = page[page.index('enctype="multipart/form-data"'):]
    assert form.index('class="primary') < form.index('name="suggest"')


def test_no_link_button_for_a_demand_already_on_the_same_matter(client, tree, actors):
    text = "小区门口的路灯不亮已经两周了，晚上很黑"
    first = AppealFactory(place=tree["building_a1"], text=text, title="路灯不亮", status=Status.ACCEPTED)
    other = AppealFactory(place=tree["building_a2"], text=text, title="路灯不亮")
    client.force_login(actors["secretary"])
    client.post(reverse("appeals:act", args=[other.pk, "link"]),
                {"link-version": other.version, "link-kind": "matter", "link-target": first.receipt_code})
    other.refresh_from_db()
    assert other.matter_id
    page = client.get(reverse("appeals:detail", args=[other.pk])).content.decode()
    assert first.receipt_code in page.split('data-testid="similar-appeals"')[1]
    assert 'data-testid="similar-link"' not in page and "已是同一事项" in page
