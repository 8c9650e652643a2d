"""Where an Open311 report is: our place code as address_id, else the nearest place to lat/long,
else the jurisdiction itself (the address string then travels in the demand's location text)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from minqing.core.errors import NotFound, ValidationError
from minqing.places.models import Place
from minqing.places.selectors import place_active_by_code


def jurisdiction_get(jurisdiction_id: str | None) -> Place | None:
    """The place a jurisdiction_id names (normally a district), or None for "all we serve"."""
    if not jurisdiction_id:
        return None
    place = place_active_by_code(jurisdiction_id)
    if place is None:
        raise NotFound(_("jurisdiction_id 不存在。"))
    return place


def coordinate(value: str | None, name: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError(fields={name: [_("坐标格式不正确。")]}) from None
    if not number.is_finite() or abs(number) > limit:
        raise ValidationError(fields={name: [_("坐标超出范围。")]})
    return number.quantize(Decimal("0.000001"))


def place_locate(*, jurisdiction: Place | None, address_id: str = "", lat: Decimal | None = None,
                 long: Decimal | None = None, address_string: str = "") -> Place:
    places = Place.objects.filter(is_active=True)
    if jurisdiction is not None:
        places = places.subtree(jurisdiction.code)
    if address_id:
        place = place_active_by_code(address_id)
        if place is None or (jurisdiction is not None and not place.code.startswith(jurisdiction.code)):
            raise ValidationError(fields={"address_id": [_("address_id 应为本辖区的地点编码。")]})
        return place
    if lat is None and long is None and not address_string.strip():
        raise ValidationError(fields={"lat": [_("请提供 lat/long、address_string 或 address_id 之一。")]})
    if lat is not None and long is not None:
        located = places.filter(latitude__isnull=False, longitude__isnull=False).only("latitude", "longitude", "code")
        nearest = min(located, default=None,
                      key=lambda p: ((p.latitude - lat) ** 2 + (p.longitude - long) ** 2, -len(p.code)))
        if nearest is not None:
            return Place.objects.get(pk=nearest.pk)
    root = jurisdiction or places.filter(depth=0).first()
    if root is None:
        raise ValidationError(fields={"address_string": [_("无法确定地点。")]})
    return root
