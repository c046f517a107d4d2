"""BM25 by document length, and a first tier of titles for broad queries: see search 0007."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_search_vector_case_case_search_gin"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_length",
            field=models.PositiveIntegerField(
                default=0, db_default=0, editable=False, serialize=False
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, serialize=False
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title_vector"], name="case_title_gin"
            ),
        ),
    ]
