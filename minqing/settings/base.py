"""Settings shared by every environment, read from the environment (twelve-factor).

Sections: paths and environment · apps · middleware · database · auth and security ·
internationalisation · static files · Minqing's own settings.
"""
from pathlib import Path

import environ

# --- paths and environment -------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(environ.Env().str("MINQING_DATA_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    # `make run` writes the local secret and encryption keys here on first start.
    environ.Env.read_env(env_file)

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# --- apps ------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "axes",
    "ninja",  # its static files: the API docs page serves Swagger UI from our origin, not a CDN
]
MINQING_APPS = [
    "minqing.core",
    "minqing.places",
    "minqing.accounts",
    "minqing.demo",
    "minqing.residents",
    "minqing.workdays",
    "minqing.jobs",
    "minqing.notifications",
    "minqing.appeals",
    "minqing.api",
    "minqing.open311",
    "minqing.disputes",
    "minqing.alerts",
    "minqing.disclosure",
    "minqing.visits",
    "minqing.welfare",
    "minqing.meetings",
    "minqing.party",
    "minqing.dashboard",
    "minqing.insight",
    "minqing.assessment",
    "minqing.volunteers",
    "minqing.surveys",
    "minqing.training",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + MINQING_APPS

# --- middleware --------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "minqing.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "minqing.core.middleware.ChosenLanguageMiddleware",  # zh-hans unless chosen; Accept-Language ignored
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "minqing.core.middleware.KeptPolicyCSPMiddleware",  # django-csp's, the header built once (core/middleware.py)
    "minqing.core.middleware.ApplicationErrorMiddleware",
    # Axes must be last: it turns a locked-out login into a lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minqing.urls"
WSGI_APPLICATION = "minqing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "minqing" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minqing.accounts.context_processors.navigation",
            ],
            "builtins": ["minqing.core.templatetags.kept_urls"],  # {% url %} with its answers kept
        },
    },
]

# Choices drawn from the database (places, people, categories) are marked as data on the page.
FORM_RENDERER = "minqing.core.userdata.DataMarkingRenderer"

# --- database ----------------------------------------------------------------
# One DATABASE_URL decides: sqlite:///… for the embedded demo, postgres://… in production and CI.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'minqing.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the scheduler and the web server write without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
         "transaction_mode": "IMMEDIATE"}
    )
# Parameters bound by the server, and a statement run five times on a connection kept prepared there:
# PostgreSQL then parses it once per connection, and plans it once where the plan does not depend on the
# values (issue 19: the demand page's database CPU fell by two thirds, docs/performance.md). Off behind a
# transaction-mode pooler that cannot keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements): DATABASE_PREPARED_STATEMENTS=0.
PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 5}
PG_ENGINE, PG_SCOPE_AWARE_ENGINE = "django.db.backends.postgresql", "minqing.core.postgresql"
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(PREPARED_STATEMENTS)
        if DATABASES["default"]["ENGINE"] == PG_ENGINE:  # a LIKE wider than a community: unprepared (see there)
            DATABASES["default"]["ENGINE"] = PG_SCOPE_AWARE_ENGINE
# A streaming replica for the dashboards and reports (docs/scaling.md); reads go there only where the
# code asks (minqing.core.dbrouters). In tests it mirrors the default database.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["replica"].setdefault("OPTIONS", {}).update(PREPARED_STATEMENTS)
        if DATABASES["replica"]["ENGINE"] == PG_ENGINE:
            DATABASES["replica"]["ENGINE"] = PG_SCOPE_AWARE_ENGINE
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["minqing.core.dbrouters.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth and security -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "minqing.accounts.throttling.SoftDelayBackend",
    # Django's ModelBackend with the session's user kept per process (accounts/backends.py). Sessions signed in
    # through ModelBackend before it was swapped in ask to sign in once more.
    "minqing.accounts.backends.KeptUserBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures per user name and address lock it for 30 minutes;
# every attempt is recorded (axes' AccessAttempt/AccessFailureLog tables).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (docs/security.md). 0 trusts no
# header; the client address is then REMOTE_ADDR. Axes and the API limits read it the same way.
MINQING_TRUSTED_PROXIES = env.int("MINQING_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "minqing.accounts.throttling.client_ip"

SESSION_ENGINE = "minqing.accounts.sessions"  # Django's database sessions, read without the ORM
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Everything is served from our own origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- internationalisation ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "minqing" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "minqing" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Minqing ---------------------------------------------------------------------
# Fernet key for personal data at rest (ID numbers, phones); the lookup hash key is derived from it.
MINQING_FIELD_ENCRYPTION_KEY = env.str("MINQING_FIELD_ENCRYPTION_KEY")
MINQING_PUBLIC_BASE_URL = env.str("MINQING_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Where `manage.py backup`/`restore` find pg_dump/pg_restore of the server's version ("" = on PATH),
# e.g. /usr/lib/postgresql/15/bin.
MINQING_PG_BIN_DIR = env.str("MINQING_PG_BIN_DIR", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
