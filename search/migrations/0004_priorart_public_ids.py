"""A partial, covering index of the submissions anyone may see.

Search's visibility filters ask "is this submission public?" for many rows at once
(comments on evidence, sources.CommentSource): PostgreSQL answers with a hashed set of
the public submissions' ids. Without this index it builds that set by reading the whole
submissions table, text and all (0.6 s at 100,000 submissions); with it, from this index
alone (bench/README.md, docs/performance.md).
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS priorart_public_ids ON submissions_priorart (id) INCLUDE (case_id)
WHERE status IN ('submitted', 'vetted', 'forwarded')
  AND NOT held_for_screening AND NOT hidden_by_flags
"""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_libraryimport_private_file"),
        (
            "submissions",
            "0002_comment_search_vector_priorart_library_document_and_more",
        ),
    ]

    operations = [
        migrations.RunSQL(
            sql=CREATE, reverse_sql="DROP INDEX IF EXISTS priorart_public_ids"
        )
    ]
