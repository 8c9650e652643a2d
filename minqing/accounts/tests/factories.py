import factory

from minqing.accounts.models import PartnerUnit, Role, RoleAssignment, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.django.Password("correct-horse-battery")


class PartnerUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerUnit

    name = factory.Sequence(lambda n: f"供热公司{n}")
    kind = PartnerUnit.Kind.HEATING
    service_area = None


def user_with_role(role: str, place, *, partner_unit: PartnerUnit | None = None, username: str | None = None) -> User:
    """A user holding one role at one place (a partner-unit role gets a unit if none is given)."""
    user = UserFactory(**({"username": username} if username else {}))
    if role == Role.PARTNER_UNIT and partner_unit is None:
        partner_unit = PartnerUnitFactory(service_area=place)
    RoleAssignment.objects.create(user=user, role=role, place=place, partner_unit=partner_unit)
    return user
