"""BM25 by document length, and a first tier of titles for broad queries: see search 0007."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        (
            "submissions",
            "0002_comment_search_vector_priorart_library_document_and_more",
        ),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="search_length",
            field=models.PositiveIntegerField(default=0, db_default=0, editable=False),
        ),
        migrations.AddField(
            model_name="priorart",
            name="search_length",
            field=models.PositiveIntegerField(default=0, db_default=0, editable=False),
        ),
        migrations.AddField(
            model_name="priorart",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.AddIndex(
            model_name="priorart",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title_vector"], name="priorart_title_gin"
            ),
        ),
    ]
