"""``manage.py export_open_data [--output DIR]``: write the open data files now (the
nightly beat task ``search.export_open_data`` does the same)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from search import opendata


class Command(BaseCommand):
    help = (
        "Write the open data files (JSON Lines, CSV and manifest.json) of published "
        "cases, vetted evidence and the library, replacing the previous ones whole."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="DIR",
            type=Path,
            help="Directory to write to (default: OPENDOCKET_OPEN_DATA_DIR, "
            f"now {settings.OPENDOCKET_OPEN_DATA_DIR}). Created if missing.",
        )

    def handle(self, *args, output: Path | None = None, **options):
        directory = output or Path(settings.OPENDOCKET_OPEN_DATA_DIR)
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a directory.")
        try:
            paths = opendata.export(directory, progress=self._progress)
        except OSError as error:
            raise CommandError(f"Could not write to {directory}: {error}")
        manifest = opendata.read_manifest(paths[-1].parent) or {"files": []}
        entries = {entry["name"]: entry for entry in manifest["files"]}
        width = max(len(path.name) for path in paths)
        self.stdout.write(f"Wrote {len(paths)} files to {paths[-1].parent}:")
        for path in paths:
            entry = entries.get(path.name)
            rows = f"{entry['rows']:>10,} rows" if entry else " " * 15
            size = filesizeformat(path.stat().st_size)
            self.stdout.write(f"  {path.name:<{width}}  {rows}  {size:>10}")
        self.stdout.write(self.style.SUCCESS("Done."))

    def _progress(self, dataset: str, done: int, total: int) -> None:
        """A progress bar on a terminal; nothing when the output is a log."""
        if not self.stderr.isatty() or not total:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        self.stderr.write(f"\r{dataset:<9} [{bar}] {done:,}/{total:,}{end}", ending="")
        self.stderr.flush()
