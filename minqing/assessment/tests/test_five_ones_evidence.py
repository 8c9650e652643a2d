"""五个一's evidence lines written in Python (templatetags/five_ones_evidence.py) read as the template wrote them."""
import datetime

from django.template import Context, Template

from minqing.assessment.fiveones import Evidence
from minqing.assessment.templatetags.five_ones_evidence import evidence_lines

TEMPLATE_MARKUP = Template(
    '{% load userdata %}{% for e in evidence %}<br><span class="muted">{{ e.on|date:"Y-m-d" }}</span> '
    '{% if e.url %}<a href="{{ e.url }}" data-user-content>{{ e.label }}</a>{% else %}{{ e.label|data }}{% endif %}'
    '{% endfor %}')


def test_the_lines_equal_the_templates_markup_escapes_included():
    evidence = [
        Evidence(datetime.date(2026, 3, 9), '座谈会 <b>"老旧小区"</b> & 电梯', "/meetings/7/?a=1&b=2"),
        Evidence(datetime.date(2026, 12, 1), "专题调研：<script>x</script>"),
        Evidence(datetime.date(2026, 1, 2), ""),
    ]
    written = evidence_lines(evidence)
    assert written == TEMPLATE_MARKUP.render(Context({"evidence": evidence}))
    assert "<script>" not in written and "&lt;b&gt;" in written and "a=1&amp;b=2" in written
    assert evidence_lines([]) == ""
