"""The insight app wired to demands: the TipDM → default mapping, the community model taking over, the
weekly training job, the demo builder's held-out check, and the hot issues page in scope."""
import datetime
import os
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.accounts.navigation import nav_for
from minqing.appeals.default_taxonomy import DEFAULT_TAXONOMY
from minqing.appeals.models import Status
from minqing.appeals.taxonomy import Category
from minqing.appeals.tests.factories import AppealFactory, appeal_in
from minqing.insight import classifier, communitymodel, demo, jobs
from minqing.insight.selectors import category_model, intake_category_suggestions
from minqing.insight.taxonomymap import TIPDM_TO_DEFAULT

HEATING = ["%d号楼暖气不热室温很低", "%d号楼暖气片漏水", "%d号楼暖气时冷时热", "%d号楼暖气管道异响"]
WASTE = ["%d号楼旁垃圾桶满了没人清运", "%d号楼附近有人倾倒建筑垃圾", "%d号楼垃圾堆放发臭", "%d号楼垃圾清运不及时"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _closed_history(tree, n=6):
    heating = Category.objects.get(parent__name="水电暖气", name="供暖")
    waste = Category.objects.get(parent__name="环境卫生", name="垃圾清运")
    for i in range(n):
        for templates, category in ((HEATING, heating), (WASTE, waste)):
            appeal_in(Status.CLOSED, place=tree["building_a1"], category=category,
                      title="", text=templates[i % 4] % (i + 1))


def test_mapping_covers_every_baseline_class_and_lands_on_default_categories():
    baseline = classifier.CategoryModel.load()
    assert set(TIPDM_TO_DEFAULT) == set(baseline.classes)
    targets = {name for shares in TIPDM_TO_DEFAULT.values() for name, _share in shares}
    assert targets <= {name for name, _children in DEFAULT_TAXONOMY}
    assert all(abs(sum(share for _n, share in shares) - 1) < 1e-9 for shares in TIPDM_TO_DEFAULT.values())


def test_cue_words_shift_the_share_within_a_class():
    from minqing.insight.taxonomymap import to_default

    assert to_default("城乡建设")[0] == ("水电暖气", 0.4)
    shifted = dict(to_default("城乡建设", "物业保洁几天没来，楼道很脏"))
    assert max(shifted, key=shifted.get) == "物业" and abs(sum(shifted.values()) - 1) < 1e-9
    assert to_default("教育文体", "入学") == (("教育", 1.0),) and to_default("水电暖气", "x") == (("水电暖气", 1.0),)


@pytest.mark.django_db
def test_baseline_classes_sharing_a_category_add_up(tree):
    found = intake_category_suggestions(text="公交车班次太少，道路拥堵", k=7)
    assert found.model_name == "baseline" and found.items[0].category.name == "道路交通"
    assert len({s.category.pk for s in found.items}) == len(found.items)
    assert abs(sum(s.confidence for s in found.items) - 1) < 0.01


@pytest.mark.django_db
def test_too_short_text_gets_no_suggestion(tree):
    assert intake_category_suggestions(text=" 啊 ").items == []


@pytest.mark.django_db
def test_community_model_predicts_our_categories_directly(tree):
    _closed_history(tree)
    result = communitymodel.train_from_closed_appeals(min_per_category=5)
    assert (result.messages, result.categories) == (12, 2)
    model, name = category_model()
    assert name == "community" and set(model.classes) == {"水电暖气", "环境卫生"}
    found = intake_category_suggestions(text="5号楼暖气不热，家里很冷")
    assert found.model_name == "community"
    assert [s.category.name for s in found.items] == ["水电暖气", "环境卫生"]
    assert "暖气" in found.items[0].terms


@pytest.mark.django_db
def test_training_job_is_weekly_and_idempotent(tree, monkeypatch):
    assert "至少需要两个分类" in jobs.insight_train(timezone.now())
    assert jobs.insight_train(timezone.now()) == "已办结诉求不足，明天再试"  # not on every tick
    tried = communitymodel.community_path().with_name("category_community.tried")
    day_ago = time.time() - 25 * 3600
    os.utime(tried, (day_ago, day_ago))
    _closed_history(tree)
    monkeypatch.setattr(communitymodel, "MIN_PER_CATEGORY", 5)
    now = timezone.now()
    assert jobs.insight_train(now) == "分类模型已训练：12 条，2 类"
    assert not tried.exists()
    path = communitymodel.community_path()
    stamp = path.stat().st_mtime
    assert "跳过" in jobs.insight_train(now)
    assert path.stat().st_mtime == stamp
    week_ago = time.time() - 8 * 86400
    os.utime(path, (week_ago, week_ago))
    assert jobs.insight_train(now).startswith("分类模型已训练")


def test_training_job_is_registered():
    from minqing.jobs.registry import registered_jobs

    assert "insight.train" in {job.name for job in registered_jobs()}


@pytest.mark.django_db
def test_demo_builder_trains_and_measures_held_out(tree, monkeypatch):
    _closed_history(tree, n=10)
    monkeypatch.setattr(communitymodel, "MIN_PER_CATEGORY", 5)
    logs = []
    ctx = type("Ctx", (), {"shared": {}, "log": logs.append})()
    demo.build(ctx)
    n, accuracy = ctx.shared["insight_held_out"]
    assert n == 4 and accuracy == 1.0 and communitymodel.community_path().exists()
    assert "held-out top-1 1.000 on 4 demands" in logs[0]


@pytest.mark.django_db
def test_hot_issues_page_in_scope(client, tree, actors):
    recent = timezone.now() - datetime.timedelta(days=3)
    mine = [AppealFactory(place=tree["building_a1"], title="幸福小区搅拌站噪音扰民", text="幸福小区旁边的搅拌站夜里噪音扰民",
                          phone_hash=f"p{i}", submitted_at=recent + datetime.timedelta(hours=i)) for i in range(3)]
    theirs = [AppealFactory(place=tree["building_b1"], title="和平小区停车难", text="和平小区停车位太少天天停车难",
                            phone_hash=f"q{i}", submitted_at=recent) for i in range(3)]
    client.force_login(actors["secretary"])
    page = client.get(reverse("insight:hot")).content.decode()
    assert page.count('data-testid="hot-issue"') == 1 and "幸福小区搅拌站噪音扰民" in page
    assert all(a.receipt_code in page for a in mine) and theirs[0].receipt_code not in page
    assert "3 件 · 3 人" in page and "1号楼 · 幸福小区" in page
    client.force_login(actors["street"])
    assert client.get(reverse("insight:hot")).content.decode().count('data-testid="hot-issue"') == 2


@pytest.mark.django_db
def test_hot_issues_for_offices_at_community_level_and_above(client, actors):
    def has_hot(user):
        return any(item["name"] == "insight:hot" for item in nav_for(user))

    assert has_hot(actors["secretary"]) and has_hot(actors["street"])
    for role in ("grid", "building", "partner"):  # below community level, or not an office
        assert not has_hot(actors[role])
        client.force_login(actors[role])
        assert client.get(reverse("insight:hot")).status_code == 404


@pytest.mark.django_db
def test_words_shown_lie_inside_words_of_the_text(tree):
    terms = [t for s in intake_category_suggestions(text="4栋暖气片漏水，地板泡了").items for t in s.terms]
    assert terms and "栋暖" not in terms and "板泡" not in terms
    assert set(terms) <= {"暖气", "气片", "漏水", "地板"}


def test_demo_builder_runs_after_the_demands():
    from minqing.demo.builders import BUILDER_MODULES

    assert BUILDER_MODULES.index("minqing.insight.demo") == BUILDER_MODULES.index("minqing.appeals.demo") + 1
