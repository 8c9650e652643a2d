"""People who log in, the partner units some of them speak for, and their role × place assignments."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.models import BaseModel


class Role(models.TextChoices):
    STREET_STAFF = "street_staff", _("街道干部")
    COMMUNITY_SECRETARY = "community_secretary", _("社区书记/主任")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    GRID_WORKER = "grid_worker", _("网格员")
    BUILDING_HEAD = "building_head", _("楼栋长/地段长")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    PARTNER_UNIT = "partner_unit", _("协办单位")
    SUPERVISOR = "supervisor", _("督查")
    ADMIN = "admin", _("系统管理员")


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def get_full_name(self):
        return self.display_name or super().get_full_name() or self.username


class PartnerUnit(BaseModel):
    """A water, power, gas, heating or property company that receives demands and replies to them."""

    class Kind(models.TextChoices):
        WATER = "water", _("供水")
        POWER = "power", _("供电")
        GAS = "gas", _("燃气")
        HEATING = "heating", _("供暖")
        PROPERTY = "property", _("物业")
        GOVERNMENT = "government", _("政府部门")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    service_area = models.ForeignKey(
        "places.Place", verbose_name=_("服务区域"), on_delete=models.PROTECT, related_name="partner_units",
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("协办单位")
        verbose_name_plural = _("协办单位")

    def __str__(self):
        return self.name

    @property
    def audit_place_code(self):
        return self.service_area.code


class RoleAssignment(BaseModel):
    """One role held at one place. A partner-unit role also names the unit the user speaks for."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    place = models.ForeignKey("places.Place", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+")
    partner_unit = models.ForeignKey(
        PartnerUnit, verbose_name=_("协办单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assignments",
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "place"], name="accounts_one_role_per_place"),
            models.CheckConstraint(
                condition=~models.Q(role="partner_unit") | models.Q(partner_unit__isnull=False),
                name="accounts_partner_role_names_unit",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.place}"

    @property
    def audit_place_code(self):
        return self.place.code
