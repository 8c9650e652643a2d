"""Pages: success, permission denied, not found, invalid input; query budgets; the minutes PDF by text;
the stability assessment's consultation linked to a meeting."""
import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.disputes.models import Consultation
from minqing.disputes.services.assessment import assessment_open, consultation_add
from minqing.core.errors import ValidationError
from minqing.meetings import receptions, services
from minqing.meetings.figures import meeting_figures
from minqing.meetings.models import Meeting, MeetingKind, MeetingStatus, OpinionStatus

from . import factories as mk

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return [mk.resident(tree["building_a1"], name) for name in ("张三", "李四", "王五")]


@pytest.fixture
def forum(actors, tree):
    return mk.series(actors["secretary"], tree["community_a"], MeetingKind.FORUM, "A社区民情恳谈会")


def test_list_page_query_budget(client, actors, forum, people, django_assert_max_num_queries):
    for days in range(1, 13):
        meeting = mk.held(actors["secretary"], forum, people, days_ago=days * 30)
        mk.opinion(actors["secretary"], meeting, people[0], answer="已答复")
    client.force_login(actors["secretary"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:list"))
    assert response.status_code == 200 and response.content.decode().count("A社区民情恳谈会") == 12


def test_reception_list_query_budget(client, actors, tree, django_assert_max_num_queries):
    for days in range(10):
        mk.reception(actors["secretary"], actors["secretary"], tree["community_a"],
                     day=timezone.localdate() - datetime.timedelta(days=days))
    client.force_login(actors["secretary"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("meetings:receptions")).status_code == 200


def test_detail_query_budget(client, actors, forum, people, django_assert_max_num_queries):
    first = mk.held(actors["secretary"], forum, people, days_ago=40)
    for n in range(5):
        mk.opinion(actors["secretary"], first, people[n % 3], text=f"第{n}条意见内容较长", to_demand=n % 2 == 0)
    second = mk.held(actors["secretary"], forum, people, days_ago=5)
    for n in range(5):
        mk.opinion(actors["secretary"], second, people[n % 3], text=f"本次第{n}条意见", to_demand=n % 2 == 1)
    client.force_login(actors["secretary"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("meetings:detail", args=[second.pk]))
    assert response.status_code == 200 and "第4条意见内容较长" in response.content.decode()


def test_pages_hidden_from_roles_without_meetings(client, actors, forum, people):
    meeting = mk.meeting(actors["secretary"], forum, residents=people)
    for role in ("grid", "building", "partner"):
        client.force_login(actors[role])
        assert client.get(reverse("meetings:list")).status_code == 404
        assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404


def test_supervisor_reads_but_cannot_act(client, actors, forum, people):
    meeting = mk.meeting(actors["secretary"], forum, residents=people)
    client.force_login(actors["supervisor"])
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    response = client.post(reverse("meetings:act", args=[meeting.pk, "cancel"]),
                           {"version": meeting.version, "reason": "改期"})
    assert response.status_code == 403
    assert Meeting.objects.get().status == MeetingStatus.PLANNED


def test_other_community_meeting_is_not_found(client, actors, tree):
    b_meeting = mk.meeting(actors["admin"], mk.series(actors["admin"], tree["community_b"], MeetingKind.FORUM, "B会"))
    client.force_login(actors["secretary"])
    assert client.get(reverse("meetings:detail", args=[b_meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:minutes_pdf", args=[b_meeting.pk])).status_code == 404


def test_call_meeting_through_the_form(client, actors, forum, people):
    client.force_login(actors["secretary"])
    url = reverse("meetings:new")
    assert client.get(url).status_code == 200
    response = client.post(url, {"series": forum.pk, "starts_at": "2026-12-01T19:00", "location": ""})
    assert response.status_code == 200 and 'data-field="location"' in response.content.decode()
    response = client.post(url, {"series": forum.pk, "starts_at": "2026-12-01T19:00", "location": "三楼会议室",
                                 "staff": [actors["worker"].pk]})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.invitees.get().user == actors["worker"]
    response = client.post(reverse("meetings:invite", args=[meeting.pk]), {"resident": [p.pk for p in people]})
    assert meeting.invitees.count() == 4


def test_hold_with_too_many_present_shows_the_field_error(client, actors, forum, people):
    meeting = mk.meeting(actors["secretary"], forum, residents=people)
    client.force_login(actors["secretary"])
    response = client.post(reverse("meetings:act", args=[meeting.pk, "hold"]),
                           {"version": meeting.version, "attendance_count": 9})
    assert response.status_code == 422
    assert "实到人数（9）不能超过应到人数（3）" in response.content.decode()


def test_close_refusal_is_shown(client, actors, forum, people):
    meeting = mk.held(actors["secretary"], forum, people)
    mk.opinion(actors["secretary"], meeting, people[0])
    services.meeting_minutes_save(actor=actors["secretary"], meeting=meeting, minutes="纪要")
    meeting = services.meeting_approve(actor=actors["secretary"], meeting=meeting)
    client.force_login(actors["secretary"])
    response = client.post(reverse("meetings:act", args=[meeting.pk, "close"]), {"version": meeting.version})
    assert response.status_code == 422 and "既未答复也未转为诉求" in response.content.decode()


def test_opinion_form_and_demand_button(client, actors, forum, people):
    meeting = mk.held(actors["secretary"], forum, people)
    client.force_login(actors["worker"])
    response = client.post(reverse("meetings:act", args=[meeting.pk, "opinion"]),
                           {"resident": people[0].pk, "text": "短", "how": "open"})
    assert response.status_code == 422 and "至少 5 个字" in response.content.decode()
    client.post(reverse("meetings:act", args=[meeting.pk, "opinion"]),
                {"resident": people[0].pk, "text": "小区垃圾清运不及时", "how": "open"})
    opinion = meeting.opinions.get()
    client.post(reverse("meetings:opinion_act", args=[opinion.pk, "demand"]), {"version": opinion.version})
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.DEMAND and opinion.resident == people[0]


def test_minutes_pdf_has_report_back_by_text(client, actors, forum, people, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    secretary = actors["secretary"]
    first = mk.held(secretary, forum, people, days_ago=30)
    demand = mk.opinion(secretary, first, people[0], text="小区南门路灯不亮", to_demand=True)
    mk.opinion(secretary, first, people[1], text="希望增加健身器材", answer="已列入明年计划")
    second = mk.held(secretary, forum, people, days_ago=1)
    services.decision_add(actor=secretary, meeting=second, text="东门增设非机动车棚", votes_for=2, votes_against=0,
                          votes_abstain=1)
    services.meeting_minutes_save(actor=secretary, meeting=second, minutes="与会居民讨论了停车问题。")
    client.force_login(secretary)
    response = client.get(reverse("meetings:minutes_pdf", args=[second.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split()).replace("—", "")  # a long code may be hyphenated at a line end
    for expected in ("会议纪要", "上次会议意见办理情况", "小区南门路灯不亮", demand.appeal.receipt_code, "待受理",
                     "希望增加健身器材", "已列入明年计划", "东门增设非机动车棚", "赞成2", "与会居民讨论了停车问题"):
        assert expected in flat, expected


def test_notice_pdf(client, actors, forum, people):
    meeting = mk.meeting(actors["secretary"], forum, residents=people, days_ago=-1)
    client.force_login(actors["worker"])
    response = client.get(reverse("meetings:notice_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_figures(client, actors, forum, people, tree):
    secretary = actors["secretary"]
    first = mk.held(secretary, forum, people, days_ago=30)
    mk.opinion(secretary, first, people[0], answer="已答复")
    mk.opinion(secretary, first, people[1], text="楼顶漏水需要维修", to_demand=True)
    mk.opinion(secretary, first, people[2])
    second = mk.held(secretary, forum, people, days_ago=2)
    mk.opinion(secretary, second, people[0], answer="已答复")
    reception = receptions.reception_record(actor=secretary, reception=mk.reception(secretary, secretary, tree["community_a"]),
                                            visitors_count=2)
    services.opinion_add(actor=secretary, reception=reception, speaker="来访群众", text="咨询廉租房申请条件",
                         answer="已当场解释")
    today = timezone.localdate()
    figures = meeting_figures(actor=secretary, start=today - datetime.timedelta(days=60), end=today)
    o = figures["opinions"]
    assert figures["total"] == 2 and figures["by_place"]["A社区"][MeetingKind.FORUM] == 2
    assert (o["raised"], o["answered"], o["demands"], o["open"], o["resolved"]) == (5, 3, 1, 1, 3)
    assert (o["reported_back"], o["due_report"], o["reported_share"]) == (3, 3, 100.0)
    assert figures["leaders"][0]["n"] == 1 and figures["leaders"][0]["requests"] == 1
    client.force_login(secretary)
    assert client.get(reverse("meetings:figures")).status_code == 200


def test_assessment_consultation_links_to_a_held_meeting(client, actors, forum, people, tree):
    secretary = actors["secretary"]
    assessment = assessment_open(actor=secretary, place=tree["community_a"], decision="供暖收费标准调整", decision_maker="街道办事处", background="老旧小区供暖改造",
                                 affected_people=300)
    planned = mk.meeting(secretary, forum, residents=people, days_ago=-1)
    with pytest.raises(ValidationError) as error:
        consultation_add(actor=secretary, assessment_id=assessment.pk, method="meeting", held_on=timezone.localdate(),
                         summary="多数赞成", meeting=planned)
    assert "尚未召开" in str(error.value.fields["meeting"][0])
    held = mk.held(secretary, forum, people)
    with pytest.raises(ValidationError):
        consultation_add(actor=secretary, assessment_id=assessment.pk, method="survey", held_on=timezone.localdate(),
                         summary="多数赞成", meeting=held)
    client.force_login(secretary)
    page = client.get(reverse("disputes:assessment_detail", args=[assessment.pk])).content.decode()
    choices = page.split('name="meeting"')[1].split("</select>")[0]
    assert f'value="{held.pk}"' in choices and f'value="{planned.pk}"' not in choices
    response = client.post(reverse("disputes:assessment_act", args=[assessment.pk, "consult"]), {
        "method": "meeting", "held_on": timezone.localdate().isoformat(), "people_count": 3, "support_count": 2,
        "summary": "多数赞成", "meeting": held.pk})
    assert response.status_code == 302
    assert Consultation.objects.get().meeting == held
    assert "consultation-meeting" in client.get(reverse("disputes:assessment_detail", args=[assessment.pk])).content.decode()
