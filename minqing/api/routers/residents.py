"""Residents 居民: read masked (ID numbers and phones never leave unmasked here), register and edit
through the ledger's services, so the same scope ("ledger.view"/"ledger.change"), validation and
audit apply as on the pages. Revealing personal data stays a page action with a stated reason.
"""
import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool
from ninja.pagination import paginate

from minqing.core.errors import ValidationError
from minqing.residents import privacy, selectors, services
from minqing.residents.models import Relation, ResidentStatus, Sex

from ..auth import ensure_token_may_write
from ..idempotency import idempotent
from ..pagination import Cursor
from ..schemas import ERRORS, READ_ERRORS, REQUIRED_TEXT, ErrorOut, IsoDate, ObjectId

router = Router(tags=["residents 居民"])

# Writes take the full numbers or nothing. GET answers masked values (1101**********1234); sent back,
# they are refused by the schema itself (422), so a client cannot overwrite a number with its mask.
ID_NUMBER = r"^(\d{15}|\d{17}[\dXx])?$"
ID_NUMBER_NOTE = "完整的身份证号（18 位或 15 位）；GET 返回的脱敏值不能写回"
PHONE = r"^(\+?\d[\d -]{4,18})?$"
PHONE_NOTE = "完整的电话号码；GET 返回的脱敏值不能写回"


class ResidentOut(Schema):
    id: int
    version: int
    household_id: int | None
    place_code: str
    name: str
    relation: Relation
    sex: Sex | None
    birth_date: datetime.date | None = Field(..., description="只在未登记身份证号时给出（脱敏规则见 docs/security.md）")
    age: int | None
    id_number: str = Field(..., description="脱敏后的身份证号，只留后四位，如 **************1234")
    phone: str = Field(..., description="脱敏后的电话，如 138****5678")
    is_floating: bool
    registered_place: str
    status: ResidentStatus
    occupation: str

    @staticmethod
    def resolve_sex(obj):
        return obj.sex or None

    @staticmethod
    def resolve_birth_date(obj):
        return obj.birth_date_shown

    @staticmethod
    def resolve_id_number(obj):
        return obj.id_number_masked

    @staticmethod
    def resolve_phone(obj):
        return obj.phone_masked


class ResidentFilters(Schema):
    q: str = Field("", max_length=50, description="姓名、拼音首字母、完整身份证号或电话、地址")
    place_code: str = Field("", max_length=20, pattern=r"^\d*$")
    tag: str = Field("", max_length=32, description="关爱标签代码")
    status: ResidentStatus | None = ResidentStatus.LIVING
    floating: bool | None = None


class ResidentIn(Schema):
    household_id: ObjectId
    name: str = Field(..., max_length=50, pattern=REQUIRED_TEXT)
    relation: Relation = Relation.HEAD
    id_number: str = Field("", max_length=18, pattern=ID_NUMBER, description=ID_NUMBER_NOTE)
    phone: str = Field("", max_length=20, pattern=PHONE, description=PHONE_NOTE)
    sex: Sex | None = None
    birth_date: IsoDate | None = None
    is_floating: StrictBool = False  # the schema says boolean: 0/1 are refused, not read as false/true
    registered_place: str = Field("", max_length=100)
    occupation: str = Field("", max_length=100)


class ResidentPatch(Schema):
    """Only the fields given change. `version` (from GET) guards against overwriting someone's edit.
    Fields the ledger requires take no null (omit them to keep the value)."""

    version: int | None = None
    name: str = Field(None, max_length=50, pattern=REQUIRED_TEXT)
    relation: Relation = None
    sex: Sex | None = None
    birth_date: IsoDate | None = None
    id_number: str = Field(None, max_length=18, pattern=ID_NUMBER, description=ID_NUMBER_NOTE + "；\"\" 清除")
    phone: str = Field(None, max_length=20, pattern=PHONE, description=PHONE_NOTE + "；\"\" 清除")
    is_floating: StrictBool = None
    registered_place: str = Field(None, max_length=100)
    occupation: str = Field(None, max_length=100)


@router.get("/residents", response={200: list[ResidentOut], READ_ERRORS: ErrorOut}, summary="居民列表（脱敏）")
@paginate(Cursor, ordering=("-id",))
def resident_list(request, filters: Query[ResidentFilters]):
    if selectors.is_full_pii(filters.q):  # never in a query string (access logs): POST /residents/search
        raise ValidationError(fields={"q": [_("完整身份证号或电话请用 POST /residents/search 查找。")]})
    return selectors.resident_list(actor=request.auth, q=filters.q, place_code=filters.place_code,
                                   tag=filters.tag, status=filters.status or "", floating=filters.floating)


class ExactSearchIn(Schema):
    q: str = Field(..., max_length=20, description="完整身份证号（15 或 18 位）或电话")


@router.post("/residents/search", response={200: list[ResidentOut], ERRORS: ErrorOut},
             summary="按完整身份证号或电话精确查找（需 ledger.search_pii，审计、限次）")
def resident_search_exact(request, payload: ExactSearchIn):
    return 200, privacy.resident_search_pii(actor=request.auth, value=payload.q)


@router.get("/residents/{resident_id}", response={200: ResidentOut, READ_ERRORS: ErrorOut}, summary="居民详情（脱敏）")
def resident_get(request, resident_id: ObjectId):
    return selectors.resident_get(actor=request.auth, resident_id=resident_id)


@router.post("/residents", response={201: ResidentOut, ERRORS: ErrorOut}, summary="登记居民")
def resident_register(request, payload: ResidentIn):
    ensure_token_may_write(request)

    def run():
        data = payload.dict()
        data["sex"] = data["sex"] or ""
        resident = services.resident_register(actor=request.auth, **data)
        return 201, ResidentOut.from_orm(resident).model_dump(mode="json")
    return idempotent(request, client=f"user:{request.auth.pk}", run=run)


@router.patch("/residents/{resident_id}", response={200: ResidentOut, ERRORS: ErrorOut}, summary="修改居民信息")
def resident_update(request, resident_id: ObjectId, payload: ResidentPatch):
    ensure_token_may_write(request)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    if "sex" in changes:
        changes["sex"] = changes["sex"] or ""
    return services.resident_update(actor=request.auth, resident_id=resident_id, expected_version=version, **changes)
