"""``manage.py import_library PATH``: load prior-art library documents from JSON Lines.

Shows progress on stderr (bytes read of the file's size, lines, rate), prints a summary,
lists the first bad lines with their numbers and reasons, and exits with status 1 when a
line was bad (the good lines are loaded all the same) or the file cannot be read.
Idempotent: loading a file again changes nothing. See docs/operations.md.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from cases.models import Agency
from search import importer, stats

SHOWN_ERRORS = 20


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of 1 or more: {value!r}"
        )
    return number


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


class Progress:
    """A progress line on a terminal, rewritten in place; elsewhere (a log, a pipe), a
    line at most every ``interval`` seconds."""

    width = 24

    def __init__(self, out, size: int, *, enabled: bool, interval: float = 5.0):
        self.out, self.size, self.enabled = out, size, enabled
        self.tty = enabled and out.isatty()
        self.interval = interval
        self.started = time.monotonic()
        self.last: float | None = None
        self.shown = False

    def update(self, lines: int, read: int) -> None:
        now = time.monotonic()
        if not self.enabled:
            return
        if not self.tty and self.last is not None and now - self.last < self.interval:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        parts = []
        if self.size:
            fraction = min(read / self.size, 1.0)
            done = int(fraction * self.width)
            bar = "#" * done + "-" * (self.width - done)
            parts.append(f"{fraction:4.0%} [{bar}] {_megabytes(read)} of")
            parts.append(_megabytes(self.size))
        else:
            parts.append(f"{_megabytes(read)} read")
        parts.append(f"| {lines:,} lines | {lines / elapsed:,.0f} lines/s")
        text = " ".join(parts)
        if self.tty:
            self.out.write("\r" + text.ljust(78), ending="")
            self.out.flush()
            self.shown = True
        else:
            self.out.write(text)

    def close(self) -> None:
        if self.shown:
            self.out.write("")  # end the line the bar was drawn on


class Command(BaseCommand):
    help = (
        "Load prior-art library documents from a JSON Lines file (PATH, or - for "
        "standard input): one object a line with title and body, and optionally "
        "identifier, url, published_on, source, language. Loading a file again changes "
        "nothing. Exits with status 1 if a line was bad; the good lines are loaded."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("path", help="the JSON Lines file, or - for standard input")
        parser.add_argument(
            "--agency",
            metavar="SLUG",
            help="the agency the documents are loaded for (its slug)",
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=importer.BATCH_SIZE,
            metavar="N",
            help=f"lines stored per transaction (default {importer.BATCH_SIZE})",
        )

    def handle(self, *args, path, agency, batch_size, verbosity, **options):
        agency = self._agency(agency) if agency else None
        stream, size, name = self._open(path, options.get("stdin"))
        progress = Progress(self.stderr, size, enabled=verbosity > 0)
        started = time.monotonic()
        try:
            report = importer.import_lines(
                importer.read_lines(stream),
                agency=agency,
                progress=progress.update,
                batch_size=batch_size,
            )
        except OSError as error:
            progress.close()
            raise CommandError(
                f"Reading {name} failed: {error.strerror or error}. The batches stored "
                "before that are kept; run the command again to load the rest."
            ) from None
        finally:
            if path != "-":
                stream.close()
        progress.close()
        if report.changed:
            stats.refresh(["library"])
        self._summary(report, name, time.monotonic() - started)
        if report.error_count:
            raise CommandError(
                f"{report.error_count:,} bad line was not loaded; the other lines were."
                if report.error_count == 1
                else f"{report.error_count:,} bad lines were not loaded; the other "
                "lines were."
            )

    @staticmethod
    def _agency(slug: str) -> Agency:
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            known = ", ".join(
                Agency.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(
                f"No agency has the slug {slug!r}. Known slugs: {known or 'none'}."
            )
        return agency

    @staticmethod
    def _open(path: str, stdin):
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            return stream, 0, "standard input"
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed in handle()
        except OSError as error:
            raise CommandError(
                f"Cannot read {path}: {error.strerror or error}."
            ) from None
        info = os.fstat(stream.fileno())
        # A pipe or a device has no size: progress then shows bytes read only.
        return stream, info.st_size if stat.S_ISREG(info.st_mode) else 0, path

    def _summary(self, report: importer.ImportReport, name: str, seconds: float):
        self.stdout.write(
            f"Read {report.lines:,} lines from {name} in {seconds:,.1f} s: "
            f"{report.created:,} created, {report.updated:,} updated, "
            f"{report.unchanged:,} unchanged, {report.error_count:,} bad."
        )
        if not report.errors:
            return
        shown = report.errors[:SHOWN_ERRORS]
        heading = (
            "Bad lines:"
            if report.error_count == len(shown)
            else f"Bad lines (the first {len(shown)} of {report.error_count:,}):"
        )
        self.stderr.write(heading)
        for error in shown:
            self.stderr.write(f"  line {error.line:,}: {error.reason}")
