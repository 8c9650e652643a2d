"""Intake (worker, ledger resident, public), photos, and the 三定 dispatch with SLA deadlines in working days."""
import datetime
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from minqing.appeals import services
from minqing.appeals.models import AppealEvent, Status
from minqing.appeals.taxonomy import Category, ServiceLevel
from minqing.appeals.taxonomy_services import category_create, category_import_csv, service_level_for, service_level_set
from minqing.appeals.tokens import token_matches
from minqing.core.errors import NotFound, RateLimited, ValidationError
from minqing.workdays.calendar import SHANGHAI

from .factories import appeal_in

pytestmark = pytest.mark.django_db


def image_upload(name="p.jpg", fmt="JPEG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def heating_category():
    return Category.objects.get(name="供暖")


def test_public_submit_gives_receipt_and_secret_token(tree):
    appeal = services.appeal_submit(actor=None, place=tree["community_a"], channel="phone",
                                    phone="13912345678", text="楼道灯坏了一个月没人修")
    assert appeal.channel == "web"  # the public page is always the web channel
    assert len(appeal.receipt_code) == 11 and token_matches(appeal, appeal.tracking_token)
    assert appeal.tracking_token not in appeal.token_hash
    assert appeal.title == "楼道灯坏了一个月没人修" and appeal.status == Status.SUBMITTED
    assert AppealEvent.objects.get(appeal=appeal).verb == "submit"


def test_public_submit_needs_phone_and_text(tree):
    with pytest.raises(ValidationError) as exc:
        services.appeal_submit(actor=None, place=tree["community_a"], channel="web", phone="", text="短")
    assert exc.value.fields == {"text": ["请用至少 5 个字描述问题。"], "phone": ["请留下联系电话，以便我们回复您。"]}


def test_public_submit_is_rate_limited_per_phone(tree):
    for _ in range(10):
        services.appeal_submit(actor=None, place=tree["community_a"], channel="web", phone="13912345678",
                               text="同一个号码反复提交")
    with pytest.raises(RateLimited):
        services.appeal_submit(actor=None, place=tree["community_a"], channel="web", phone="13912345678",
                               text="同一个号码反复提交")


def test_worker_intake_in_scope_only(tree, actors):
    with pytest.raises(NotFound):
        services.appeal_submit(actor=actors["worker"], place=tree["building_b1"], channel="walk_in", text="B社区的问题")
    appeal = services.appeal_submit(actor=actors["grid"], place=tree["building_a1"], channel="visit",
                                    text="走访发现独居老人家中漏水")
    assert appeal.created_by == actors["grid"] and appeal.phone_masked == ""


def test_photos_are_checked(tree, actors, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    appeal = services.appeal_submit(actor=actors["worker"], place=tree["building_a1"], channel="walk_in",
                                    text="垃圾堆在楼道口", photos=[image_upload(), image_upload("b.png", "PNG")])
    assert [p.content_type for p in appeal.photos.all()] == ["image/jpeg", "image/png"]
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.appeal_submit(actor=actors["worker"], place=tree["building_a1"], channel="walk_in",
                               text="垃圾堆在楼道口", photos=[fake])
    assert exc.value.fields == {"photos": ["无法识别的图片：x.jpg"]}
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(ValidationError) as exc:
        services.appeal_submit(actor=actors["worker"], place=tree["building_a1"], channel="walk_in",
                               text="垃圾堆在楼道口", photos=[SimpleUploadedFile("g.gif", gif.getvalue())])
    assert exc.value.fields == {"photos": ["只接受 JPG、PNG 或 WebP 照片。"]}
    big = image_upload()
    big.size = 6 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        services.appeal_submit(actor=actors["worker"], place=tree["building_a1"], channel="walk_in",
                               text="垃圾堆在楼道口", photos=[big])
    assert exc.value.fields == {"photos": ["照片不能超过 5 MB：p.jpg"]}
    with pytest.raises(ValidationError):
        services.appeal_submit(actor=actors["worker"], place=tree["building_a1"], channel="walk_in",
                               text="垃圾堆在楼道口", photos=[image_upload() for _ in range(5)])


def test_service_level_lookup_child_parent_default():
    heat = heating_category()
    assert (service_level_for(heat, "normal").response_days, service_level_for(heat, "normal").handle_days) == (1, 3)
    other = Category.objects.get(name="宠物")  # 邻里关系 has no own row → default
    assert service_level_for(other, "normal").handle_days == 5
    assert service_level_for(None, "critical").handle_days == 1


def _at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_dispatch_deadline_counts_working_days_over_national_day(tree, actors):
    # given a heating demand (3 working days) dispatched on Tuesday 30 Sept 2025
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"], category=heating_category())
    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 9, 30, 10)):
        services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["secretary"],
                                 handler_user=actors["worker"])
    appeal.refresh_from_db()
    # then: 1–8 Oct are holidays, 9, 10, 11 (Saturday make-up day) are working days
    assert appeal.handle_deadline == _at(2025, 10, 11, 23, 59, 59)
    assert appeal.dispatched_by == actors["secretary"] and appeal.first_response_at is not None


def test_dispatch_deadline_into_2027_uses_the_fallback(tree, actors):
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"], category=Category.objects.get(name="养老金"))
    with mock.patch("django.utils.timezone.now", return_value=_at(2026, 12, 21, 9)):
        services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["secretary"],
                                 handler_user=actors["worker"])
    appeal.refresh_from_db()
    # 15 working days from Mon 21 Dec 2026: 22–25, 28–31 Dec (8), 1 Jan is 元旦, 4–8 Jan (13), 11–12 Jan (15)
    assert appeal.handle_deadline.astimezone(SHANGHAI).date() == datetime.date(2027, 1, 12)


def test_edited_service_level_changes_new_deadlines(tree, actors):
    service_level_set(actor=actors["admin"], category=heating_category(), urgency="normal", response_days=1, handle_days=7)
    assert service_level_for(heating_category(), "normal").handle_days == 7
    with pytest.raises(ValidationError) as exc:
        service_level_set(actor=actors["admin"], category=None, urgency="normal", response_days=3, handle_days=1)
    assert exc.value.fields == {"handle_days": ["办理时限应在 0–120 个工作日之间，且不短于响应时限。"]}
    with pytest.raises(NotFound):
        service_level_set(actor=actors["worker"], category=None, urgency="normal", response_days=1, handle_days=5)


def test_dispatch_validates_three_fixes(tree, actors, heating):
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    with pytest.raises(ValidationError) as exc:
        services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["secretary"],
                                 handler_user=actors["worker"], handler_unit=heating["unit"])
    assert exc.value.fields == {"handler_user": ["请指定一名承办人或一个协办单位（二选一）。"]}
    with pytest.raises(ValidationError) as exc:
        services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["building"],
                                 handler_user=actors["branch"],
                                 deadline=timezone.now() - datetime.timedelta(hours=1))
    assert set(exc.value.fields) == {"leader", "handler_user", "deadline"}
    services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["secretary"],
                             handler_unit=heating["unit"])
    appeal.refresh_from_db()
    assert appeal.handler_unit == heating["unit"] and appeal.status == Status.DISPATCHED


def test_reply_pending_needs_plan_and_date(tree, actors):
    appeal = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"])
    with pytest.raises(ValidationError) as exc:
        services.appeal_reply(actor=actors["worker"], appeal_id=appeal.pk, outcome="pending", text="需要资金")
    assert exc.value.fields == {"plan": ["暂缓解决的诉求须写明解决计划。"], "plan_date": ["请填写今后的计划解决日期。"]}
    services.appeal_reply(actor=actors["worker"], appeal_id=appeal.pk, outcome="pending", text="已列入明年维修计划",
                          plan="申请维修基金更换管道", plan_date=timezone.localdate() + datetime.timedelta(days=60))
    appeal.refresh_from_db()
    assert appeal.outcome == "pending" and appeal.plan_date is not None and appeal.replied_at is not None


def test_reply_after_deadline_is_overdue(tree, actors):
    appeal = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"],
                       handle_deadline=timezone.now() - datetime.timedelta(hours=1))
    services.appeal_reply(actor=actors["worker"], appeal_id=appeal.pk, outcome="solved", text="已修好")
    appeal.refresh_from_db()
    assert appeal.is_overdue is True


def test_dissatisfied_reopens_and_counts(tree, actors):
    appeal = appeal_in(Status.REPLIED, place=tree["building_a1"], handler=actors["worker"])
    services.appeal_follow_up(actor=actors["secretary"], appeal_id=appeal.pk, satisfaction="dissatisfied",
                              note="电话回访，居民说暖气还是不热")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.reopen_count, appeal.follow_up_by) == (Status.REOPENED, 1, "staff")
    services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["secretary"],
                             handler_user=actors["worker"])
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED


def test_return_counts_and_frees_the_partner_unit(tree, actors, heating):
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, leader=actors["secretary"],
                             handler_unit=heating["unit"])
    services.appeal_return(actor=heating["user"], appeal_id=appeal.pk, reason="这是物业的管道，不归供热站")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.return_count, appeal.handler_unit) == (Status.RETURNED, 1, None)
    with pytest.raises(NotFound):
        services.appeal_start(actor=heating["user"], appeal_id=appeal.pk)


def test_taxonomy_is_two_levels_and_editable(actors):
    top = category_create(actor=actors["admin"], name="养犬管理")
    child = category_create(actor=actors["admin"], name="犬只扰民", parent=top)
    with pytest.raises(ValidationError) as exc:
        category_create(actor=actors["admin"], name="三级", parent=child)
    assert exc.value.fields == {"parent": ["分类只有两级：上级必须是一级分类。"]}


def test_import_government_taxonomy_csv(actors, tmp_path):
    path = tmp_path / "taxonomy.csv"
    path.write_text("一级分类,二级分类,三级分类\n城乡建设,城市建设和市政管理,冬季采暖\n城乡建设,安全生产,安全隐患\n"
                    "劳动和社会保障,社会保险,养老保险\n", encoding="utf-8")
    assert category_import_csv(actor=actors["admin"], path=path) == (2, 3)
    assert Category.objects.get(name="城市建设和市政管理·冬季采暖").parent.name == "城乡建设"
    assert category_import_csv(actor=actors["admin"], path=path) == (0, 0)  # idempotent
    assert ServiceLevel.objects.filter(category__isnull=True).count() == 3


def test_import_the_shared_tipdm_file_if_present(actors):
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.BASE_DIR).parent / "shared" / "data" / "tipdm2020" / "taxonomy.csv"
    if not path.exists():
        pytest.skip("shared data not mounted")
    tops, children = category_import_csv(actor=actors["admin"], path=path)
    assert tops >= 10 and children >= 400


def test_import_command_reads_the_file_where_it_lies(actors, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "tree.csv"
    path.write_text("一级分类,二级分类,三级分类\n交通运输,公路,路面破损\n", encoding="utf-8")
    call_command("appeal_taxonomy_import", str(path), "--as-user", "t_admin")
    assert Category.objects.filter(name="公路·路面破损", parent__name="交通运输").exists()
    with pytest.raises(CommandError):
        call_command("appeal_taxonomy_import", str(tmp_path / "missing.csv"), "--as-user", "t_admin")
