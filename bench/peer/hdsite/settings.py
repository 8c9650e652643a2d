"""A minimal production-style Django project around django-helpdesk 2.6.1, for the benchmark only.

What is configured, and why (a deployment of helpdesk as its docs describe it, nothing tuned for the run):
- DEBUG off; PostgreSQL with persistent connections (CONN_MAX_AGE 600, as bench.city gives Minqing);
  database sessions, the default of both products; Argon2 is not needed (nobody logs in during the run).
- Django REST framework's token authentication added to its defaults: Minqing's API is driven with
  bearer tokens, and helpdesk's default Basic authentication would hash a password on every request —
  that would measure PBKDF2, not helpdesk.
- bench.querycount.QueryCountMiddleware (the very middleware Minqing's bench uses) when
  PEER_QUERY_COUNT=1: X-Query-Count, X-DB-Ms and X-CPU-Ms on every response.
- No e-mail is sent (the console backend is replaced by the dummy one) and no Celery: tickets'
  notification e-mails would otherwise be rendered and written to the log on every create.
"""
import os
from urllib.parse import urlsplit

DEBUG = False
SECRET_KEY = os.environ.get("PEER_SECRET_KEY", "bench-peer-only-secret-key-0123456789abcdef-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if os.environ.get("PEER_QUERY_COUNT") == "1":
    MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *MIDDLEWARE]

ROOT_URLCONF = "hdsite.urls"
WSGI_APPLICATION = "hdsite.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.debug",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]


def _database(url: str) -> dict:
    parts = urlsplit(url)
    return {"ENGINE": "django.db.backends.postgresql", "NAME": parts.path.lstrip("/"), "USER": parts.username,
            "PASSWORD": parts.password, "HOST": parts.hostname, "PORT": parts.port or 5432, "CONN_MAX_AGE": 600}


DATABASES = {"default": _database(os.environ.get(
    "PEER_DATABASE_URL", "postgres://minqing:minqing@127.0.0.1:54340/peer_helpdesk"))}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("PEER_STATIC_ROOT", "/tmp/peer/hd-static")
MEDIA_ROOT = os.environ.get("PEER_MEDIA_ROOT", "/tmp/peer/hd-media")
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/tickets/"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"
SESSION_ENGINE = "django.contrib.sessions.backends.db"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}

HELPDESK_DEFAULT_SETTINGS = {"use_email_as_submitter": True, "email_on_ticket_assign": False,
                             "email_on_ticket_change": False, "login_view_ticketlist": True,
                             "tickets_per_page": 25}
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "WARNING"}}
HELPDESK_TEAMS_MODE_ENABLED = False  # teams need the optional pinax-teams; the knowledge base is not measured
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = False  # plain HTTP on loopback, as Minqing's bench
