"""Production settings refuse to start without what they need."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run_with(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "CELERY_BROKER_URL", "DJANGO_ALLOWED_HOSTS"}
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_overrides}
    )
    return subprocess.run(
        [sys.executable, "-c", LOAD], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_settings_name_every_missing_variable():
    result = run_with({"DATABASE_URL": os.environ["DATABASE_URL"]})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "CELERY_BROKER_URL" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_settings_start_when_configured():
    result = run_with(
        {
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "DJANGO_SECRET_KEY": "x" * 50,
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "DJANGO_ALLOWED_HOSTS": "opendocket.example.org",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
