"""BM25 by document length, and a first tier of titles for broad queries: see search 0007."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.expressions
import django.db.models.functions.text
import search.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_library_vector_split_titles"),
    ]

    operations = [
        migrations.AddField(
            model_name="librarydocument",
            name="search_length",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.CombinedExpression(
                    django.db.models.expressions.CombinedExpression(
                        django.db.models.functions.text.Length("title"),
                        "+",
                        django.db.models.functions.text.Length("identifier"),
                    ),
                    "+",
                    django.db.models.functions.text.Length("body"),
                ),
                output_field=models.IntegerField(),
            ),
        ),
        migrations.AddField(
            model_name="librarydocument",
            name="title_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.SearchVector(
                        "title",
                        "identifier",
                        config=search.models.RegConfig(models.F("language")),
                        weight="A",
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        models.Case(
                            models.When(
                                then=models.Func(
                                    models.F("title"),
                                    models.Value("._/:"),
                                    models.Value("    "),
                                    function="translate",
                                ),
                                title__regex="[._/:][[:alnum:]]",
                            ),
                            default=models.Value(""),
                            output_field=models.TextField(),
                        ),
                        config=search.models.RegConfig(models.F("language")),
                        weight="A",
                    ),
                    django.contrib.postgres.search.SearchConfig(
                        search.models.RegConfig(models.F("language"))
                    ),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="librarydocument",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title_vector"], name="library_title_gin"
            ),
        ),
    ]
