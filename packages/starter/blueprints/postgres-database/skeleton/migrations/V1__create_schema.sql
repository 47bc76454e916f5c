{%- set schema = name | replace("-", "_") -%}
-- Flyway runs every migrations/V<version>__<description>.sql once, in version order, and records it
-- in ${{ schema }}.flyway_schema_history. Never edit a migration that ran somewhere: add the next one.

CREATE SCHEMA IF NOT EXISTS ${{ schema }};

-- An example table to start from; change or drop it in your next migration.
CREATE TABLE ${{ schema }}.example_items (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE ${{ schema }}.example_items IS 'Example table created with the database; replace it with your own.';
