"""`{% staff_rating_form appeal token %}`: the small 民评官 form on a demand's tracking page, so the
appeals template needs two lines and no view change."""
from django import template

from ..forms import AppealRatingForm
from ..models import StaffRating

register = template.Library()


@register.inclusion_tag("surveys/_appeal_staff_rating.html")
def staff_rating_form(appeal, token):
    if not token or appeal is None or not appeal.handler_user_id or not appeal.replied_at:
        return {"show": False}
    done = StaffRating.objects.filter(appeal=appeal, staff_id=appeal.handler_user_id).first()
    return {"show": True, "appeal": appeal, "token": token, "done": done, "form": None if done else AppealRatingForm()}
