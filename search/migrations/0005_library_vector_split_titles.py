"""The library's vector also indexes dotted and underscored titles by their words."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import search.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_priorart_public_ids"),
    ]

    operations = [
        # A generated column cannot be altered: drop it (and its index) and add it again.
        # Re-adding computes every row's vector: minutes at a million documents.
        migrations.RemoveIndex(model_name="librarydocument", name="library_search_gin"),
        migrations.RemoveField(model_name="librarydocument", name="search_vector"),
        migrations.AddField(
            model_name="librarydocument",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
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
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "body",
                        config=search.models.RegConfig(models.F("language")),
                        weight="C",
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
                fields=["search_vector"], name="library_search_gin"
            ),
        ),
    ]
