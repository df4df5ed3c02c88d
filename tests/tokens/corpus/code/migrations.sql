-- 0007: segments get a token estimate and a full-text index.
BEGIN;

ALTER TABLE segments ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();

CREATE INDEX IF NOT EXISTS segments_project_updated_idx
    ON segments (project_id, updated_at DESC);

CREATE INDEX IF NOT EXISTS segments_text_fts_idx
    ON segments USING gin (to_tsvector('english', title || ' ' || text));

-- Backfill: roughly 4 bytes per token until the application recomputes it.
UPDATE segments SET tokens = GREATEST(1, octet_length(text) / 4) WHERE tokens = 0;

CREATE OR REPLACE VIEW project_totals AS
SELECT p.id AS project_id,
       p.name,
       count(s.id)                  AS segments,
       coalesce(sum(s.tokens), 0)   AS tokens,
       max(s.updated_at)            AS last_write
  FROM projects p
  LEFT JOIN segments s ON s.project_id = p.id AND s.deleted_at IS NULL
 GROUP BY p.id, p.name;

COMMIT;
