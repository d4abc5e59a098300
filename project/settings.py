"""Settings, all read from the environment. See README.md, "Configuration"."""

import datetime
import os
import re
from importlib.util import find_spec
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from project.env import env_bool, env_database, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif SECRET_KEY == _DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is the development default; set a real secret.")
elif len(SECRET_KEY) < 50 and not DEBUG:
    # Django's own deploy check asks for 50; refusing to start beats a warning nobody reads.
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is {len(SECRET_KEY)} characters long; use at least 50 random ones, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the host names when DJANGO_DEBUG=0.")


def _proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto`` -> ("HTTP_X_FORWARDED_PROTO", "https"); unset or empty -> None."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a header name; give one like X-Forwarded-Proto."
        )
    return ("HTTP_" + raw.upper().replace("-", "_"), "https")


# HTTPS: on by default without DEBUG. `make serve` on plain-HTTP loopback turns off the
# redirect and the secure cookies (DJANGO_SECURE_SSL_REDIRECT=0, DJANGO_SECURE_COOKIES=0).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe over plain HTTP, often straight to the app.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
# HSTS cannot be taken back from browsers before max-age runs out, so it is opt-in;
# `check --deploy` reports it until it is set.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Content-Security-Policy (django-csp): scripts, fonts and images from this site only, no
# inline or injected script, no plugins, no framing. Inline style attributes stay allowed:
# the admin and Swagger UI set them. tests/test_security_headers.py checks every page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Only behind a proxy that sets this header itself and drops a client's copy of it: any
# client could otherwise claim HTTPS.
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header("DJANGO_SECURE_PROXY_SSL_HEADER")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "claims",
]

MIDDLEWARE = [
    # First: a body over the limit is refused before anything reads it.
    "claims.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy header on every response (CONTENT_SECURITY_POLICY).
    "claims.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who made an admin change, for the history (API views name the user themselves).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "claims.middleware.ReadYourWritesMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

# Password guessing at the admin login: after ADMIN_LOGIN_FAILURES wrong passwords for one
# username from one address, that pair is refused (429) for ADMIN_LOCKOUT_MINUTES, even
# with the right password. API tokens are not passwords and are not counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("ADMIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address as the API throttles see it (API_NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "claims.security.client_ip"

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Read replicas: API reads go to them, every write and a curator's next reads to the
# primary (claims.routers, claims.middleware). Comma-separated database URLs.
DATABASE_REPLICAS = []
for _i, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{_i}"] = env_database("DATABASE_REPLICA_URLS", "", value=_url)
    DATABASES[f"replica{_i}"]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(f"replica{_i}")
DATABASE_ROUTERS = ["claims.routers.PrimaryReplicaRouter"] if DATABASE_REPLICAS else []
# After a write, the writer's reads stay on the primary this long (replication lag).
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 10, minimum=0)

# Every query of a web request is cut off after this long (PostgreSQL); batch commands
# (load_seeds, generate_corpus) lift it for their own connection.
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 5000, minimum=0)
# manage.py marks its commands as batch work (migrations on a big table take minutes).
_BATCH = env_bool("CLAIMS_BATCH", False)
# Parameters bound by the server, and a query run 5 times on a connection prepared there:
# planning the claims query cost more than running it (BENCHMARKS.md). Turn off behind a
# pooler in transaction mode that does not track prepared statements (PgBouncer < 1.21).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
for _config in DATABASES.values():
    if not _config["ENGINE"].endswith("postgresql"):
        continue
    if DATABASE_PREPARED_STATEMENTS:
        _config.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    if DATABASE_STATEMENT_TIMEOUT_MS and not _BATCH:
        # JIT compiling costs 50-100 ms on a query that runs in one: never worth it here.
        _config.setdefault("OPTIONS", {})["options"] = (
            f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS} -c jit=off"
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed copies, served by whitenoise from the app server (no manifest to forget).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Request bodies (a PATCH, an admin form, an article pasted in the admin) over this are a
# 413 before they are read; Django's own default.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_MAX_BODY_BYTES", 2_621_440, minimum=1024)

API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50, minimum=1)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500, minimum=1)


def _env_rate(name: str, default: str) -> str:
    """A DRF rate, checked at start (DRF itself would only fail on the first request)."""
    raw = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate; give requests per period, e.g. 120/min "
            "(periods: s, min, hour, day)."
        )
    return raw


def _env_cache(name: str) -> dict:
    """The cache from a URL: ``locmem://`` (default), ``file:///path``, ``redis://host:6379/0``."""
    raw = os.environ.get(name) or "locmem://"
    scheme, separator, rest = raw.partition("://")
    if scheme == "locmem" and separator:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    if scheme == "file" and rest.startswith("/"):
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": rest}
    if scheme in ("redis", "rediss") and separator:
        if find_spec("redis") is None:
            raise ImproperlyConfigured(f"{name} is a Redis URL: install the redis package.")
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    # The URL is not echoed: a Redis URL may carry a password.
    raise ImproperlyConfigured(
        f"{name} is not a usable cache URL; use locmem://, file:///absolute/path "
        "or redis://host:6379/0."
    )


# Django's cache holds the API's request counters. locmem is per process: with several
# workers each counts alone. file:// (one machine) or redis:// shares the counts.
CACHES = {"default": _env_cache("DJANGO_CACHE_URL")}
API_THROTTLE_ANON = _env_rate("API_THROTTLE_ANON", "120/min")
API_THROTTLE_USER = _env_rate("API_THROTTLE_USER", "600/min")
# Failed token authentications per client address; past it, 429 without a lookup.
API_THROTTLE_AUTH_FAILURES = _env_rate("API_THROTTLE_AUTH_FAILURES", "20/min")
# How many proxies in front append to X-Forwarded-For. 0: the client is REMOTE_ADDR and the
# header is ignored (a client could otherwise pick a fresh address for every request).
API_NUM_PROXIES = env_int("API_NUM_PROXIES", 0, minimum=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Failed tokens are throttled per address (claims/api/authentication.py).
        "claims.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "claims.api.permissions.ModelPermissionsOrReadOnly",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonRateThrottle",
        "claims.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": API_THROTTLE_ANON,
        "user": API_THROTTLE_USER,
        "auth_failure": API_THROTTLE_AUTH_FAILURES,
    },
    "NUM_PROXIES": API_NUM_PROXIES,
    "DEFAULT_FILTER_BACKENDS": ["claims.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.PageNumberPagination",
    # Documents the error answers every view shares (claims/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.AutoSchema",
    # orjson: several times faster than the standard library on big pages.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "drf_orjson_renderer.parsers.ORJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "claims.api.exceptions.exception_handler",
    "PAGE_SIZE": API_PAGE_SIZE,
}

# A revert from the history page would skip the services (and the curator marks); a curator
# copies the old values into the form instead.
SIMPLE_HISTORY_REVERT_DISABLED = True

SPECTACULAR_SETTINGS = {
    "TITLE": "Claims database API",
    "DESCRIPTION": "Who said what, in which article, with what stance on which topic.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "claims.choices.ClaimKind",
        "SpeakerKindEnum": "claims.choices.SpeakerKind",
        "ReviewStatusEnum": "claims.choices.ReviewStatus",
        "StanceEnum": "claims.choices.StanceValue",
        "MethodEnum": "claims.choices.Method",
        "StanceMethodEnum": "claims.choices.StanceMethod",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
