"""Development: safe defaults so a fresh clone runs with no configuration."""

import os

from .base import *  # noqa: F403

DATABASES = {"default": database_config(allow_embedded=True)}  # noqa: F405
DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS + ["[::1]"]  # noqa: F405
OPENDOCKET_DEMO_ALLOWED = True
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
