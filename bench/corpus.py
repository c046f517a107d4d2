"""Real text found on this machine, offline: the docstrings of the Python standard library
and the installed packages, and the long descriptions of the installed Debian packages.

The generator builds its documents from these sentences (so term frequencies follow real
technical writing), and the findability benchmark uses them as known-item test
collections: a docstring's (or a package's) one-line summary is the query, the rest of its
text the document that should be found.
"""

from __future__ import annotations

import ast
import re
import sys
import sysconfig
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DPKG_STATUS = Path("/var/lib/dpkg/status")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# Lines that are code, tables, directives or parameter lists, not prose.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NOT_PROSE_RE = re.compile(r"^\s*(>>>|\.\.\.|\.\. |:|[-=~*^+|]{3,}|[\w.]+\s*[:=(]\s*$)")


@dataclass(frozen=True)
class Item:
    """One known item: ``query`` (a summary line) should find ``body`` (the rest)."""

    key: str
    query: str
    body: str
    origin: str


def source_roots() -> list[Path]:
    """The standard library and every installed package directory."""
    roots = [Path(sysconfig.get_paths()["stdlib"])]
    roots += [Path(p) for p in sys.path if p.endswith("site-packages")]
    return [root for root in dict.fromkeys(roots) if root.is_dir()]


def clean(text: str) -> str:
    """Without control characters (PostgreSQL text holds no NUL)."""
    return CONTROL_RE.sub(" ", text)


def _prose(text: str) -> str:
    text = clean(text)
    lines = [line for line in text.splitlines() if not NOT_PROSE_RE.match(line)]
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def docstrings(limit: int | None = None) -> Iterator[Item]:
    """Docstrings of modules, classes and functions, split into their summary line and
    the rest (at least 25 words of prose), in a stable order."""
    seen: set[str] = set()
    count = 0
    for root in source_roots():
        for path in sorted(root.rglob("*.py")):
            if "test" in path.parts or "tests" in path.parts or "idlelib" in path.parts:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    tree = ast.parse(path.read_bytes())
            except (SyntaxError, ValueError, OSError, RecursionError):
                continue
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            for node in ast.walk(tree):
                if not isinstance(
                    node,
                    ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef,
                ):
                    continue
                doc = ast.get_docstring(node)
                if not doc or "\n\n" not in doc:
                    continue
                summary, rest = doc.split("\n\n", 1)
                summary = re.sub(r"\s+", " ", clean(summary)).strip()
                rest = _prose(rest)
                if len(WORD_RE.findall(summary)) < 3 or len(rest.split()) < 25:
                    continue
                if rest in seen or len(summary) > 300:
                    continue
                seen.add(rest)
                name = getattr(node, "name", "")
                yield Item(f"{module}.{name}".rstrip("."), summary, rest, "python")
                count += 1
                if limit is not None and count >= limit:
                    return


def debian_descriptions(path: Path = DPKG_STATUS) -> Iterator[Item]:
    """Installed Debian packages: the short description as the query, the long one (at
    least 15 words) as the document."""
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8", errors="replace")
    for stanza in text.split("\n\n"):
        package = re.search(r"^Package: (.+)$", stanza, re.M)
        match = re.search(r"^Description: (.*)\n((?: .*\n?)*)", stanza, re.M)
        if not package or not match:
            continue
        lines = [line[1:] for line in match.group(2).splitlines()]
        body = " ".join("" if line.strip() == "." else line for line in lines)
        body = re.sub(r"\s+", " ", clean(body)).strip()
        if len(body.split()) >= 15:
            yield Item(package.group(1), match.group(1).strip(), body, "debian")


def sentences(limit: int | None = None) -> list[str]:
    """Prose sentences (6 to 60 words) from both sources, deduplicated, in stable order."""
    pool: dict[str, None] = {}
    for item in debian_descriptions():
        for sentence in SENTENCE_END_RE.split(item.body):
            if 6 <= len(sentence.split()) <= 60:
                pool.setdefault(sentence, None)
    for item in docstrings():
        for sentence in SENTENCE_END_RE.split(f"{item.query} {item.body}"):
            if 6 <= len(sentence.split()) <= 60 and "`" not in sentence:
                pool.setdefault(sentence, None)
        if limit is not None and len(pool) >= limit:
            break
    return list(pool)[:limit]
