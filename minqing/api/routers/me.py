"""Who the caller is: lets an integration check its token and see the roles it acts with."""
from datetime import datetime

from ninja import Router, Schema

from minqing.accounts.policy import grants_of

from ..schemas import READ_ERRORS, ErrorOut

router = Router(tags=["me 当前用户"])


class GrantOut(Schema):
    role: str
    place_code: str
    partner_unit_id: int | None


class MeOut(Schema):
    username: str
    display_name: str
    grants: list[GrantOut]
    token_prefix: str | None
    token_access: str | None
    token_expires_at: datetime | None


@router.get("/me", response={200: MeOut, READ_ERRORS: ErrorOut}, summary="当前用户与授权")
def me(request):
    token = getattr(request, "api_token", None)
    return {
        "username": request.auth.username, "display_name": str(request.auth),
        "grants": [g.__dict__ for g in grants_of(request.auth)],
        "token_prefix": token.prefix if token else None,
        "token_access": token.access if token else None,
        "token_expires_at": token.expires_at if token else None,
    }
