-- A session log as a schema 2 build (before priorities were recorded) left it: the tables,
-- indexes and trigger of that build, with an escalated, a completed and an abandoned call.
-- The tests build a database from this text to check the update to schema 3.
CREATE TABLE IF NOT EXISTS meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT OR IGNORE INTO meta(key, value) VALUES ('application', 'signpost'), ('schema_version', '2');
CREATE TABLE IF NOT EXISTS sessions(
  id            TEXT PRIMARY KEY,
  tree_id       TEXT NOT NULL,
  tree_version  INTEGER NOT NULL,
  tree_hash     TEXT NOT NULL,
  agent         TEXT NOT NULL,
  started_ms    INTEGER NOT NULL,
  ended_ms      INTEGER,
  status        TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'completed', 'escalated', 'abandoned')),
  outcome       TEXT,
  end_node      TEXT,
  last_event_ms INTEGER NOT NULL,
  host          TEXT NOT NULL,
  pid           INTEGER NOT NULL,
  trail         BLOB,
  trail_events  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS events(
  session_id TEXT NOT NULL REFERENCES sessions(id),
  seq        INTEGER NOT NULL,
  time_ms    INTEGER NOT NULL,
  kind       TEXT NOT NULL
             CHECK (kind IN ('start', 'enter', 'choose', 'back', 'restart', 'field', 'note', 'end')),
  tree_id    TEXT NOT NULL,
  node       TEXT NOT NULL,
  choice     INTEGER,
  detail     TEXT NOT NULL,
  outcome    TEXT,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_by_start ON sessions(started_ms, id);
CREATE INDEX IF NOT EXISTS sessions_by_tree ON sessions(tree_id, started_ms, id);
CREATE INDEX IF NOT EXISTS sessions_by_agent ON sessions(agent, started_ms, id);
CREATE INDEX IF NOT EXISTS sessions_active ON sessions(last_event_ms) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS events_by_node ON events(tree_id, node, kind);
CREATE TRIGGER IF NOT EXISTS events_beyond_trail AFTER INSERT ON events
WHEN NEW.seq >= (SELECT trail_events FROM sessions WHERE id = NEW.session_id)
BEGIN
  UPDATE sessions SET trail = x'00' WHERE id = NEW.session_id AND trail IS NOT NULL AND trail <> x'00';
END;
INSERT INTO sessions(id, tree_id, tree_version, tree_hash, agent, started_ms, ended_ms, status, outcome,
                     end_node, last_event_ms, host, pid, trail, trail_events) VALUES
  ('11111111-1111-4111-8111-111111111111', 'handoffs', 3, '00000000000000aa', 'ana', 1700000000000, 1700000002000,
   'escalated', 'Billing', 'handoff', 1700000002000, 'desk-1', 4242, NULL, 0),
  ('22222222-2222-4222-8222-222222222222', 'handoffs', 3, '00000000000000aa', 'ben', 1700000010000, 1700000011000,
   'completed', 'resolved', 'fixed', 1700000011000, 'desk-2', 4343, NULL, 0),
  ('33333333-3333-4333-8333-333333333333', 'handoffs', 3, '00000000000000aa', 'ana', 1700000020000, 1700000021000,
   'abandoned', 'caller hung up', 'power', 1700000021000, 'desk-1', 4242, NULL, 0);
INSERT INTO events(session_id, seq, time_ms, kind, tree_id, node, choice, detail, outcome) VALUES
  ('11111111-1111-4111-8111-111111111111', 0, 1700000000000, 'start', 'handoffs', 'power', NULL, 'ana', NULL),
  ('11111111-1111-4111-8111-111111111111', 1, 1700000000000, 'enter', 'handoffs', 'power', NULL, '', NULL),
  ('11111111-1111-4111-8111-111111111111', 2, 1700000001000, 'choose', 'handoffs', 'power', 1, 'No', NULL),
  ('11111111-1111-4111-8111-111111111111', 3, 1700000001000, 'enter', 'handoffs', 'handoff', NULL, '', NULL),
  ('11111111-1111-4111-8111-111111111111', 4, 1700000002000, 'end', 'handoffs', 'handoff', NULL, 'escalated', 'Billing'),
  ('22222222-2222-4222-8222-222222222222', 0, 1700000010000, 'start', 'handoffs', 'power', NULL, 'ben', NULL),
  ('22222222-2222-4222-8222-222222222222', 1, 1700000010000, 'enter', 'handoffs', 'power', NULL, '', NULL),
  ('22222222-2222-4222-8222-222222222222', 2, 1700000010500, 'choose', 'handoffs', 'power', 0, 'Yes', NULL),
  ('22222222-2222-4222-8222-222222222222', 3, 1700000010500, 'enter', 'handoffs', 'fixed', NULL, '', NULL),
  ('22222222-2222-4222-8222-222222222222', 4, 1700000011000, 'end', 'handoffs', 'fixed', NULL, 'completed', 'resolved'),
  ('33333333-3333-4333-8333-333333333333', 0, 1700000020000, 'start', 'handoffs', 'power', NULL, 'ana', NULL),
  ('33333333-3333-4333-8333-333333333333', 1, 1700000020000, 'enter', 'handoffs', 'power', NULL, '', NULL),
  ('33333333-3333-4333-8333-333333333333', 2, 1700000021000, 'end', 'handoffs', 'power', NULL, 'abandoned', 'caller hung up');
