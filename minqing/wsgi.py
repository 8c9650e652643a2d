import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings.production")
application = get_wsgi_application()

# Every view module imported now, then what the process holds from its start moved out of the collector's
# reach (gc.freeze): a full collection walked ~400,000 long-lived objects — settings, models, URL patterns, the
# views' modules — and paused a request for 75–160 ms every few hundred requests, the tail of every page's
# latency (docs/performance.md, "tenth pass"). Objects made later are collected as before.
get_resolver().url_patterns
gc.freeze()
