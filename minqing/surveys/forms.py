from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QuestionKind


class SurveyForm(forms.Form):
    place = forms.ModelChoiceField(label=_("范围"), queryset=None)
    title = forms.CharField(label=_("标题"), max_length=100)
    intro = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("题目"), max_length=200)
    choices = forms.CharField(label=_("选项（每行一个，选择题用）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    staff = forms.ModelChoiceField(label=_("被评价干部（干部评价题用）"), queryset=None, required=False)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff

    def choice_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("choices", "").splitlines() if line.strip()]


class AppealRatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("对承办人员的评价"), widget=forms.RadioSelect, choices=())
    reason = forms.CharField(label=_("理由（不满意时必填）"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        from .models import Rating
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = Rating.choices
