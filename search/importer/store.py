"""Storing a batch of validated rows: COPY into a temporary table, then per kind of key
(identifier, or content for documents without one) an UPDATE of the documents whose
fields differ and an INSERT of the rows no document matches. A document that did not
change is not written, so its search vector is not computed again."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction

from .rows import COLUMNS

TEMP_TABLE = "_library_import_rows"
CREATE_TEMP_SQL = f"""
CREATE TEMP TABLE IF NOT EXISTS {TEMP_TABLE} (
    line integer, identifier text, identifier_key text, title text, body text,
    url text, published_on date, published_on_precision text, source text,
    language text, content_hash text
) ON COMMIT DROP
"""
# For the transaction of a batch: compress texts with lz4 where the server has it (far
# cheaper than pglz), and let the GIN index's pending list grow to 16 MB before it is
# merged (fewer, larger merges; ``clean_pending_list`` merges the rest at the end).
SETTINGS_SQL = """
SELECT set_config('gin_pending_list_limit', '16384', true),
    (SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings
     WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))
"""
# What makes a stored document differ from a row (title and text through content_hash).
COMPARED = [
    "identifier",
    "content_hash",
    "url",
    "published_on",
    "published_on_precision",
    "source",
    "language",
]
# A document keeps the agency and the person that first loaded it. An import for an
# agency changes only that agency's documents; an operator's (no agency: the command,
# a site admin's upload) changes any. The shared documents, of no agency, are the
# operators' alone: an editor's load could otherwise rewrite them and claim them.
_MAY_CHANGE = (
    "(%(agency)s::bigint IS NULL OR d.agency_id IS NOT DISTINCT FROM %(agency)s)"
)
_SET = ", ".join(f"{c} = t.{c}" for c in COLUMNS if c != "identifier_key") + (
    ", agency_id = COALESCE(d.agency_id, %(agency)s), "
    "added_by_id = COALESCE(d.added_by_id, %(user)s), updated_at = now()"
)
_DIFFERS = (
    f"({', '.join('d.' + c for c in COMPARED)}) IS DISTINCT FROM "
    f"({', '.join('t.' + c for c in COMPARED)})"
)
# Per kind of key: the rows of the temporary table it applies to, how such a row
# matches a document, and the conflict target (a partial unique index, whose predicate
# the match repeats so that the index is used).
KINDS = [
    (
        "NOT t.identifier_key = ''",
        "d.identifier_key = t.identifier_key AND NOT d.identifier_key = ''",
        "(identifier_key) WHERE NOT identifier_key = ''",
    ),
    (
        "t.identifier_key = ''",
        "d.content_hash = t.content_hash AND d.identifier_key = ''",
        "(content_hash) WHERE identifier_key = ''",
    ),
]
UPDATE_SQL = f"""
UPDATE search_librarydocument AS d SET {_SET}
FROM {TEMP_TABLE} AS t WHERE {{own}} AND {{match}} AND {_DIFFERS} AND {_MAY_CHANGE}
"""  # noqa: S608 - table and column names come from code
# The rows that would change a document of another agency: refused, with its name.
FOREIGN_SQL = f"""
SELECT t.line, a.name FROM {TEMP_TABLE} AS t
JOIN search_librarydocument AS d ON {{match}}
LEFT JOIN cases_agency AS a ON a.id = d.agency_id
WHERE {{own}} AND {_DIFFERS} AND NOT {_MAY_CHANGE}
"""  # noqa: S608 - table and column names come from code
# Only rows no document matches are inserted; ON CONFLICT covers a document another
# import inserted meanwhile. RETURNING tells inserted rows (xmax = 0) from updated ones.
INSERT_SQL = f"""
INSERT INTO search_librarydocument AS d ({", ".join(COLUMNS)},
    agency_id, added_by_id, created_at, updated_at)
SELECT {", ".join("t." + c for c in COLUMNS)}, %(agency)s, %(user)s, now(), now()
FROM {TEMP_TABLE} AS t
WHERE {{own}} AND NOT EXISTS (SELECT 1 FROM search_librarydocument AS d WHERE {{match}})
ORDER BY t.line
ON CONFLICT {{target}} DO UPDATE SET {_SET.replace("t.", "EXCLUDED.")}
WHERE {_DIFFERS.replace("t.", "EXCLUDED.")} AND {_MAY_CHANGE}
RETURNING (xmax = 0)
"""  # noqa: S608 - table and column names come from code
STATEMENTS = [
    (
        FOREIGN_SQL.format(own=own, match=match),
        UPDATE_SQL.format(own=own, match=match),
        INSERT_SQL.format(own=own, match=match, target=target),
    )
    for own, match, target in KINDS
]
FOREIGN_REASON = (
    "a document with this identifier (or this text) was loaded by {agency}; "
    "only its own agency or a site admin can change it, so it was left as it is"
)
SHARED_REASON = (
    "a document with this identifier (or this text) is in the shared library, "
    "loaded by the site's operators; only a site admin can change it, so it was "
    "left as it is"
)
# The database errors one document can cause, as SQLSTATE classes: data exceptions,
# integrity, program limits (a text too large for a tsvector). Anything else (a lost
# connection, a cancelled statement, a deadlock) is not about the row: it stops the
# import.
ROW_ERROR_CLASSES = ("22", "23", "54")


@dataclass
class Stored:
    """What storing a batch did; ``refused`` holds (line, reason) of the rows the
    database refused."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


def store_batch(rows: list[tuple[int, dict]], *, agency_id, user_id) -> Stored:
    """Store a batch in one transaction; if the database refuses it for a row's
    content, store its rows one by one and report the refused ones."""
    try:
        created, updated, foreign = store(rows, agency_id=agency_id, user_id=user_id)
    except DatabaseError as error:
        reason = row_error(error)
        if reason is None:
            raise
        if len(rows) == 1:
            return Stored(refused=[(rows[0][0], reason)])
        result = Stored()
        for row in rows:
            one = store_batch([row], agency_id=agency_id, user_id=user_id)
            result.created += one.created
            result.updated += one.updated
            result.unchanged += one.unchanged
            result.refused += one.refused
        return result
    refused = [
        (line, FOREIGN_REASON.format(agency=name) if name else SHARED_REASON)
        for line, name in foreign
    ]
    unchanged = len(rows) - created - updated - len(refused)
    return Stored(created, updated, unchanged, refused)


def store(
    rows: list[tuple[int, dict]], *, agency_id, user_id
) -> tuple[int, int, list[tuple[int, str]]]:
    """Store ``(line number, row)`` pairs in one transaction (a savepoint when nested);
    returns (created, updated, [(line, agency name)] of the rows left alone because
    they would change another agency's document). The rows' keys must be distinct."""
    params = {"agency": agency_id, "user": user_id}
    created = updated = 0
    foreign: list[tuple[int, str]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SETTINGS_SQL)
        cursor.execute(CREATE_TEMP_SQL)
        cursor.execute(f"TRUNCATE {TEMP_TABLE}")
        with cursor.cursor.copy(
            f"COPY {TEMP_TABLE} (line, {', '.join(COLUMNS)}) FROM STDIN"
        ) as copy:
            for number, row in rows:
                copy.write_row([number] + [row[c] for c in COLUMNS])
        # Statistics of the keys, so that the planner probes the unique indexes.
        cursor.execute(f"ANALYZE {TEMP_TABLE} (identifier_key, content_hash)")
        for foreign_sql, update_sql, insert_sql in STATEMENTS:
            cursor.execute(foreign_sql, params)
            foreign += cursor.fetchall()
            cursor.execute(update_sql, params)
            updated += cursor.rowcount
            cursor.execute(insert_sql, params)
            for (inserted,) in cursor.fetchall():
                if inserted:
                    created += 1
                else:
                    updated += 1
    return created, updated, foreign


def clean_pending_list() -> None:
    """Merge the GIN index's pending list into the index now, so that searches right
    after an import do not scan it. Left to autovacuum where the role may not."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('library_search_gin')")
            cursor.execute("SELECT gin_clean_pending_list('library_title_gin')")
    except DatabaseError:
        pass


def row_error(error: DatabaseError) -> str | None:
    """The reason to report when the database refused a row for its content, or
    ``None`` when the error is not about the row."""
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or ""
    if not sqlstate.startswith(ROW_ERROR_CLASSES):
        return None
    message = (str(cause).splitlines() or [sqlstate])[0]
    return f"the database refused this document: {message}"
