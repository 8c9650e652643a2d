"""The REST API, version 1, at /api/v1/ — OpenAPI document at /api/v1/openapi.json, docs at /api/v1/docs.

Every operation authenticates with a personal token or the session (auth.AUTH), is rate-limited
per token (ratelimit.TokenThrottle), and answers errors in the one shape (error_handlers).
Routers live in routers/, one per domain; each calls that domain's selectors and services only.
"""
from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from . import error_handlers
from .auth import AUTH
from .parsing import StrictParser
from .ratelimit import TokenThrottle
from .routers import appeals, categories, me, places, rates, residents

DESCRIPTION = """
民情 · 社区群众工作平台 开放接口。

**认证**：个人令牌 `Authorization: Bearer mq_…`（在“接口令牌”页面创建，只显示一次），或页面自身的登录会话
（非 GET 请求须带 `X-CSRFToken`）。令牌继承其主人的角色与范围，只读令牌不能写。

**错误**：一律为 `{"error": {"code": "…", "message": "…", "fields": {"字段": ["…"]}}}`，`code` 稳定。

**幂等**：提交类请求可带 `Idempotency-Key` 头；同一客户端以同一键重发，得到第一次的结果，不会重复建单。

**限流**：每个令牌、每个公开接口的来源地址各有上限，超出返回 429 与 `Retry-After`。

See docs/api.md for worked examples (partner unit, hotline platform, Open311 app).
"""


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 as is: 待受理, not \\u5f85\\u53d7\\u7406 — readable in logs and by people trying the API."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Minqing API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    auth=AUTH,
    throttle=[TokenThrottle()],
    docs=Swagger(settings={"persistAuthorization": False}),
    renderer=ChineseJSONRenderer(),
    parser=StrictParser(),
)
error_handlers.install(api)

api.add_router("", me.router)
api.add_router("", places.router)
api.add_router("", residents.router)

api.add_router("", categories.router)
api.add_router("", appeals.router)
api.add_router("", rates.router)
