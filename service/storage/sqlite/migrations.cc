#include "service/storage/sqlite/migrations.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "service/storage/sqlite/insights_schema.h"
#include "util/status_macros.h"

namespace opinia::storage::sqlite {
namespace {

// Append only: never edit a migration that has shipped; a schema change is
// a new migration at the end.
//
// Times are INTEGER microseconds since the epoch (INT64_MIN/MAX for
// InfinitePast/InfiniteFuture); opaque bytes (hashes, serialized protos) are
// BLOBs. api_keys.tenant_id is NULL for operator keys.
constexpr const char* kMigrations[] = {
    // 1: tenants, keys, reviews, audit log.
    R"sql(
CREATE TABLE tenants (
  id           TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  time_zone    TEXT NOT NULL,
  create_time  INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT REFERENCES tenants(id),
  roles        INTEGER NOT NULL,
  display_name TEXT NOT NULL,
  secret_hash  TEXT NOT NULL UNIQUE,
  create_time  INTEGER NOT NULL,
  revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_by_tenant ON api_keys(tenant_id, id);

CREATE TABLE reviews (
  id                INTEGER PRIMARY KEY,
  tenant_id         TEXT NOT NULL REFERENCES tenants(id),
  source            TEXT NOT NULL,
  external_id       TEXT NOT NULL,
  subject_id        TEXT NOT NULL,
  rating            INTEGER NOT NULL,
  language          TEXT NOT NULL,
  label             INTEGER NOT NULL,
  score             REAL NOT NULL,
  priority          INTEGER NOT NULL,
  status            INTEGER NOT NULL,
  deleted           INTEGER NOT NULL,
  create_time       INTEGER NOT NULL,
  ingest_time       INTEGER NOT NULL,
  modify_time       INTEGER NOT NULL,
  respond_by        INTEGER NOT NULL,
  content_hash      BLOB NOT NULL,
  input_hash        BLOB NOT NULL,
  input             BLOB NOT NULL,
  analysis          BLOB NOT NULL,
  override_analysis BLOB NOT NULL,
  response_text     TEXT NOT NULL,
  response_author   TEXT NOT NULL,
  response_time     INTEGER NOT NULL,
  search_text       TEXT NOT NULL,
  UNIQUE (tenant_id, source, external_id)
);
-- The ListReviews keyset order. It also carries every filter column, so a
-- filter without its own index and CountReviews scan the index, not the
-- (wide) rows.
CREATE INDEX reviews_by_time ON reviews(tenant_id, create_time, id, deleted,
  source, subject_id, language, label, priority, status, rating);
-- Selective filters keep the keyset order after their equality column.
CREATE INDEX reviews_by_subject
  ON reviews(tenant_id, subject_id, create_time, id, deleted);
CREATE INDEX reviews_by_priority
  ON reviews(tenant_id, priority, create_time, id, deleted);
CREATE INDEX reviews_by_status
  ON reviews(tenant_id, status, create_time, id, deleted);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL,
  detail    TEXT NOT NULL,
  time      INTEGER NOT NULL
);
CREATE INDEX audit_log_by_target ON audit_log(tenant_id, target, id);
)sql",
    // 2: alerts outbox, alert rules, alert settings and scheduler state.
    // alerts.id is the outbox order (streams, resume tokens,
    // webhooks); rows are never deleted so ids are never reused.
    R"sql(
CREATE TABLE alert_rules (
  id             INTEGER PRIMARY KEY,
  tenant_id      TEXT NOT NULL REFERENCES tenants(id),
  spec           BLOB NOT NULL,
  create_time    INTEGER NOT NULL,
  update_time    INTEGER NOT NULL,
  last_fire_time INTEGER NOT NULL
);
CREATE INDEX alert_rules_by_tenant ON alert_rules(tenant_id, id);

CREATE TABLE alerts (
  id           INTEGER PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenants(id),
  kind         INTEGER NOT NULL,
  priority     INTEGER NOT NULL,
  review_id    INTEGER NOT NULL,
  rule_id      INTEGER NOT NULL,
  reasons      TEXT NOT NULL,
  state        INTEGER NOT NULL,
  snooze_until INTEGER NOT NULL,
  create_time  INTEGER NOT NULL,
  update_time  INTEGER NOT NULL,
  summary      TEXT NOT NULL,
  source       TEXT NOT NULL,
  dedup_key    TEXT NOT NULL
);
CREATE INDEX alerts_by_tenant ON alerts(tenant_id, id);
CREATE INDEX alerts_by_dedup ON alerts(tenant_id, dedup_key, state);
CREATE INDEX alerts_by_review ON alerts(tenant_id, review_id, state)
  WHERE review_id != 0;

CREATE TABLE alert_settings (
  tenant_id        TEXT PRIMARY KEY REFERENCES tenants(id),
  defaults_created INTEGER NOT NULL,
  spike_k          REAL NOT NULL
);

CREATE TABLE alert_spikes (
  tenant_id  TEXT NOT NULL,
  scope      TEXT NOT NULL,
  fired_time INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, scope)
);

-- SLA scan: unanswered reviews by deadline.
CREATE INDEX reviews_by_respond_by ON reviews(tenant_id, respond_by)
  WHERE deleted = 0 AND status IN (1, 2);
)sql",
    // 3: insights rollups, review aspects and full-text search; the SQL is
    // in insights_schema.cc.
    kInsightsMigration,
    // 4: webhooks and their delivery queue. A
    // webhook's cursor is the last alert id it has considered; deliveries
    // hold the retry state so a restart resumes them. AUTOINCREMENT: ids of
    // deleted rows are never reused (an attempt in flight for a deleted
    // delivery must not update a new one).
    R"sql(
CREATE TABLE webhooks (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  url         TEXT NOT NULL,
  secret      BLOB NOT NULL,
  priorities  TEXT NOT NULL,
  kinds       TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  cursor      INTEGER NOT NULL
);
CREATE INDEX webhooks_by_tenant ON webhooks(tenant_id, id);

CREATE TABLE webhook_deliveries (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id        INTEGER NOT NULL REFERENCES webhooks(id),
  tenant_id         TEXT NOT NULL,
  alert_id          INTEGER NOT NULL,
  state             INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  next_attempt_time INTEGER NOT NULL,
  create_time       INTEGER NOT NULL,
  update_time       INTEGER NOT NULL,
  last_error        TEXT NOT NULL,
  last_status       INTEGER NOT NULL,
  UNIQUE (webhook_id, alert_id)
);
-- The dispatcher's queue: pending rows by due time.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_time, id)
  WHERE state = 1;
-- ListWebhooks: counts per state, the latest finished row and error.
CREATE INDEX webhook_deliveries_by_update
  ON webhook_deliveries(webhook_id, update_time, id);
)sql",
    // 5: collectors: configuration blob, schedule and
    // sync state. AUTOINCREMENT: a deleted collector's id is never reused
    // (its reviews keep naming it in attributes["collector"]).
    R"sql(
CREATE TABLE collectors (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id             TEXT NOT NULL REFERENCES tenants(id),
  spec                  BLOB NOT NULL,
  poll_interval_seconds INTEGER NOT NULL,
  create_time           INTEGER NOT NULL,
  update_time           INTEGER NOT NULL,
  next_run_time         INTEGER NOT NULL,
  last_run_time         INTEGER NOT NULL,
  last_success_time     INTEGER NOT NULL,
  last_full_time        INTEGER NOT NULL,
  last_error            TEXT NOT NULL,
  reviews_fetched       INTEGER NOT NULL,
  runs_since_full       INTEGER NOT NULL,
  cursor                BLOB NOT NULL
);
CREATE INDEX collectors_by_tenant ON collectors(tenant_id, id);
-- The scheduler's query: scheduled collectors by due time.
CREATE INDEX collectors_due ON collectors(next_run_time, id)
  WHERE poll_interval_seconds > 0;
)sql",
    // 6: per-tenant settings (SLA policy, spike cooldown; durations in
    // microseconds) and the alert event log. alert_events is
    // the outbox streams and webhooks read: an alert's creation and its
    // later events (a snooze running out) each get a row. Existing alerts'
    // creation events keep the alert id as their id, so resume tokens and
    // webhook cursors (alert ids before this migration) stay valid. Deliveries are
    // per event now: the table is rebuilt for UNIQUE (webhook_id, event_id),
    // keeping ids and the AUTOINCREMENT high-water mark.
    R"sql(
ALTER TABLE alert_settings ADD COLUMN spike_cooldown INTEGER NOT NULL
  DEFAULT 86400000000;
ALTER TABLE alert_settings ADD COLUMN sla_p1 INTEGER NOT NULL
  DEFAULT 3600000000;
ALTER TABLE alert_settings ADD COLUMN sla_p2 INTEGER NOT NULL
  DEFAULT 14400000000;
ALTER TABLE alert_settings ADD COLUMN sla_p3 INTEGER NOT NULL
  DEFAULT 86400000000;
ALTER TABLE alert_settings ADD COLUMN sla_p4 INTEGER NOT NULL
  DEFAULT 259200000000;

CREATE TABLE alert_events (
  id        INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  alert_id  INTEGER NOT NULL,
  type      INTEGER NOT NULL,
  time      INTEGER NOT NULL
);
INSERT INTO alert_events (id, tenant_id, alert_id, type, time)
  SELECT id, tenant_id, id, 1, create_time FROM alerts;
CREATE INDEX alert_events_by_tenant ON alert_events(tenant_id, id);

CREATE TABLE webhook_deliveries_v6 (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id        INTEGER NOT NULL REFERENCES webhooks(id),
  tenant_id         TEXT NOT NULL,
  alert_id          INTEGER NOT NULL,
  event_id          INTEGER NOT NULL,
  state             INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  next_attempt_time INTEGER NOT NULL,
  create_time       INTEGER NOT NULL,
  update_time       INTEGER NOT NULL,
  last_error        TEXT NOT NULL,
  last_status       INTEGER NOT NULL,
  UNIQUE (webhook_id, event_id)
);
INSERT INTO webhook_deliveries_v6 (id, webhook_id, tenant_id, alert_id,
  event_id, state, attempts, next_attempt_time, create_time, update_time,
  last_error, last_status)
  SELECT id, webhook_id, tenant_id, alert_id, alert_id, state, attempts,
    next_attempt_time, create_time, update_time, last_error, last_status
  FROM webhook_deliveries;
DELETE FROM sqlite_sequence WHERE name = 'webhook_deliveries_v6';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'webhook_deliveries_v6', seq FROM sqlite_sequence
  WHERE name = 'webhook_deliveries';
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_v6 RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_time, id)
  WHERE state = 1;
CREATE INDEX webhook_deliveries_by_update
  ON webhook_deliveries(webhook_id, update_time, id);
)sql",
    // 7: monthly response delay histograms and an index by delay for the
    // exact median response time; the SQL is in insights_schema.cc.
    kInsightsRollupsMigration,
    // 8: the insights and full-text triggers defer their work to the end of
    // the write transaction (the writer's cost per review);
    // deferred_schema.cc.
    kDeferredIndexMigration,
    // 9: nothing fires on INSERT INTO reviews (no statement journal per
    // review); SqliteTxn::InsertReview logs what the triggers did;
    // deferred_schema.cc.
    kInsertWithoutTriggersMigration,
    // 10: the server secret (Store::ServerSecret). randomblob() draws from
    // SQLite's ChaCha20 generator, seeded from /dev/urandom.
    R"sql(
CREATE TABLE server_secrets (
  name   TEXT PRIMARY KEY,
  secret BLOB NOT NULL
);
INSERT INTO server_secrets (name, secret) VALUES ('server', randomblob(32));
)sql",
    // 11: response delays measured from when Opinia first saw the review;
    // response_delay_schema.cc.
    kResponseDelayMigration,
};

constexpr int64_t kNumMigrations = sizeof(kMigrations) / sizeof(kMigrations[0]);

// Applies the migration after the current version, reading that version
// inside the write transaction so two processes opening one file at once
// cannot both apply it. Sets *done when nothing was left to apply.
absl::Status ApplyNext(Connection& conn, int64_t target, bool* done) {
  RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  absl::StatusOr<int64_t> current = SchemaVersion(conn);
  absl::Status status = current.status();
  int64_t next = 0;
  if (status.ok() && *current > kNumMigrations) {
    status = absl::FailedPreconditionError(absl::StrCat(
        "database schema version ", *current, " is newer than this binary (",
        kNumMigrations, "); upgrade opinia-server"));
  } else if (status.ok() && *current >= target) {
    *done = true;
  } else if (status.ok()) {
    next = *current + 1;
    status = conn.Exec(kMigrations[next - 1]);
    // PRAGMA takes no bound parameters; `next` is our own integer.
    const std::string bump = absl::StrCat("PRAGMA user_version = ", next);
    if (status.ok()) status = conn.Exec(bump.c_str());
  }
  if (status.ok()) status = conn.Commit();
  if (status.ok() && next > 0) conn.SetUserVersionCache(next);
  if (!status.ok()) {
    if (!conn.InAutocommit()) conn.Exec("ROLLBACK").IgnoreError();
    if (next == 0) return status;
    return absl::Status(status.code(), absl::StrCat("migration ", next, ": ",
                                                    status.message()));
  }
  return absl::OkStatus();
}

}  // namespace

int64_t LatestSchemaVersion() { return kNumMigrations; }

absl::StatusOr<int64_t> SchemaVersion(Connection& conn) {
  ASSIGN_OR_RETURN(std::string v, conn.PragmaValue("user_version"));
  const int64_t version = std::stoll(v);
  conn.SetUserVersionCache(version);
  return version;
}

absl::Status ApplyMigrations(Connection& conn) {
  return ApplyMigrationsUpTo(conn, kNumMigrations);
}

absl::Status ApplyMigrationsUpTo(Connection& conn, int64_t version) {
  if (version < 0 || version > kNumMigrations) {
    return absl::InvalidArgumentError(
        absl::StrCat("no schema version ", version));
  }
  bool done = false;
  while (!done) {
    RETURN_IF_ERROR(ApplyNext(conn, version, &done));
  }
  return absl::OkStatus();
}

}  // namespace opinia::storage::sqlite
