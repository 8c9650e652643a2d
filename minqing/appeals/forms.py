"""Forms for intake and for each verb. They parse input; the services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.accounts.models import PartnerUnit, User
from minqing.places.models import Place, PlaceKind
from minqing.core.ttlcache import TtlCache, watch
from minqing.core.userdata import data_choices

from .models import Channel, Kind, Outcome, Satisfaction, Status
from .taxonomy import Category, Urgency


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


# The list filter and every intake and accept form show the tree; it changes only through the taxonomy
# services or the admin, whose saves clear it at once (and every worker's within a second: core.ttlcache).
_CATEGORY_CHOICES = TtlCache("category choices", ttl=60)
watch(Category)


def category_choices(*, top_only: bool = False) -> list:
    return list(_CATEGORY_CHOICES.get(top_only, lambda: _category_choices_load(top_only)))


def _category_choices_load(top_only: bool) -> list:
    tops = Category.objects.filter(parent__isnull=True, is_active=True)
    if top_only:
        return [("", "—")] + data_choices((c.pk, c.name) for c in tops)
    return [("", "—")] + [(top.name, data_choices((c.pk, c.name) for c in top.children.all() if c.is_active))
                          for top in tops.prefetch_related("children")]


class CategoryChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=lambda pk: Category.objects.get(pk=pk), empty_value=None, **kwargs)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class IntakeForm(forms.Form):
    resident = forms.IntegerField(widget=forms.HiddenInput, required=False)
    place = forms.ModelChoiceField(label=_("地点"), queryset=Place.objects.none())
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.WALK_IN)
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, initial=Kind.HELP)
    category = CategoryChoiceField(label=_("分类"), required=False)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(label=_("标题"), max_length=100, required=False, help_text=_("不填则取内容开头"))
    text = forms.CharField(label=_("内容"), widget=forms.Textarea)
    location = forms.CharField(label=_("具体位置"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("反映人"), max_length=50, required=False, help_text=_("可匿名"))
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    photos = PhotosField(label=_("照片"), required=False, help_text=_("最多 4 张，每张不超过 5 MB"))

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places if places is not None else Place.objects.none()
        self.fields["category"].choices = category_choices()


class PublicIntakeForm(forms.Form):
    place = forms.ModelChoiceField(label=_("所在社区"), queryset=Place.objects.filter(
        kind=PlaceKind.COMMUNITY, is_active=True))
    phone = forms.CharField(label=_("手机号"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    text = forms.CharField(label=_("您反映的问题"), widget=forms.Textarea(attrs={"rows": 5}))
    category = CategoryChoiceField(label=_("问题类别（可不选）"), required=False)
    location = forms.CharField(label=_("具体位置（楼栋、单元等）"), max_length=200, required=False)
    photos = PhotosField(label=_("照片（可不传）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class AcceptForm(VersionForm):
    category = CategoryChoiceField(label=_("分类"), required=False)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class RejectForm(VersionForm):
    reason = forms.CharField(label=_("不予受理理由"), widget=forms.Textarea(attrs={"rows": 2}))
    referral = forms.CharField(label=_("建议反映渠道"), required=False)


class DispatchForm(VersionForm):
    leader = forms.ModelChoiceField(label=_("责任领导"), queryset=User.objects.none())
    handler_user = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none(), required=False)
    handler_unit = forms.ModelChoiceField(label=_("或 协办单位"), queryset=PartnerUnit.objects.filter(is_active=True),
                                          required=False)
    deadline = forms.DateTimeField(label=_("办理时限"), required=False, help_text=_("不填则按时限标准计算工作日"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(label=_("派单说明"), required=False)

    def __init__(self, *args, leaders=None, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders if leaders is not None else User.objects.none()
        self.fields["handler_user"].queryset = handlers if handlers is not None else User.objects.none()


class StartForm(VersionForm):
    pass


class ReturnForm(VersionForm):
    reason = forms.CharField(label=_("退单理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(VersionForm):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=Outcome.choices)
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(label=_("解决计划（暂缓时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    plan_date = forms.DateField(label=_("计划解决日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


SATISFACTION_CHOICES = [(s.value, s.label) for s in Satisfaction if s != Satisfaction.NOT_RATED]


class FollowUpForm(VersionForm):
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=SATISFACTION_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(label=_("回访记录"), required=False)


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("您对办理结果满意吗？"), choices=SATISFACTION_CHOICES,
                                     widget=forms.RadioSelect)
    note = forms.CharField(label=_("意见（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(VersionForm):
    note = forms.CharField(label=_("办结说明"), required=False)


class ReopenForm(VersionForm):
    reason = forms.CharField(label=_("重办理由"), widget=forms.Textarea(attrs={"rows": 2}))


class SuperviseForm(forms.Form):
    demand = forms.CharField(label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 2}))


class SupervisionAnswerForm(forms.Form):
    supervision = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("督办反馈"), widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(VersionForm):
    KIND_CHOICES = [("recurrence", _("复发（同一问题再次发生）")), ("matter", _("同一事项（多人反映）"))]
    kind = forms.ChoiceField(label=_("关联方式"), choices=KIND_CHOICES)
    target = forms.CharField(label=_("关联诉求回执码"), max_length=16)


class MergeForm(VersionForm):
    into = forms.CharField(label=_("合并到（回执码）"), max_length=16)


class PhoneCodeForm(forms.Form):
    code = forms.RegexField(label=_("短信验证码"), regex=r"^\s*\d{6}\s*$", max_length=12,
                            error_messages={"invalid": _("请输入短信中的 6 位数字验证码。"),
                                            "required": _("请输入短信中的 6 位数字验证码。")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class TrackLookupForm(forms.Form):
    receipt_code = forms.CharField(label=_("回执码"), max_length=16)
    phone = forms.CharField(label=_("登记时的手机号"), max_length=20)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部"))] + list(Status.choices), required=False)
    category = forms.TypedChoiceField(label=_("分类"), coerce=int, empty_value=None, required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=[("", _("全部"))] + list(Channel.choices), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部"))] + list(Kind.choices), required=False)
    place = forms.CharField(label=_("地点编码"), required=False)
    overdue = forms.NullBooleanField(label=_("超期"), required=False, widget=forms.Select(
        choices=[("unknown", _("全部")), ("true", _("是")), ("false", _("否"))]))
    submitted_from = forms.DateField(label=_("起"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    submitted_to = forms.DateField(label=_("止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("关键词/回执码"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(top_only=True)


class CategoryForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("上级分类"), required=False,
                                    queryset=Category.objects.filter(parent__isnull=True))
    name = forms.CharField(label=_("名称"), max_length=60)


class CategoryEditForm(forms.Form):
    category_id = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    rename = forms.CharField(label=_("名称"), max_length=60)
    sort = forms.IntegerField(label=_("排序"), min_value=0, max_value=30000)
    is_active = forms.BooleanField(label=_("启用"), required=False)


class ServiceLevelForm(forms.Form):
    category = forms.ModelChoiceField(label=_("分类（不选为默认）"), required=False,
                                      queryset=Category.objects.select_related("parent"))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    response_days = forms.IntegerField(label=_("响应时限（工作日）"), min_value=0)
    handle_days = forms.IntegerField(label=_("办理时限（工作日）"), min_value=0)
