import csv

import pytest
from django.core.management import CommandError, call_command

from minqing.insight import classifier, datasets
from minqing.insight.models import CategorySuggestionLog
from minqing.insight.services import (category_suggestion_accuracy, category_suggestion_choose,
                                      category_suggestion_record)


def write_csv(path, rows, fields):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_insight_classify_adds_category_and_confidence(tiny_model, tmp_path, no_network):
    # given a model file and a CSV with a text column and another column
    tiny_model.save(tmp_path / "m.npz")
    write_csv(tmp_path / "in.csv", [{"id": "1", "text": "工厂废气污染"}, {"id": "2", "text": "公交车太少"}],
              ["id", "text"])
    # when
    call_command("insight_classify", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"),
                 "--model", str(tmp_path / "m.npz"))
    # then the rows keep their columns and gain category and confidence
    with open(tmp_path / "out.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["id"], r["category"]) for r in rows] == [("1", "环境保护"), ("2", "交通运输")]
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)


def test_insight_classify_refuses_a_file_without_text(tmp_path, tiny_model):
    tiny_model.save(tmp_path / "m.npz")
    write_csv(tmp_path / "in.csv", [{"body": "x"}], ["body"])
    with pytest.raises(CommandError, match="text"):
        call_command("insight_classify", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"),
                     "--model", str(tmp_path / "m.npz"))


@pytest.mark.skipif(not datasets.available(), reason="public data folder not present")
def test_insight_evaluate_tiny_run(capsys):
    call_command("insight_evaluate", "--tiny", "--limit", "210")
    out = capsys.readouterr().out
    assert "macro F1" in out and "msgs/s" in out and "model size" in out
    assert "worked example 1" in out and "reply quality completeness" in out


def test_insight_evaluate_without_data_says_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.setenv("INSIGHT_DATA_DIR", str(tmp_path))
    with pytest.raises(CommandError, match=str(tmp_path)):
        call_command("insight_evaluate", "--tiny")


@pytest.mark.django_db
def test_suggestion_log_measures_accuracy_in_use(tiny_model):
    log = category_suggestion_record(model=tiny_model, model_name="test", text="工厂废气污染")
    assert log.suggested_top == "环境保护" and len(log.suggested) == 3
    category_suggestion_choose(log=log, chosen="环境保护", actor=None)
    other = category_suggestion_record(model=tiny_model, model_name="test", text="公交车太少")
    category_suggestion_choose(log=other, chosen="城乡建设", actor=None)
    assert category_suggestion_accuracy() == (2, 0.5)
    assert CategorySuggestionLog.objects.get(pk=log.pk).accepted


@pytest.mark.django_db
def test_insight_train_without_history_keeps_the_baseline(tmp_path):
    with pytest.raises(CommandError, match="不足"):
        call_command("insight_train", "--output", str(tmp_path / "c.npz"))
    assert not (tmp_path / "c.npz").exists()


@pytest.mark.django_db
def test_insight_train_learns_from_closed_appeals(tree, tmp_path):
    # given closed demands in two top-level categories (the default taxonomy is seeded by a migration)
    from minqing.appeals.default_taxonomy import seed_default
    from minqing.appeals.taxonomy import Category, ServiceLevel
    from minqing.appeals.tests.factories import appeal_in

    seed_default(Category, ServiceLevel)
    heating = Category.objects.get(parent__name="水电暖气", name="供暖")
    lift = Category.objects.get(parent__name="物业", name="电梯")
    for n in range(4):
        appeal_in("closed", place=tree["street"], category=heating, title=f"暖气不热{n}", text="家里暖气片冰凉室温低")
        appeal_in("closed", place=tree["street"], category=lift, title=f"电梯故障{n}", text="楼里电梯经常停运困人")
    # when
    call_command("insight_train", "--output", str(tmp_path / "c.npz"), "--min-per-category", "3")
    # then the model speaks the community's own top-level categories
    model = classifier.CategoryModel.load(tmp_path / "c.npz")
    assert sorted(model.classes) == ["水电暖气", "物业"]
    assert model.predict(["电梯又停了"])[0].category == "物业"
