from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.accounts.models import Role
from minqing.places.models import PlaceKind

from .models import PolicyTopic, QuestionKind
from .services import AUDIENCE_ROLES, QuestionInput

ROLE_CHOICES = [(r.value, r.label) for r in Role if r in AUDIENCE_ROLES]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, place):
        return place.name


class SessionForm(forms.Form):
    place = PlaceChoiceField(label=_("组织单位"), queryset=None)
    topic = forms.CharField(label=_("主题"), max_length=120)
    audience_roles = forms.MultipleChoiceField(label=_("培训对象"), choices=ROLE_CHOICES,
                                               widget=forms.CheckboxSelectMultiple)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    venue = forms.CharField(label=_("场所"), max_length=120, required=False)
    description = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class AttendanceForm(forms.Form):
    users = forms.ModelMultipleChoiceField(label=_("出席人员"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = people
        self.fields["users"].label_from_instance = lambda u: u.display_name or u.username


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("资料名称"), max_length=200, required=False)
    file = forms.FileField(label=_("文件（PDF 或 Office，20 MB 以内）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"}))


QUESTIONS_HELP = _("每题之间空一行。第一行写题目，下面每行一个选项，正确选项前加 *。有两个以上 * 的为多选题。")


class QuizForm(forms.Form):
    place = PlaceChoiceField(label=_("组织单位"), queryset=None)
    title = forms.CharField(label=_("名称"), max_length=120)
    pass_mark = forms.IntegerField(label=_("及格分（满分 100）"), min_value=1, max_value=100, initial=60)
    required_roles = forms.MultipleChoiceField(label=_("必修角色"), choices=ROLE_CHOICES, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    questions = forms.CharField(label=_("题目"), help_text=QUESTIONS_HELP, widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places

    def parsed_questions(self) -> list[QuestionInput]:
        return parse_questions(self.cleaned_data["questions"])


def parse_questions(text: str) -> list[QuestionInput]:
    questions = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        choices = tuple((line.lstrip("*＊").strip(), line[0] in "*＊") for line in lines[1:])
        kind = QuestionKind.MULTIPLE if sum(c for _t, c in choices) > 1 else QuestionKind.SINGLE
        questions.append(QuestionInput(text=lines[0][:300], choices=choices, kind=kind))
    return questions


class AnswerForm(forms.Form):
    place = PlaceChoiceField(label=_("维护单位"), queryset=None)
    topic = forms.ChoiceField(label=_("类别"), choices=PolicyTopic.choices)
    question = forms.CharField(label=_("问题"), max_length=200)
    answer = forms.CharField(label=_("答复口径"), widget=forms.Textarea(attrs={"rows": 6}))
    source = forms.CharField(label=_("政策依据（文件名称及文号）"), max_length=200)
    issuing_body = forms.CharField(label=_("发文机关"), max_length=100)
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE)
    expires_on = forms.DateField(label=_("失效日期（可不填）"), required=False, widget=DATE)
    applies_to = forms.ModelMultipleChoiceField(label=_("适用范围"), queryset=None,
                                                widget=forms.CheckboxSelectMultiple)
    is_public = forms.BooleanField(label=_("在居务公开栏的政策问答中展示"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["applies_to"].queryset = places
        self.fields["applies_to"].label_from_instance = lambda p: p.name


def manageable_kinds():
    return [PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY]
