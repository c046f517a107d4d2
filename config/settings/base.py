"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import embedded

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Wagtail first, so that our apps can extend its admin and log actions.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "guardian",
    "allauth",
    "allauth.account",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "cases",
    "cms",
    "submissions",
    "review",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.navigation",
            ],
        },
    },
]


def database_config(*, allow_embedded: bool) -> dict:
    """``DATABASE_URL`` when set; otherwise, where allowed (development and tests), the
    embedded server's, started on demand and left running for the next command."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        if not allow_embedded:
            raise ImproperlyConfigured("DATABASE_URL is not set.")
        server = embedded.start_database(stop_on_exit=False)
        url = embedded.database_url(server)
        os.environ["DATABASE_URL"] = url
    config = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0"))
    )
    # The planner's price of a random page read. PostgreSQL's default (4) is for
    # spinning disks; on SSDs and cached data it overprices index scans, and picks a
    # sequential scan that reads every case's whole vector over a GIN lookup that reads
    # a few (docs/performance.md). Empty keeps the server's own setting (e.g. behind a
    # pooler that refuses startup options).
    if cost := os.environ.get("DB_RANDOM_PAGE_COST", "1.1").strip():
        options = config.setdefault("OPTIONS", {})
        options["options"] = (
            f"{options.get('options', '')} -c random_page_cost={float(cost)}".strip()
        )
    return config


# Each environment's settings set DATABASES with database_config(); nothing here starts.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses logins for a username/IP pair after repeated failures (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous gets no grants
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile_me"

# --- Accounts (django-allauth) and brute-force protection (django-axes) ------------------
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OpenDocket] "
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Confirming the e-mail in the browser that signed up signs the person in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_RATE_LIMITS = {
    "signup": os.environ.get("SIGNUP_RATE", "5/h/ip"),
    # Above django-axes' limit, so one attacker from one address meets axes' 429 page;
    # this still stops guessing spread over many addresses.
    "login_failed": "10/m/ip,20/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind N trusted proxies, the client is the Nth address from the right of
# X-Forwarded-For; with none, REMOTE_ADDR (a client cannot choose its own address).
TRUSTED_PROXY_COUNT = int(os.environ.get("API_NUM_PROXIES", "0"))
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None  # read through django-ipware
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("OPENDOCKET_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Submission attachments: outside MEDIA_ROOT, served only through a permission check.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("OPENDOCKET_PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private-media")
)
# Open data exports (search.opendata), served by the Open data page.
OPENDOCKET_OPEN_DATA_DIR = Path(
    os.environ.get("OPENDOCKET_OPEN_DATA_DIR", BASE_DIR / "var" / "open-data")
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "OpenDocket <no-reply@opendocket.localhost>"
)

# --- Security headers that hold in every environment -------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview renders in a same-origin iframe
SESSION_COOKIE_HTTPONLY = True

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "OpenDocket"
WAGTAILADMIN_BASE_URL = os.environ.get("OPENDOCKET_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "png", "jpg", "jpeg", "csv", "docx", "odt"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# No avatars from gravatar.com: editors' e-mail hashes stay on our servers.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or embedded.broker_url()
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = embedded.broker_transport_options()
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# The one beat schedule (DESIGN.md, Background work).
CELERY_BEAT_SCHEDULE = {
    "cases-advance-lifecycle": {
        "task": "cases.advance_lifecycle",
        "schedule": float(os.environ.get("OPENDOCKET_LIFECYCLE_INTERVAL", "60")),
    },
    "review-forward-due": {
        "task": "review.forward_due",
        "schedule": float(os.environ.get("OPENDOCKET_LIFECYCLE_INTERVAL", "60")),
    },
    "accounts-send-pending-notifications": {
        "task": "accounts.send_pending_notifications",
        "schedule": 120.0,
    },
    "accounts-send-daily-digests": {
        "task": "accounts.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "search-refresh-stats": {
        "task": "search.refresh_stats",
        "schedule": crontab(minute=17),
    },
    "search-requeue-imports": {
        "task": "search.requeue_imports",
        "schedule": 300.0,
    },
    "search-export-open-data": {
        "task": "search.export_open_data",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [
        "config.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    # Client address for rate limits: REMOTE_ADDR unless told how many proxies to trust,
    # so a client cannot pick its own identity with X-Forwarded-For.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/min"),
        "user": os.environ.get("API_USER_RATE", "600/min"),
        "auth": os.environ.get("API_AUTH_RATE", "10/min"),
        "search_anon": os.environ.get("API_SEARCH_ANON_RATE", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OpenDocket API",
    "DESCRIPTION": (
        "Published cases and their claims, visible prior art and comments; authenticated "
        "writes for prior art, ratings, comments and flags; for appointed reviewers the "
        "screening queue, screening decisions and forwarding; for examiners their "
        "dossiers, decisions and claim charts (token or session authentication)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["config.api_urls.only_public_api"],
}

# --- OpenDocket -----------------------------------------------------------------------------
OPENDOCKET_DEMO_ALLOWED = False  # dev turns this on; production never does
OPENDOCKET_DEMO_PASSWORD = "opendocket-demo"
# Submissions of contributors with nothing vetted yet wait for screening before they are public.
OPENDOCKET_SCREEN_NEW_CONTRIBUTORS = env_bool(
    "OPENDOCKET_SCREEN_NEW_CONTRIBUTORS", True
)
# This many open reports hide a submission or comment until a reviewer decides.
OPENDOCKET_FLAG_HIDE_THRESHOLD = int(
    os.environ.get("OPENDOCKET_FLAG_HIDE_THRESHOLD", "3")
)
OPENDOCKET_COMMENT_EDIT_MINUTES = 15
# Minutes after a window closes before its evidence is forwarded: time for reviewers to
# screen late submissions. 0 forwards at close.
OPENDOCKET_FORWARD_GRACE_MINUTES = int(
    os.environ.get("OPENDOCKET_FORWARD_GRACE_MINUTES", "0")
)
OPENDOCKET_MAX_ATTACHMENTS = 10
# Per user (or per address for anonymous requests), pages and API alike (but "search").
OPENDOCKET_RATE_LIMITS = {
    "submit": os.environ.get("SUBMIT_RATE", "10/h"),
    "comment": os.environ.get("COMMENT_RATE", "30/h"),
    "rate": os.environ.get("RATING_RATE", "120/h"),
    "flag": os.environ.get("FLAG_RATE", "20/h"),
    # The search page; the API's searches have their own throttle (search_anon).
    "search": os.environ.get("SEARCH_RATE", "60/m"),
}
# Enqueuing after commit must not hang a request when the broker is down.
OPENDOCKET_PUBLISH_RETRY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
