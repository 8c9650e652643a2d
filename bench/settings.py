"""The product's production settings, as deployed, plus what only a benchmark needs.

- SECURE_SSL_REDIRECT is turned off through its own environment variable (the bench talks plain
  HTTP over loopback; a real deployment terminates TLS at the load balancer).
- MINQING_BENCH_QUERY_COUNT=1 adds bench.querycount.QueryCountMiddleware (X-Query-Count header).
- The per-token API rate limit is raised: the load driver submits hundreds of demands per second
  with one token, which production rightly refuses (600/minute) from one integration.
"""
import os

os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from minqing.settings.production import *  # noqa: E402,F401,F403
from minqing.settings.production import MIDDLEWARE  # noqa: E402

if os.environ.get("MINQING_BENCH_QUERY_COUNT") == "1":
    MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *MIDDLEWARE]

MINQING_API_RATES = {"token": "1000000/m", "address": "1000000/m", "open311_key": "1000000/m"}
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "WARNING"}}
