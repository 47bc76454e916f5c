{%- set schema = name | replace("-", "_") -%}
-- Newest items first is the common query; this index serves it.
CREATE INDEX example_items_created_at_idx ON ${{ schema }}.example_items (created_at DESC);
