"""The public board: no login, drafts hidden, revisions visible, welfare notices masked, objections filed."""
import re

import pytest
from django.urls import reverse

from minqing.core.errors import TransitionNotAllowed, ValidationError
from minqing.disclosure import services
from minqing.disclosure.models import NoticeKind, NoticeStatus
from minqing.residents.tests.factories import valid_id_number
from minqing.welfare.models import Objection
from minqing.welfare.tests.factories import appraise, dibao_programme, household_with_members, submit, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(tree, actors):
    n = services.notice_create(actor=actors["secretary"], community=tree["community_a"], kind=NoticeKind.FINANCE,
                               title="2026年第三季度财务公开", body="维修基金支出 12,000 元\n办公经费 3,000 元")
    return services.notice_publish(actor=actors["secretary"], notice=n)


def test_drafts_are_not_public(client, tree, actors):
    draft = services.notice_create(actor=actors["secretary"], community=tree["community_a"], kind=NoticeKind.NOTICE,
                                   title="草稿通知", body="尚未发布")
    assert client.get(reverse("disclosure:notice", args=[draft.pk])).status_code == 404
    board = client.get(reverse("disclosure:board", args=[tree["community_a"].code]))
    assert board.status_code == 200 and "草稿通知" not in board.content.decode()


def test_edit_after_publication_shows_what_changed_and_when(client, notice, actors):
    with pytest.raises(ValidationError) as info:
        services.notice_update(actor=actors["secretary"], notice=notice, title=notice.title,
                               body="维修基金支出 12,400 元\n办公经费 3,000 元")
    assert info.value.fields == {"reason": ["已发布的事项修改后会公开显示修改记录，请填写修改说明。"]}
    services.notice_update(actor=actors["secretary"], notice=notice, title=notice.title,
                           body="维修基金支出 12,400 元\n办公经费 3,000 元", reason="更正笔误")
    html = client.get(reverse("disclosure:notice", args=[notice.pk])).content.decode()
    assert "修改记录" in html and "更正笔误" in html
    assert "维修基金支出 12,000 元" in html and "维修基金支出 12,400 元" in html  # the old line and the new
    assert notice.revisions.count() == 2


def test_withdrawal_is_public_with_its_reason(client, notice, actors):
    services.notice_withdraw(actor=actors["secretary"], notice=notice, reason="数据有误，核对后重发")
    html = client.get(reverse("disclosure:notice", args=[notice.pk])).content.decode()
    assert " 撤回：<span data-user-content>数据有误，核对后重发</span>" in html  # the reason is data
    assert "数据有误，核对后重发" in html
    with pytest.raises(TransitionNotAllowed):
        services.notice_update(actor=actors["secretary"], notice=notice, title="x", body="y", reason="z")


def test_only_publishers_in_scope(tree, actors):
    from minqing.core.errors import NotFound, PermissionDenied

    with pytest.raises(PermissionDenied):
        services.notice_create(actor=actors["worker"], community=tree["community_a"], kind="notice", title="t", body="b")
    with pytest.raises(NotFound):
        services.notice_create(actor=actors["secretary"], community=tree["community_b"], kind="notice", title="t",
                               body="b")


def test_pdf_is_served(client, notice):
    response = client.get(reverse("disclosure:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_figures_page_counts_demands(client, tree):
    response = client.get(reverse("disclosure:figures", args=[tree["community_a"].code]))
    assert response.status_code == 200 and "诉求月度数据" in response.content.decode()


# --- the welfare public notice ----------------------------------------------------------------------

ID_RE = re.compile(r"\d{17}[\dX]|\d{15}")
PHONE_RE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def welfare_notice(tree, actors):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    worker2 = user_with_role(Role.COMMUNITY_WORKER, tree["community_a"], username="t_w2")
    household, members = household_with_members(tree["building_a1"], names=("张三丰", "李秀英"))
    # give the applicant an ID number and a phone, as the ledger would
    from minqing.residents.services import apply_identity

    head = members[0]
    id_number, phone = valid_id_number(), "13812345678"
    apply_identity(head, {"name": head.name, "relation": "head", "sex": "M", "birth_date": None,
                          "id_number": id_number, "phone": phone})
    head.save()
    application = submit(actors["worker"], dibao_programme(tree["street"]), household)
    application = appraise(actors["secretary"], verify(actors["worker"], application, worker2))
    return {"application": application, "id_number": id_number, "phone": phone, "names": ["张三丰", "李秀英"]}


def test_welfare_notice_masks_names_and_never_shows_ids_or_phones(client, welfare_notice, tree):
    application = welfare_notice["application"]
    pages = [reverse("disclosure:board", args=[tree["community_a"].code]),
             reverse("disclosure:notice", args=[application.notice_id]),
             reverse("disclosure:public_index")]
    for url in pages:
        html = client.get(url).content.decode()
        for full in welfare_notice["names"]:
            assert full not in html, (url, full)
        assert welfare_notice["id_number"] not in html and welfare_notice["id_number"][-6:] not in html
        assert not ID_RE.search(html) and not PHONE_RE.search(html), url
        assert application.household.room not in html  # the building, never the door
    assert "张*丰" in client.get(pages[1]).content.decode()


def test_objection_form_files_an_objection_without_login(client, welfare_notice):
    application = welfare_notice["application"]
    url = reverse("disclosure:objection", args=[application.notice_id])
    response = client.post(url, {"text": "该户家中有营运货车一辆", "phone": "13900001111"})
    assert response.status_code == 200 and "异议已收到" in response.content.decode()
    objection = Objection.objects.get()
    assert objection.application == application and objection.phone_masked == "139****1111"
    assert "13900001111" not in objection.phone_cipher


def test_objection_form_errors_are_shown_field_by_field(client, welfare_notice):
    url = reverse("disclosure:objection", args=[welfare_notice["application"].notice_id])
    html = client.post(url, {"text": "", "phone": "abc"}).content.decode()
    assert "请填写正确的电话号码。" in html and Objection.objects.count() == 0


def test_honeypot_drops_bots(client, welfare_notice):
    url = reverse("disclosure:objection", args=[welfare_notice["application"].notice_id])
    client.post(url, {"text": "广告广告广告", "website": "http://spam"})
    assert Objection.objects.count() == 0


def test_objections_only_on_notices_that_take_them(client, notice):
    response = client.post(reverse("disclosure:objection", args=[notice.pk]), {"text": "不同意"})
    assert response.status_code == 404


def test_closed_notice_shows_the_closing_revision(client, welfare_notice, monkeypatch, actors):
    import datetime

    from django.utils import timezone

    from minqing.welfare import services as welfare_services

    application = welfare_notice["application"]
    later = application.notice_end + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    welfare_services.application_close_notice(actor=actors["worker"], application=application)
    html = client.get(reverse("disclosure:notice", args=[application.notice_id])).content.decode()
    assert "公示期满" in html and "提交异议" not in html


def test_board_status_of_a_notice(welfare_notice):
    assert welfare_notice["application"].notice.status == NoticeStatus.PUBLISHED


def test_month_figures_count_the_communitys_demands_with_the_dashboards_rates(client, tree, actors):
    from django.utils import timezone

    from minqing.appeals.services import appeal_submit
    from minqing.disclosure.figures import month_figures

    for building in ("building_a1", "building_a2", "building_a1", "building_b1"):
        appeal_submit(actor=actors["admin"], place=tree[building], text="暖气不热，室温只有十五度", channel="phone")
    today = timezone.localdate()
    figures = month_figures(community_code=tree["community_a"].code, year=today.year, month=today.month)
    # three demands in community A this month (B's is not counted), none answered yet: response rate 0,
    # resolution and satisfaction undefined (no replies, no ratings) — shown as "—", not 0 %.
    assert (figures.received, figures.closed) == (3, 0)
    assert figures.rates == {"response": 0.0, "resolution": None, "satisfaction": None}
    html = client.get(reverse("disclosure:board", args=[tree["community_a"].code])).content.decode()
    assert 'data-testid="month-figures"' in html and ">3<" in html


def test_objections_are_limited_per_address_and_hour(client, welfare_notice):
    url = reverse("disclosure:objection", args=[welfare_notice["application"].notice_id])
    for n in range(5):
        assert "异议已收到" in client.post(url, {"text": f"第{n}条异议内容"}).content.decode()
    html = client.post(url, {"text": "第六条异议内容"}).content.decode()
    assert "请求过于频繁，请稍后再试。" in html and Objection.objects.count() == 5


def test_twelve_months_in_one_query_agree_with_month_by_month(tree, actors, django_assert_max_num_queries):
    from django.utils import timezone

    from minqing.appeals.services import appeal_submit
    from minqing.disclosure.figures import month_figures, months_figures, recent_months

    for building in ("building_a1", "building_a2"):
        appeal_submit(actor=actors["admin"], place=tree[building], text="楼道灯坏了好几天", channel="phone")
    months = recent_months(timezone.localdate(), 12)
    with django_assert_max_num_queries(1):
        grouped = months_figures(community_code=tree["community_a"].code, months=months)
    single = [month_figures(community_code=tree["community_a"].code, year=y, month=m) for y, m in months]
    assert [(f.received, f.closed, f.rates) for f in grouped] == [(f.received, f.closed, f.rates) for f in single]
    assert grouped[-1].received == 2
