"""Data is marked on the page (core.userdata), so the English walk can tell it from interface text."""
import pytest
from django import forms
from django.utils import translation

from minqing.core.userdata import DataText, data, data_choices, with_data
from minqing.places.models import Place

pytestmark = pytest.mark.django_db


def test_data_wraps_a_value_escaped_and_nothing_when_empty():
    assert data("王<b>") == '<span data-user-content>王&lt;b&gt;</span>'
    assert data("") == "" and data(None) == ""


def test_with_data_marks_the_params_and_escapes_the_sentence_and_plain_params():
    html = with_data("%(name)s 迁入 <%(when)s>", {"when": "2026-01-01 & later"}, name="马保国")
    assert html == '<span data-user-content>马保国</span> 迁入 &lt;2026-01-01 &amp; later&gt;'


class PickForm(forms.Form):
    place = forms.ModelChoiceField(queryset=Place.objects.all())
    tag = forms.ChoiceField(choices=[("", "—"), *data_choices([("old", "独居老人")])])
    fixed = forms.ChoiceField(choices=[("a", "甲")])
    ticks = forms.ModelMultipleChoiceField(queryset=Place.objects.all(), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(widget=forms.Textarea)


def test_database_choices_and_typed_text_are_marked_and_fixed_choices_are_not(tree):
    html = str(PickForm(initial={"note": "楼上漏水"}))
    place = tree["community_a"]
    assert f'<option value="{place.pk}" data-user-content>{place.name}</option>' in html
    assert '<option value="old" data-user-content>独居老人</option>' in html
    assert '<option value="a">甲</option>' in html  # one of the form's own labels: interface
    assert '<option value="" selected>—</option>' in html or '<option value="">—</option>' in html
    assert f'data-user-content><input type="checkbox" name="ticks" value="{place.pk}"' in html
    assert 'data-user-content>\n楼上漏水</textarea>' in html


def test_a_data_label_keeps_its_mark_through_the_form_choices():
    assert isinstance(PickForm().fields["tag"].choices[1][1], DataText)


def test_english_party_facts_translate_the_labels_and_mark_the_data(tree, actors):
    from minqing.disputes.models import Status
    from minqing.disputes.tests.factories import dispute_in

    dispute = dispute_in(Status.REPORTED, place=tree["community_a"], reporter=actors["worker"], parties=False)
    party = dispute.parties.create(side="applicant", name="周晓燕", sex="女", age=43, address="1栋1单元601")
    with translation.override("en"):
        shown = str(party.basic_facts_shown)
    assert shown == ('<span data-user-content>周晓燕</span>, Female, aged 43, '
                     'Address: <span data-user-content>1栋1单元601</span>')
    assert party.basic_facts == "周晓燕，女，43岁，住址：1栋1单元601"  # the agreement's own wording is unchanged


class SelectsForm(forms.Form):
    place = forms.ModelChoiceField(queryset=Place.objects.all(), required=False)
    grouped = forms.ChoiceField(choices=[("", "—"), ("供暖", data_choices([(1, "不热"), (2, "漏水 <急>")])),
                                         ("fixed", [("x", "甲")])])
    flag = forms.NullBooleanField(widget=forms.Select(choices=[("unknown", "全部"), ("true", "是")]))
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.SelectMultiple(
        attrs={"disabled": True, "data-x": 'a"b', "hidden": False}))


class InputsForm(forms.Form):
    name = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": '如 "王"'}))
    count = forms.IntegerField(min_value=0, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)
    empty_note = forms.CharField(widget=forms.Textarea, required=False)


@pytest.mark.parametrize("form_class, data", [
    (SelectsForm, {"place": "PLACE", "grouped": "2", "flag": "true", "many": ["a", "b"]}),
    (InputsForm, {"name": "<王>", "count": "", "day": "2026-12-06", "version": "3", "agree": "on", "note": "漏水\n<急>"}),
])
def test_widgets_written_in_python_are_what_django_templates_write(tree, form_class, data):
    """DataMarkingRenderer writes selects, inputs and text areas in Python (issue 19: speed); the HTML must
    be what the templates write, less the select's indentation."""
    import re

    from django.forms.renderers import DjangoTemplates

    from minqing.core.userdata import DataMarkingRenderer

    renderer = DataMarkingRenderer()
    form = form_class({k: tree["community_a"].pk if v == "PLACE" else v for k, v in data.items()})
    for bound in form:
        widget = bound.field.widget
        context = widget.get_context(bound.html_name, bound.value(), bound.build_widget_attrs(
            {"id": bound.auto_id, **({"required": True} if bound.field.required else {})}))
        by_template = DjangoTemplates.render(renderer, widget.template_name, context)
        by_python = renderer.render(widget.template_name, context)
        assert by_python is not None and not by_python.startswith("{"), bound.name
        assert re.sub(r">\s+<", "><", by_template.strip()) == re.sub(r">\s+<", "><", by_python), bound.name


def test_grouped_choices_keep_their_groups_and_data_marks():
    html = str(SelectsForm({"grouped": "2"})["grouped"])
    assert '<optgroup label="供暖"><option value="1" data-user-content>不热</option>' in html
    assert '<option value="2" selected data-user-content>漏水 &lt;急&gt;</option>' in html


def test_inputs_and_text_areas_escape_what_was_typed():
    form = InputsForm({"name": '<b>"王"</b>', "note": "楼上<漏水>"})
    assert 'value="&lt;b&gt;&quot;王&quot;&lt;/b&gt;"' in str(form["name"])
    assert str(form["note"]).endswith('data-user-content>\n楼上&lt;漏水&gt;</textarea>')
    assert "data-user-content" not in str(form["empty_note"])


def test_choice_labels_follow_the_language_of_each_call():
    from minqing.appeals.models import Appeal

    appeal = Appeal(status="closed")
    assert appeal.get_status_display() == "已办结"
    with translation.override("en"):
        assert appeal.get_status_display() == "Closed"
    appeal.status = "no-such-status"
    assert appeal.get_status_display() == "no-such-status"
