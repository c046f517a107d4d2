"""Tests: the real database (embedded or DATABASE_URL), fast hashing, no outgoing mail."""

from config import embedded

from .base import *  # noqa: F403

DATABASES = {"default": database_config(allow_embedded=True)}  # noqa: F405
SECRET_KEY = "test-only-insecure-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
OPENDOCKET_DEMO_ALLOWED = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "anon": "10000/min",
        "user": "10000/min",
        "auth": "10000/min",
        "search_anon": "10000/min",
    },
}
# Tests search the page many times from one address; the rate limit's own test lowers it.
OPENDOCKET_RATE_LIMITS = {**OPENDOCKET_RATE_LIMITS, "search": "10000/m"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
PRIVATE_MEDIA_ROOT = embedded.VAR_DIR / "test-private-media"
MEDIA_ROOT = embedded.VAR_DIR / "test-media"
LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": "WARNING"},
}
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    # Apart from a `make run` on the same checkout, so tests never eat its messages.
    CELERY_BROKER_TRANSPORT_OPTIONS = embedded.broker_transport_options(
        embedded.VAR_DIR / "celery-broker-test"
    )
