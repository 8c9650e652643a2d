"""Forms parse and shape input; every rule that matters is enforced again in the services."""
from django import forms
from django.utils.translation import gettext_lazy as _
from minqing.core.userdata import data_choices

from .models import CareTag, PoliticalStatus, Relation, ResidentStatus, Sex

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class SearchForm(forms.Form):
    q = forms.CharField(label=_("查找"), required=False, widget=forms.TextInput(attrs={
        "placeholder": _("姓名、拼音首字母、身份证号、电话、3栋201"), "autocomplete": "off", "inputmode": "search"}))
    tag = forms.ChoiceField(label=_("关爱标签"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("living", _("在住")), ("moved_out", _("已迁出")), ("deceased", _("已故")),
                                        ("all", _("全部"))])
    floating = forms.ChoiceField(label=_("流动人口"), required=False,
                                 choices=[("", _("不限")), ("1", _("是")), ("0", _("否"))])
    place = forms.ChoiceField(label=_("社区/网格"), required=False)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("全部"))] + data_choices(places)
        self.fields["tag"].choices = [("", _("不限"))] + data_choices(
            (t.code, t.name) for t in CareTag.objects.filter(is_active=True))


class ResidentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("姓名"), max_length=50)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=20, widget=forms.TextInput(attrs={
        "autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
        help_text=_("18 位或 15 位；出生日期和性别将由身份证号推出。修改时留空表示不改。"))
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=30, widget=forms.TextInput(attrs={
        "inputmode": "tel", "autocomplete": "off"}), help_text=_("修改时留空表示不改。"))
    sex = forms.ChoiceField(label=_("性别"), required=False, choices=[("", "—"), *Sex.choices])
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DATE_WIDGET)
    is_floating = forms.BooleanField(label=_("流动人口（户籍在外地）"), required=False)
    registered_place = forms.CharField(label=_("户籍地"), required=False, max_length=100)
    occupation = forms.CharField(label=_("工作单位/职业"), required=False, max_length=100)
    political_status = forms.ChoiceField(label=_("政治面貌"), required=False, choices=PoliticalStatus.choices)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ResidentCreateForm(ResidentForm):
    moved_in_on = forms.DateField(label=_("迁入日期"), required=False, widget=DATE_WIDGET)
    moved_in_from = forms.CharField(label=_("迁出地（从哪里来）"), required=False, max_length=200)


class HouseholdForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    room = forms.CharField(label=_("门牌/房号"), max_length=30)
    liaison = forms.TypedChoiceField(label=_("包户联系人"), required=False, coerce=int, empty_value=None)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["liaison"].choices = [("", _("（暂无）"))] + data_choices((u.pk, str(u)) for u in candidates)


class HouseholdCreateForm(HouseholdForm):
    building = forms.TypedChoiceField(label=_("楼栋"), coerce=int)
    field_order = ["building", "room", "liaison", "notes"]

    def __init__(self, *args, buildings=(), **kwargs):  # buildings: [(pk, label)]
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", "—"), *data_choices(buildings)]


class MoveOutForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label=_("迁出日期"), widget=DATE_WIDGET)
    to_text = forms.CharField(label=_("迁往"), required=False, max_length=200)
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)


class MoveToForm(forms.Form):
    household = forms.IntegerField(label=_("迁入户编号"), help_text=_("在户页面地址中可见，如 /residents/households/123/"))
    relation = forms.ChoiceField(label=_("与新户户主关系"), choices=Relation.choices, initial=Relation.OTHER)
    date = forms.DateField(label=_("日期"), widget=DATE_WIDGET)
    from_text = forms.CharField(label=_("从哪里来"), required=False, max_length=200)
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)


class DeceasedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label=_("去世日期"), widget=DATE_WIDGET)


class TagAddForm(forms.Form):
    tag = forms.ModelChoiceField(label=_("标签"), queryset=CareTag.objects.filter(is_active=True))
    start_date = forms.DateField(label=_("开始日期"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("结束日期"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class TagEndForm(forms.Form):
    end_date = forms.DateField(label=_("结束日期"), widget=DATE_WIDGET)


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", _("身份证号")), ("phone", _("电话"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("查看原因"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("如：办理低保核对身份")}))


class ExportPersonalDataForm(forms.Form):
    reason = forms.CharField(label=_("导出原因"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("如：本人申请查阅")}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("台账文件（.xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


STATUS_FILTER = {"living": ResidentStatus.LIVING, "moved_out": ResidentStatus.MOVED_OUT,
                 "deceased": ResidentStatus.DECEASED, "all": ""}
