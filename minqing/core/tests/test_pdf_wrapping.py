"""PDF line breaking (core/pdf.py): never inside a receipt code, a date or a word; "：" never starts a line."""
import pytest

from minqing.core import pdf


def _lines(text: str, width: float, style: str = "small") -> list[str]:
    para = pdf.paragraph(text, style)
    para.wrap(width, 1000)
    lines = para.blPara.lines
    if para.blPara.kind == 0:  # one style: (extra space, [text])
        return ["".join(words) for _space, words in lines]
    return ["".join(f.text for f in line.words) for line in lines]


@pytest.mark.parametrize("width", [60, 70, 90, 120])
def test_codes_dates_and_words_stay_whole(width):
    text = "回执码261117HUE9V，提交于2026-11-17，由 Heating station 承办"
    lines = _lines(text, width)
    assert "".join(lines) == text
    for token in ("261117HUE9V", "2026-11-17", "Heating"):
        assert any(token in line for line in lines), (token, lines)


@pytest.mark.parametrize("width", range(30, 160, 7))
def test_full_width_punctuation_never_starts_a_line(width):
    lines = _lines("申请人：张三丰；住址：渝阳社区第三地段十二栋；理由：家庭困难，收入低。", width, "body")
    assert all(not line.startswith(("：", "；", "，", "。")) for line in lines[1:]), lines


def test_a_table_renders_with_the_wrapping(tmp_path):
    content = pdf.render([pdf.table([["回执码", "日期"], ["261117HUE9V", "2026-11-17"]], col_widths=[45, 45])],
                         title="t")
    assert content.startswith(b"%PDF")
