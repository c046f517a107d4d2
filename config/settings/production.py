"""Production: refuses to start without what it needs; nothing insecure by default."""

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before anything else loads, so nothing starts on a half-configured machine.
REQUIRED = [
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DJANGO_ALLOWED_HOSTS",
]
missing = [name for name in REQUIRED if not os.environ.get(name)]
if missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(missing)
    )

from .base import *  # noqa: E402, F403

DATABASES = {"default": database_config(allow_embedded=False)}  # noqa: F405

DEBUG = False
OPENDOCKET_DEMO_ALLOWED = False
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # noqa: F405
