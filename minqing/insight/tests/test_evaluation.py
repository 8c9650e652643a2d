from minqing.insight import datasets, evaluation


def test_macro_f1_is_the_unweighted_mean_over_classes():
    overall, per_class = evaluation.macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert per_class == {"a": round(2 / 3, 4), "b": 0.8}
    assert overall == round((2 / 3 + 0.8) / 2, 4)


def test_group_folds_keep_duplicates_together_and_balance_sizes():
    groups = ["x", "x", "x", "y", "z", "w", "v", "v"]
    folds = evaluation.group_folds(groups, 3)
    assert len({folds[0], folds[1], folds[2]}) == 1 and folds[6] == folds[7]
    assert sorted(folds.count(f) for f in range(3)) == [2, 3, 3]


def test_training_pairs_add_the_token_view_of_raw_rows():
    messages = [datasets.LabelledMessage("小区的噪音扰民！", "环境", "小区 噪音 扰民", True),
                datasets.LabelledMessage("学校收费", "教育", "学校 收费", False)]
    texts, labels = datasets.training_pairs(messages)
    assert texts == ["小区的噪音扰民！", "学校收费", "小区噪音扰民"]
    assert labels == ["环境", "教育", "环境"]
