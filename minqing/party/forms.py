from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Category, EdgeOutcome, OrgKind, Presence, Rating, Relation, SessionKind, WorkStatus

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _date(label, required=True, **extra):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"},
                                                                                   format="%Y-%m-%d"), **extra)


class OrgForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("层级"), choices=OrgKind.choices)
    parent = forms.ModelChoiceField(label=_("上级组织"), queryset=None, required=False)
    place = forms.ModelChoiceField(label=_("所在地点"), queryset=None, help_text=_("支部建在地段（网格）上。"))
    founded_on = _date(_("成立日期"), required=False)

    def __init__(self, *args, orgs=None, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = orgs
        self.fields["place"].queryset = places


class MemberForm(forms.Form):
    org = forms.ModelChoiceField(label=_("所在支部"), queryset=None)
    group = forms.ModelChoiceField(label=_("党小组"), queryset=None, required=False)
    category = forms.ChoiceField(label=_("党员类别"), choices=Category.choices)
    work_status = forms.ChoiceField(label=_("在职情况"), choices=WorkStatus.choices)
    relation = forms.ChoiceField(label=_("组织关系"), choices=[(Relation.HERE, Relation.HERE.label),
                                                               (Relation.ELSEWHERE, Relation.ELSEWHERE.label)],
                                 widget=forms.RadioSelect, initial=Relation.HERE)
    joined_on = _date(_("入党日期"))
    full_on = _date(_("转正日期"), required=False)
    date = _date(_("转入（登记）日期"))
    from_text = forms.CharField(label=_("原所在（关系所在）党组织"), max_length=200, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=100, required=False)

    def __init__(self, *args, orgs=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["group"].queryset = groups
        self.fields["date"].initial = timezone.localdate()


class MemberEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(label=_("党员类别"), choices=Category.choices)
    full_on = _date(_("转正日期"), required=False)
    work_status = forms.ChoiceField(label=_("在职情况"), choices=WorkStatus.choices)
    group = forms.ModelChoiceField(label=_("党小组"), queryset=None, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    dual_registered_on = _date(_("双报到日期"), required=False)
    dual_service = forms.CharField(label=_("认领服务岗位"), max_length=100, required=False)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class TransferForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = _date(_("日期"))
    other = forms.CharField(label=_("对方党组织"), max_length=200, required=False)


class EdgeContactForm(forms.Form):
    contacted_on = _date(_("联系日期"))
    outcome = forms.ChoiceField(label=_("结果"), choices=EdgeOutcome.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class SessionForm(forms.Form):
    org = forms.ModelChoiceField(label=_("党组织"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=SessionKind.choices)
    planned_on = _date(_("计划日期"))
    topic = forms.CharField(label=_("主题"), max_length=200)
    venue = forms.CharField(label=_("地点"), max_length=100, required=False)
    lecturer = forms.ModelChoiceField(label=_("主讲人（党课）"), queryset=None, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from minqing.accounts.models import Role

        self.fields["org"].queryset = orgs
        self.fields["lecturer"].queryset = (get_user_model().objects.filter(is_active=True, assignments__is_active=True)
                                            .exclude(assignments__role=Role.PARTNER_UNIT).distinct()
                                            .order_by("display_name"))


class HoldForm(forms.Form):
    """The date, then one presence radio and one leave-reason box per expected member."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    held_on = _date(_("召开日期"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for m in self.members:
            self.fields[f"presence_{m.pk}"] = forms.ChoiceField(label=str(m), choices=Presence.choices,
                                                                initial=Presence.PRESENT, widget=forms.RadioSelect)
            self.fields[f"reason_{m.pk}"] = forms.CharField(label=_("请假事由"), max_length=200, required=False)

    def rows(self):
        return [(m, self[f"presence_{m.pk}"], self[f"reason_{m.pk}"]) for m in self.members]

    def attendance(self) -> dict:
        data = self.cleaned_data
        return {m.pk: (data[f"presence_{m.pk}"], data.get(f"reason_{m.pk}", "")) for m in self.members}


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 6}))


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class PostForm(forms.Form):
    title = forms.CharField(label=_("示范岗"), max_length=100)
    duty = forms.CharField(label=_("承诺内容"), max_length=300, required=False)
    start_date = _date(_("设岗日期"))


class ServiceForm(forms.Form):
    served_on = _date(_("服务日期"))
    hours = forms.DecimalField(label=_("时长（小时）"), max_digits=5, decimal_places=1)
    what = forms.CharField(label=_("服务内容"), max_length=200)


class AppraisalOpenForm(forms.Form):
    org = forms.ModelChoiceField(label=_("党支部"), queryset=None)
    year = forms.IntegerField(label=_("年度"))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["year"].initial = timezone.localdate().year


class BallotForm(forms.Form):
    """One representative's ballot: a rating (or none) and a comment per member."""

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for m in self.members:
            self.fields[f"rating_{m.pk}"] = forms.ChoiceField(label=str(m), required=False,
                                                              choices=[("", "—"), *Rating.choices])
            self.fields[f"comment_{m.pk}"] = forms.CharField(label=_("意见"), max_length=300, required=False)

    def rows(self):
        return [(m, self[f"rating_{m.pk}"], self[f"comment_{m.pk}"]) for m in self.members]

    def ratings(self) -> dict:
        data = self.cleaned_data
        return {m.pk: (data[f"rating_{m.pk}"], data.get(f"comment_{m.pk}", "")) for m in self.members}


class OfficersForm(forms.Form):
    secretary = forms.ModelChoiceField(label=_("书记（组长）"), queryset=None, required=False)
    committee = forms.ModelMultipleChoiceField(label=_("委员"), queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = members
        self.fields["committee"].queryset = members
