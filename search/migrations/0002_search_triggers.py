"""Triggers that keep the search vectors of cases, submissions and comments current.

Their text search configuration follows the case's language, and a case's vector spans its
claims and a submission's its claim explanations: other rows, so no generated column can
hold them. Triggers recompute a vector when its own text changes, whatever code path made
the change (ADR 0005). A status change, a vote or a flag recomputes nothing.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION opendocket_case_vector(c cases_case) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector(cfg, coalesce(c.reference, '') || ' ' || coalesce(c.title, '')), 'A')
        || setweight(to_tsvector(cfg, coalesce(c.abstract, '')), 'B')
        || setweight(to_tsvector(cfg, coalesce(
               (SELECT string_agg(cl.text, ' ' ORDER BY cl.number)
                  FROM cases_claim cl WHERE cl.case_id = c.id), '')), 'B')
        || setweight(to_tsvector(cfg, regexp_replace(coalesce(c.body, ''), '<[^>]*>', ' ', 'g')), 'C')
    FROM (SELECT opendocket_regconfig(c.language) AS cfg) s
$$;

CREATE OR REPLACE FUNCTION opendocket_case_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := opendocket_case_vector(NEW);
    RETURN NEW;
END $$;

CREATE TRIGGER case_search_vector
    BEFORE INSERT OR UPDATE OF reference, title, abstract, body, language, search_vector
    ON cases_case FOR EACH ROW EXECUTE FUNCTION opendocket_case_vector_trigger();

-- A case's language decides its submissions' and comments' configuration too.
CREATE OR REPLACE FUNCTION opendocket_case_language_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.language IS DISTINCT FROM OLD.language THEN
        UPDATE submissions_priorart SET search_vector = NULL WHERE case_id = NEW.id;
        UPDATE submissions_comment SET search_vector = NULL WHERE case_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER case_language_search_vector
    AFTER UPDATE OF language ON cases_case
    FOR EACH ROW EXECUTE FUNCTION opendocket_case_language_trigger();

CREATE OR REPLACE FUNCTION opendocket_claim_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE cases_case SET search_vector = NULL WHERE id = OLD.case_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.case_id <> OLD.case_id) THEN
        UPDATE cases_case SET search_vector = NULL WHERE id = NEW.case_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER claim_search_vector
    AFTER INSERT OR DELETE OR UPDATE OF text, number, case_id
    ON cases_claim FOR EACH ROW EXECUTE FUNCTION opendocket_claim_trigger();

CREATE OR REPLACE FUNCTION opendocket_prior_art_vector(p submissions_priorart) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector(cfg, coalesce(p.title, '') || ' ' || coalesce(p.identifier, '')), 'A')
        || setweight(to_tsvector(cfg, coalesce(p.authors, '')), 'B')
        || setweight(to_tsvector(cfg, coalesce(p.excerpt, '') || ' ' || coalesce(p.relevance, '') || ' ' || coalesce(
               (SELECT string_agg(m.explanation, ' ' ORDER BY m.id)
                  FROM submissions_claimmapping m WHERE m.prior_art_id = p.id), '')), 'C')
    FROM (SELECT opendocket_regconfig(
              (SELECT language FROM cases_case WHERE id = p.case_id)) AS cfg) s
$$;

CREATE OR REPLACE FUNCTION opendocket_prior_art_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := opendocket_prior_art_vector(NEW);
    RETURN NEW;
END $$;

CREATE TRIGGER prior_art_search_vector
    BEFORE INSERT OR UPDATE OF title, identifier, authors, excerpt, relevance, case_id, search_vector
    ON submissions_priorart FOR EACH ROW EXECUTE FUNCTION opendocket_prior_art_vector_trigger();

CREATE OR REPLACE FUNCTION opendocket_mapping_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE submissions_priorart SET search_vector = NULL WHERE id = OLD.prior_art_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.prior_art_id <> OLD.prior_art_id) THEN
        UPDATE submissions_priorart SET search_vector = NULL WHERE id = NEW.prior_art_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER mapping_search_vector
    AFTER INSERT OR DELETE OR UPDATE OF explanation, prior_art_id
    ON submissions_claimmapping FOR EACH ROW EXECUTE FUNCTION opendocket_mapping_trigger();

CREATE OR REPLACE FUNCTION opendocket_comment_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := setweight(to_tsvector(
        opendocket_regconfig((SELECT language FROM cases_case WHERE id = NEW.case_id)),
        coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END $$;

CREATE TRIGGER comment_search_vector
    BEFORE INSERT OR UPDATE OF body, case_id, search_vector
    ON submissions_comment FOR EACH ROW EXECUTE FUNCTION opendocket_comment_vector_trigger();

-- Vectors for what existed before these triggers.
UPDATE cases_case SET search_vector = NULL;
UPDATE submissions_priorart SET search_vector = NULL;
UPDATE submissions_comment SET search_vector = NULL;
"""

REVERSE = """
DROP TRIGGER IF EXISTS comment_search_vector ON submissions_comment;
DROP TRIGGER IF EXISTS mapping_search_vector ON submissions_claimmapping;
DROP TRIGGER IF EXISTS prior_art_search_vector ON submissions_priorart;
DROP TRIGGER IF EXISTS claim_search_vector ON cases_claim;
DROP TRIGGER IF EXISTS case_language_search_vector ON cases_case;
DROP TRIGGER IF EXISTS case_search_vector ON cases_case;
DROP FUNCTION IF EXISTS opendocket_comment_vector_trigger();
DROP FUNCTION IF EXISTS opendocket_mapping_trigger();
DROP FUNCTION IF EXISTS opendocket_prior_art_vector_trigger();
DROP FUNCTION IF EXISTS opendocket_prior_art_vector(submissions_priorart);
DROP FUNCTION IF EXISTS opendocket_claim_trigger();
DROP FUNCTION IF EXISTS opendocket_case_language_trigger();
DROP FUNCTION IF EXISTS opendocket_case_vector_trigger();
DROP FUNCTION IF EXISTS opendocket_case_vector(cases_case);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("cases", "0005_case_search_vector_case_case_search_gin"),
        ("submissions", "0002_comment_search_vector_priorart_library_document_and_more"),
    ]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=REVERSE)]
