"""Open data: the command, the nightly task, the Open data page and the downloads."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.test import RequestFactory
from django.urls import reverse

from search import opendata
from search.tasks import export_open_data
from search.views.opendata import open_data_file
from tests.search.opendata_world import (
    DATA_FILES,
    out_dir_fixture,  # noqa: F401 - fixture
    world_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


# --- Command and task ------------------------------------------------------------------


def test_command_prints_each_file_with_rows_and_size(world, tmp_path):
    target = tmp_path / "elsewhere"
    out = io.StringIO()
    call_command("export_open_data", "--output", str(target), stdout=out)
    text = out.getvalue()
    for name in [*DATA_FILES, "manifest.json"]:
        assert name in text
        assert (target / name).is_file()
    line = next(line for line in text.splitlines() if "evidence.jsonl" in line)
    size = filesizeformat((target / "evidence.jsonl").stat().st_size)
    assert " 3 rows" in line and line.endswith(size)


def test_command_refuses_a_file_as_output(tmp_path):
    target = tmp_path / "a-file"
    target.write_text("not a directory")
    with pytest.raises(CommandError, match="not a directory"):
        call_command("export_open_data", "--output", str(target))


def test_nightly_task_writes_to_the_configured_directory(world, out_dir, settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["search-export-open-data"]["task"]
        == "search.export_open_data"
    )
    names = export_open_data.apply().get()
    assert names == [*DATA_FILES, "manifest.json"]
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(names)


# --- The page and the downloads --------------------------------------------------------


def test_page_before_any_export_says_so(client, out_dir):
    response = client.get(reverse("search:open_data"))
    assert response.status_code == 200
    assert "No open data has been exported yet" in response.content.decode()


def test_page_lists_every_file_with_its_checksum_and_link(client, world, out_dir):
    opendata.export()
    manifest = json.loads((out_dir / "manifest.json").read_text())
    response = client.get(reverse("search:open_data"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "CC BY 4.0" in html and "Last generated on" in html
    for entry in manifest["files"]:
        assert reverse("search:open_data_file", args=[entry["name"]]) in html
        assert entry["sha256"] in html
    assert reverse("search:open_data_file", args=["manifest.json"]) in html
    assert "No open data has been exported yet" not in html


@pytest.mark.parametrize(
    "name, content_type",
    [
        ("cases.jsonl", "application/x-ndjson"),
        ("evidence.csv", "text/csv; charset=utf-8"),
        ("manifest.json", "application/json"),
    ],
)
def test_download_serves_the_file_as_an_attachment(
    client, world, out_dir, name, content_type
):
    opendata.export()
    response = client.get(reverse("search:open_data_file", args=[name]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert b"".join(response.streaming_content) == (out_dir / name).read_bytes()


def test_names_the_manifest_does_not_list_are_not_found(client, world, out_dir):
    opendata.export()
    (out_dir / "notes.txt").write_text("not listed")
    (out_dir.parent / "secret.txt").write_text("outside")
    (out_dir / ".export-cases.jsonl.x").write_text("temporary")
    for path in (
        "/open-data/notes.txt",
        "/open-data/..%2Fsecret.txt",
        "/open-data/../secret.txt",
        "/open-data/%2Fetc%2Fpasswd",
        "/open-data/.export-cases.jsonl.x",
        "/open-data/..",
    ):
        assert client.get(path).status_code == 404, path
    request = RequestFactory().get("/")
    for name in ("../secret.txt", str(out_dir.parent / "secret.txt"), "/etc/passwd"):
        with pytest.raises(Http404):
            open_data_file(request, name)


def test_downloads_before_any_export_are_not_found(client, out_dir):
    assert client.get("/open-data/manifest.json").status_code == 404
    assert client.get("/open-data/cases.csv").status_code == 404


def test_an_unreadable_manifest_reads_as_no_export(client, out_dir):
    out_dir.mkdir(parents=True)
    (out_dir / "manifest.json").write_text('{"files": [{"name": "cases.csv"')
    (out_dir / "cases.csv").write_text("id\n1\n")
    response = client.get(reverse("search:open_data"))
    assert response.status_code == 200
    assert "No open data has been exported yet" in response.content.decode()
    assert client.get("/open-data/cases.csv").status_code == 404
