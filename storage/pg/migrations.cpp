#include "storage/pg/migrations.h"

#include <array>

namespace storage::pg {
namespace {

// Version 1: the tables of every tool (SCHEMA.md). Ids that the file engine orders by bytes are
// COLLATE "C" here too, so ORDER BY gives the same tie-breaks on both engines.
constexpr Sql kVersion1 = R"sql(
-- Names and ids, checked as storage/segment.h checks them.
CREATE DOMAIN ooc_team AS text COLLATE "C"
  CHECK (VALUE ~ '^[a-z0-9]([a-z0-9_]{0,38}[a-z0-9])?$' AND VALUE !~ '_ro$');
CREATE DOMAIN ooc_project_id AS text COLLATE "C"
  CHECK (VALUE ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$');
CREATE DOMAIN ooc_segment_id AS text COLLATE "C"
  CHECK (VALUE ~ '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$');
CREATE DOMAIN ooc_session_id AS text COLLATE "C"
  CHECK (VALUE ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$');

-- The teams the current role may read (writable = false) or write (writable = true): role
-- ooc_team_<team> reads and writes, ooc_team_<team>_ro reads. Membership may be indirect.
CREATE FUNCTION ooc_member_teams(writable boolean) RETURNS SETOF text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $fn$
    SELECT CASE WHEN r.rolname LIKE '%\_ro' THEN substr(r.rolname, 10, length(r.rolname) - 12)
                ELSE substr(r.rolname, 10) END
    FROM pg_catalog.pg_roles r
    WHERE r.rolname LIKE 'ooc\_team\_%'
      AND (NOT writable OR r.rolname NOT LIKE '%\_ro')
      AND pg_catalog.pg_has_role(r.oid, 'MEMBER')
  $fn$;

CREATE TABLE ooc_projects (
  team ooc_team NOT NULL,
  project_id ooc_project_id NOT NULL,
  project_key text COLLATE "C" GENERATED ALWAYS AS (lower(project_id)) STORED,
  root_path text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team, project_key)
);

CREATE TABLE ooc_sessions (
  team ooc_team NOT NULL,
  session_id ooc_session_id NOT NULL,
  owner text NOT NULL,
  owner_role text NOT NULL DEFAULT current_user,
  lock_key bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  PRIMARY KEY (team, session_id)
);

CREATE TABLE ooc_segments (
  team ooc_team NOT NULL,
  project_key text COLLATE "C" NOT NULL,
  segment_id ooc_segment_id NOT NULL,
  revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1),
  type text NOT NULL CHECK (type IN ('message', 'code', 'log', 'note', 'decision', 'summary')),
  text text NOT NULL CHECK (text <> ''),
  task_id text,
  file_path text,
  topic_id text,
  line_start bigint,
  line_end bigint,
  tags text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  last_touched_at timestamptz NOT NULL,
  pinned boolean NOT NULL DEFAULT false,
  generation text NOT NULL DEFAULT 'young' CHECK (generation IN ('young', 'old')),
  gc_survival_count bigint NOT NULL DEFAULT 0 CHECK (gc_survival_count >= 0),
  refcount bigint NOT NULL DEFAULT 0 CHECK (refcount >= 0),
  tokens bigint NOT NULL DEFAULT 0 CHECK (tokens >= 0),
  tier text NOT NULL DEFAULT 'stashed' CHECK (tier = 'stashed'),
  metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  supersedes text[] NOT NULL DEFAULT '{}',
  superseded_by ooc_segment_id,
  CHECK ((line_start IS NULL) = (line_end IS NULL) AND line_start >= 1 AND line_end >= line_start),
  PRIMARY KEY (team, project_key, segment_id),
  FOREIGN KEY (team, project_key) REFERENCES ooc_projects (team, project_key)
);

CREATE TABLE ooc_working (
  team ooc_team NOT NULL,
  session_id ooc_session_id NOT NULL,
  project_key text COLLATE "C" NOT NULL,
  segment_id ooc_segment_id NOT NULL,
  revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1),
  type text NOT NULL CHECK (type IN ('message', 'code', 'log', 'note', 'decision', 'summary')),
  text text NOT NULL CHECK (text <> ''),
  task_id text,
  file_path text,
  topic_id text,
  line_start bigint,
  line_end bigint,
  tags text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  last_touched_at timestamptz NOT NULL,
  pinned boolean NOT NULL DEFAULT false,
  generation text NOT NULL DEFAULT 'young' CHECK (generation IN ('young', 'old')),
  gc_survival_count bigint NOT NULL DEFAULT 0 CHECK (gc_survival_count >= 0),
  refcount bigint NOT NULL DEFAULT 0 CHECK (refcount >= 0),
  tokens bigint NOT NULL DEFAULT 0 CHECK (tokens >= 0),
  tier text NOT NULL DEFAULT 'working' CHECK (tier = 'working'),
  metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  supersedes text[] NOT NULL DEFAULT '{}',
  superseded_by ooc_segment_id,
  CHECK ((line_start IS NULL) = (line_end IS NULL) AND line_start >= 1 AND line_end >= line_start),
  PRIMARY KEY (team, session_id, project_key, segment_id),
  FOREIGN KEY (team, project_key) REFERENCES ooc_projects (team, project_key),
  FOREIGN KEY (team, session_id) REFERENCES ooc_sessions (team, session_id)
);
CREATE INDEX ooc_working_project ON ooc_working (team, project_key);

-- The source of truth for catching up with other processes' writes (not NOTIFY).
CREATE TABLE ooc_changes (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team ooc_team NOT NULL,
  project_key text COLLATE "C" NOT NULL,
  segment_id ooc_segment_id,
  op text NOT NULL CHECK (op IN ('put', 'delete', 'working_put', 'working_delete', 'project')),
  session_id ooc_session_id,
  revision bigint CHECK (revision >= 1),
  at timestamptz NOT NULL DEFAULT now(),
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  FOREIGN KEY (team, project_key) REFERENCES ooc_projects (team, project_key)
);
CREATE INDEX ooc_changes_project ON ooc_changes (team, project_key, seq);

-- The keys of committed write calls: a call whose COMMIT reply was lost asks whether its key is
-- here (it was applied) or not (it was not), instead of guessing or writing twice.
CREATE TABLE ooc_idempotency (
  team ooc_team NOT NULL,
  key text COLLATE "C" NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team, key)
);
CREATE INDEX ooc_idempotency_created ON ooc_idempotency (created_at);

-- Row-level security per team, for the tables' owner too (FORCE). Superusers and roles with
-- BYPASSRLS are not bound by it (PostgreSQL's rule).
DO $rls$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ooc_projects', 'ooc_sessions', 'ooc_segments', 'ooc_working', 'ooc_changes',
                           'ooc_idempotency'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY ooc_team_read ON %I FOR SELECT '
                   'USING (team IN (SELECT m.team COLLATE "C" FROM ooc_member_teams(false) AS m(team)))', t);
    EXECUTE format('CREATE POLICY ooc_team_write ON %I FOR ALL '
                   'USING (team IN (SELECT m.team COLLATE "C" FROM ooc_member_teams(true) AS m(team))) '
                   'WITH CHECK (team IN (SELECT m.team COLLATE "C" FROM ooc_member_teams(true) AS m(team)))', t);
  END LOOP;
END
$rls$;
)sql";

constexpr std::array<Migration, 1> kMigrations = {{
    {1, "team store: projects, segments, working sets, sessions, changes, idempotency keys, row-level security",
     kVersion1},
}};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int64_t latest_schema_version() { return kMigrations.back().version; }

}  // namespace storage::pg
