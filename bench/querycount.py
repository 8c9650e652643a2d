"""Counts the database queries of each request and returns them in response headers (bench only).

X-Query-Count: queries issued; X-DB-Ms: wall time inside them; X-CPU-Ms: the worker process's CPU
time for the request (a sync gunicorn worker serves one request at a time, so this is the request's
own Python cost, whatever else the machine is doing). bench/settings.py adds the middleware when
MINQING_BENCH_QUERY_COUNT=1: it costs a Python call per query, which production need not pay.
"""
import time

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count, db_seconds = [0], [0.0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                db_seconds[0] += time.perf_counter() - started

        cpu = time.process_time()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count[0])
        response["X-DB-Ms"] = f"{db_seconds[0] * 1000:.1f}"
        response["X-CPU-Ms"] = f"{(time.process_time() - cpu) * 1000:.1f}"
        return response
