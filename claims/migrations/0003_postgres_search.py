"""PostgreSQL search: accent-blind French full text on claims, trigram name lookups.

A text search configuration "claims_french" (unaccent, then French stemming) feeds a
stored, generated tsvector column with a GIN index; speaker names and aliases get trigram
indexes for "contains" lookups. SQLite has none of this: the migration does nothing there.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'claims_french') THEN
            CREATE TEXT SEARCH CONFIGURATION claims_french (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION claims_french
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$
    """,
    """
    ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('claims_french'::regconfig, coalesce(text, ''))) STORED
    """,
    "CREATE INDEX IF NOT EXISTS claims_claim_search_gin ON claims_claim USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS claims_alias_normalized_trgm ON claims_alias "
    "USING gin (normalized gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS claims_speaker_name_trgm ON claims_speaker "
    "USING gin (name_normalized gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS claims_speaker_name_trgm",
    "DROP INDEX IF EXISTS claims_alias_normalized_trgm",
    "DROP INDEX IF EXISTS claims_claim_search_gin",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS claims_french",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_stance_contradicts_history")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
