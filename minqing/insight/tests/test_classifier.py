import numpy as np
import pytest

from minqing.insight import classifier, textnorm
from minqing.insight.features import FeatureSpec, Segmenter, build_lexicon, fit_vectorizer

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


def _plain_forward_maximum_match(text, lexicon, max_len=4):
    out, i = [], 0
    while i < len(text):
        for size in range(min(max_len, len(text) - i), 1, -1):
            if text[i:i + size] in lexicon:
                out.append(text[i:i + size])
                i += size
                break
        else:
            i += 1
    return out


def test_segmenter_is_forward_maximum_matching():
    # given a lexicon built from segmented (jieba-style) texts
    lexicon = build_lexicon(["小区 噪音 扰民", "小区 噪音 扰民", "环保部门 环保 部门", "环保部门 环保 部门", "a0 栋"] * 2)
    segmenter = Segmenter(lexicon)
    # when raw texts are cut, then the longest word wins at each position, never across a space
    for text in ["小区噪音扰民环保部门", "环保 部门小区", "a0栋小区噪", ""]:
        norm = textnorm.normalise(text)
        assert segmenter.words(norm) == [w for part in norm.split(" ")
                                         for w in _plain_forward_maximum_match(part, set(lexicon))]
    assert segmenter.words("环保部门") == ["环保部门"]


def test_model_with_word_block_round_trips_without_pickle(tmp_path):
    texts, labels = fixture_texts()
    lexicon = build_lexicon(["工厂 废气 污染", "废气 污染", "公交车 班次", "公交车 拥堵", "学校 补课", "学校 学生"])
    spec = FeatureSpec(word_weight=0.7)
    model = classifier.train(texts, labels, spec=spec, calibrate=False, lexicon=lexicon)
    assert model.vectorizer.word_terms and model.coef.shape[1] == model.vectorizer.n_features
    path = tmp_path / "words.npz"
    model.save(path)
    with np.load(path, allow_pickle=False) as arrays:
        assert {"lexicon", "word_terms", "word_idf"} <= set(arrays.files)
    loaded = classifier.CategoryModel.load(path)
    assert np.allclose(loaded.scores(texts), model.scores(texts), atol=1e-2)
    assert [p.category for p in loaded.predict(["工厂废气污染", "公交车太少"])] == ["环境保护", "交通运输"]
    words = [t for t, _ in loaded.explain("工厂废气污染", k=1)[0].terms]
    assert any(len(w) > 2 for w in words) or "废气" in words or "污染" in words


def test_format_1_files_still_load(tiny_model, tmp_path):
    import json
    path = tmp_path / "v1.npz"
    tiny_model.save(path)
    with np.load(path, allow_pickle=False) as arrays:
        stored = {name: arrays[name] for name in arrays.files}
    header = json.loads(str(stored["header"]))
    header["format"] = 1
    for key in ("word_weight", "word_max_len"):  # a version 1 spec had no word block
        header["spec"].pop(key)
    stored["header"] = np.array(json.dumps(header, ensure_ascii=False))
    np.savez_compressed(path, **stored)
    loaded = classifier.CategoryModel.load(path)
    assert loaded.predict(["工厂废气污染"])[0].category == "环境保护"
