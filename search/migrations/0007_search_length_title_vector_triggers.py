"""The triggers of cases, submissions and comments also keep their BM25 document length
(``search_length``, in characters) and their first tier (``title_vector``, the weight-A
part of the vector), and index a dotted or underscored title by its words as the library
does (0005), so ranking needs nothing but the stored columns. Every existing vector is
computed again: seconds for a hundred thousand submissions."""

import importlib

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION opendocket_split_title(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN t ~ '[._/:][[:alnum:]]' THEN translate(t, '._/:', '    ') ELSE '' END
$$;

CREATE OR REPLACE FUNCTION opendocket_case_vector(c cases_case) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector(cfg, coalesce(c.reference, '') || ' ' || coalesce(c.title, '')), 'A')
        || setweight(to_tsvector(cfg, opendocket_split_title(coalesce(c.title, ''))), 'A')
        || setweight(to_tsvector(cfg, coalesce(c.abstract, '')), 'B')
        || setweight(to_tsvector(cfg, coalesce(
               (SELECT string_agg(cl.text, ' ' ORDER BY cl.number)
                  FROM cases_claim cl WHERE cl.case_id = c.id), '')), 'B')
        || setweight(to_tsvector(cfg, regexp_replace(coalesce(c.body, ''), '<[^>]*>', ' ', 'g')), 'C')
    FROM (SELECT opendocket_regconfig(c.language) AS cfg) s
$$;

CREATE OR REPLACE FUNCTION opendocket_case_length(c cases_case) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT length(coalesce(c.reference, '')) + length(coalesce(c.title, ''))
        + length(coalesce(c.abstract, ''))
        + coalesce((SELECT sum(length(cl.text)) FROM cases_claim cl WHERE cl.case_id = c.id), 0)::integer
        + length(regexp_replace(coalesce(c.body, ''), '<[^>]*>', ' ', 'g'))
$$;

CREATE OR REPLACE FUNCTION opendocket_case_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := opendocket_case_vector(NEW);
    NEW.title_vector := ts_filter(NEW.search_vector, '{a}');
    NEW.search_length := opendocket_case_length(NEW);
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS case_search_vector ON cases_case;
CREATE TRIGGER case_search_vector
    BEFORE INSERT OR UPDATE OF reference, title, abstract, body, language, search_vector,
        title_vector, search_length
    ON cases_case FOR EACH ROW EXECUTE FUNCTION opendocket_case_vector_trigger();

CREATE OR REPLACE FUNCTION opendocket_prior_art_vector(p submissions_priorart) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector(cfg, coalesce(p.title, '') || ' ' || coalesce(p.identifier, '')), 'A')
        || setweight(to_tsvector(cfg, opendocket_split_title(coalesce(p.title, ''))), 'A')
        || setweight(to_tsvector(cfg, coalesce(p.authors, '')), 'B')
        || setweight(to_tsvector(cfg, coalesce(p.excerpt, '') || ' ' || coalesce(p.relevance, '') || ' ' || coalesce(
               (SELECT string_agg(m.explanation, ' ' ORDER BY m.id)
                  FROM submissions_claimmapping m WHERE m.prior_art_id = p.id), '')), 'C')
    FROM (SELECT opendocket_regconfig(
              (SELECT language FROM cases_case WHERE id = p.case_id)) AS cfg) s
$$;

CREATE OR REPLACE FUNCTION opendocket_prior_art_length(p submissions_priorart) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT length(coalesce(p.title, '')) + length(coalesce(p.identifier, ''))
        + length(coalesce(p.authors, '')) + length(coalesce(p.excerpt, ''))
        + length(coalesce(p.relevance, ''))
        + coalesce((SELECT sum(length(m.explanation)) FROM submissions_claimmapping m
                     WHERE m.prior_art_id = p.id), 0)::integer
$$;

CREATE OR REPLACE FUNCTION opendocket_prior_art_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := opendocket_prior_art_vector(NEW);
    NEW.title_vector := ts_filter(NEW.search_vector, '{a}');
    NEW.search_length := opendocket_prior_art_length(NEW);
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS prior_art_search_vector ON submissions_priorart;
CREATE TRIGGER prior_art_search_vector
    BEFORE INSERT OR UPDATE OF title, identifier, authors, excerpt, relevance, case_id,
        search_vector, title_vector, search_length
    ON submissions_priorart FOR EACH ROW EXECUTE FUNCTION opendocket_prior_art_vector_trigger();

CREATE OR REPLACE FUNCTION opendocket_comment_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := setweight(to_tsvector(
        opendocket_regconfig((SELECT language FROM cases_case WHERE id = NEW.case_id)),
        coalesce(NEW.body, '')), 'C');
    NEW.search_length := length(coalesce(NEW.body, ''));
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS comment_search_vector ON submissions_comment;
CREATE TRIGGER comment_search_vector
    BEFORE INSERT OR UPDATE OF body, case_id, search_vector, search_length
    ON submissions_comment FOR EACH ROW EXECUTE FUNCTION opendocket_comment_vector_trigger();

UPDATE cases_case SET search_vector = NULL;
UPDATE submissions_priorart SET search_vector = NULL;
UPDATE submissions_comment SET search_vector = NULL;

-- The average length BM25 divides by is now in characters (search.stats.refresh).
UPDATE search_corpusstat s SET avg_length = x.average FROM (
    SELECT 'library' AS doc_type, avg(search_length) AS average
      FROM search_librarydocument
    UNION ALL SELECT 'case', avg(search_length) FROM cases_case WHERE live
    UNION ALL SELECT 'prior_art', avg(search_length) FROM submissions_priorart
     WHERE status IN ('submitted', 'vetted', 'forwarded') AND NOT held_for_screening
       AND NOT hidden_by_flags
    UNION ALL SELECT 'comment', avg(search_length) FROM submissions_comment
     WHERE NOT hidden AND NOT hidden_by_flags
) x
WHERE s.doc_type = x.doc_type AND x.average IS NOT NULL;
"""


def reverse_sql() -> str:
    """Back to the triggers and functions of 0002, exactly as it made them."""
    triggers = importlib.import_module("search.migrations.0002_search_triggers")
    return (
        triggers.REVERSE
        + "DROP FUNCTION IF EXISTS opendocket_prior_art_length(submissions_priorart);"
        + "DROP FUNCTION IF EXISTS opendocket_case_length(cases_case);"
        + triggers.FORWARD
        + "DROP FUNCTION IF EXISTS opendocket_split_title(text);"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_library_search_length_title_vector"),
        ("cases", "0006_case_search_length_title_vector"),
        ("submissions", "0003_search_length_title_vector"),
    ]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=reverse_sql())]
