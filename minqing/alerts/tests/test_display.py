"""An alert's stored Chinese title and explanation read in the reader's language, data marked."""
import ast
from pathlib import Path

from django.utils import translation

from minqing.alerts import display
from minqing.alerts.models import Alert


def _shown(title="", explanation="", language="en"):
    alert = Alert(title=title, explanation=explanation)
    with translation.override(language):
        return str(alert.title_shown), str(alert.explanation_shown)


def test_a_title_reads_in_english_with_the_matter_marked_and_our_label_translated():
    title, _ = _shown(title="矛盾纠纷出现激化苗头：物业费上涨")
    assert title == "Dispute shows signs of escalation: <span data-user-content>物业费上涨</span>"


def test_an_explanation_built_from_several_sentences_reads_in_english():
    _, explanation = _shown(explanation=(
        "7天内，同一社区有 10 名不同居民反映同一事项（12 件诉求：3 件已关联为同一事项，其余按文本相似度≥0.35 归并）。"
        "阈值：5 名。代表性诉求：“物业费上涨”。可能形成集体上访等群体性事件，请尽快研判、约谈、化解。"))
    assert explanation.startswith("Within 7 days, 10 different residents in the same community reported")
    assert "≥ 0.35" in explanation and "<span data-user-content>物业费上涨</span>" in explanation
    assert "同一" not in explanation.replace("<span data-user-content>物业费上涨</span>", "")


def test_chinese_readers_see_the_stored_text_and_unknown_wordings_stay_as_stored():
    title, _ = _shown(title="同一事项反复：楼道漏水", language="zh-hans")
    assert title == "同一事项反复：<span data-user-content>楼道漏水</span>"
    assert _shown(title="旧的预警标题")[0] == "旧的预警标题"


def test_every_sentence_the_display_knows_is_one_the_rules_write():
    source = (Path(display.__file__).parent / "rules.py").read_text(encoding="utf-8")
    written = {node.args[0].value for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args
               and isinstance(node.args[0], ast.Constant)}
    for form in display.TITLE_FORMS + display.EXPLANATION_FORMS:
        for msgid in form:
            assert msgid in written, msgid
