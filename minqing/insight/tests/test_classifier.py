import numpy as np
import pytest

from minqing.insight import classifier, textnorm
from minqing.insight.features import FeatureSpec, fit_vectorizer

from .conftest import fixture_texts


def test_normalise_folds_width_case_punctuation_and_digits():
    assert textnorm.normalise("ＡＢＣ，小区１２３号！") == "abc 小区0号"


def test_segmented_rows_are_joined_into_approximate_raw_text():
    assert textnorm.from_segmented("小区 噪音  扰民") == "小区噪音扰民"


def test_transform_matches_a_manual_tfidf():
    # given two texts and a spec without the head block
    spec = FeatureSpec(head_weight=0.0, min_df=1, max_df=1.0)
    vectorizer = fit_vectorizer(["噪音扰民", "噪音"], spec)
    # when
    matrix = vectorizer.transform(["噪音扰民"]).to_scipy().toarray()[0]
    # then every row is l2-normalised and the shared n-gram weighs less than the rare ones
    assert np.isclose(np.linalg.norm(matrix), 1.0)
    assert matrix[vectorizer.index["噪"]] < matrix[vectorizer.index["扰"]]


def test_training_and_prediction(tiny_model):
    predicted = tiny_model.predict(["工厂废气污染", "公交车太少", "学校补课收费"])
    assert [p.category for p in predicted] == ["环境保护", "交通运输", "教育文体"]
    assert all(0 < p.confidence <= 1 for p in predicted)


def test_top_three_confidences_sum_to_one_over_all_classes(tiny_model):
    top = tiny_model.top("工厂废气污染", k=3)
    assert len(top) == 3
    assert top[0].confidence >= top[1].confidence >= top[2].confidence
    assert sum(s.confidence for s in top) == pytest.approx(1.0, abs=1e-4)


def test_explanation_names_the_driving_words(tiny_model):
    first = tiny_model.explain("化工厂废气污染河流", k=1)[0]
    assert first.category == "环境保护"
    words = [t for t, _ in first.terms]
    assert any("污" in w or "染" in w for w in words)
    assert all(weight > 0 for _, weight in first.terms)


def test_empty_and_unknown_text_still_gets_a_suggestion(tiny_model):
    suggestion = tiny_model.predict(["", "！！！"])
    assert len(suggestion) == 2


def test_saved_model_loads_without_pickle_and_predicts_the_same(tiny_model, tmp_path):
    path = tmp_path / "model.npz"
    tiny_model.save(path)
    with np.load(path, allow_pickle=False) as arrays:  # would raise if any array needed pickle
        assert set(arrays.files) == {"header", "terms", "idf", "coef", "intercept"}
    loaded = classifier.CategoryModel.load(path)
    texts, _ = fixture_texts()
    assert [p.category for p in loaded.predict(texts)] == [p.category for p in tiny_model.predict(texts)]


def test_temperature_is_fitted_when_asked():
    texts, labels = fixture_texts()
    model = classifier.train(texts * 3, labels * 3, calibrate=True)
    assert model.temperature > 0


def test_training_and_prediction_never_reach_the_network(no_network, tmp_path):
    texts, labels = fixture_texts()
    model = classifier.train(texts, labels)
    model.save(tmp_path / "m.npz")
    classifier.CategoryModel.load(tmp_path / "m.npz").explain("工厂污染")


@pytest.mark.skipif(not classifier.BASELINE_PATH.exists(), reason="baseline model not trained yet")
def test_committed_baseline_loads_and_classifies_raw_text(no_network):
    model = classifier.CategoryModel.load()
    assert len(model.classes) == 7
    assert model.predict(["小区楼下餐馆油烟扰民，噪音大，请环保部门处理"])[0].category == "环境保护"
    assert classifier.BASELINE_PATH.stat().st_size < 20_000_000
