#include "service/server/options.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"

namespace {
constexpr char kDefaultHttpListen[] = "127.0.0.1:8080";
}  // namespace

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "HOST:PORT to listen on; port 0 picks a free port (see --ready-file)");
ABSL_FLAG(std::string, db, "data/opinia.db",
          "SQLite database file (its directory is created if missing), or a "
          "PostgreSQL connection URI postgresql://USER@HOST:PORT/DBNAME "
          "(any libpq URI: password from the URI, $PGPASSWORD or ~/.pgpass; "
          "TLS with ?sslmode=verify-full)");
ABSL_FLAG(int, db_pool_size, 8,
          "PostgreSQL only: connections this server opens to the database "
          "(one per transaction in flight); mind the server's "
          "max_connections across all replicas");
ABSL_FLAG(std::string, bootstrap_admin_key_file, "",
          "On an empty key table, create an operator key and write its "
          "secret to this file (mode 0600); an existing file is left alone");
ABSL_FLAG(std::string, models, "",
          "Model directory; default: $OPINIA_MODELS_DIR, ./models, or the "
          "source tree's models/, whichever exists first");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain (enables TLS)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key (with --tls-cert)");
ABSL_FLAG(std::string, ready_file, "",
          "Once serving, write \"HOST:PORT\\n\" with the bound port here "
          "(atomically, via rename)");
ABSL_FLAG(std::string, metrics_listen, "",
          "HOST:PORT to serve Prometheus metrics on (GET /metrics); port 0 "
          "picks a free one (logged as \"metrics on ...\"); empty = off");
ABSL_FLAG(std::string, http_listen, kDefaultHttpListen,
          "HOST:PORT of the JSON API over HTTP (POST /v1/{Service}/{Method}), "
          "its OpenAPI document (/v1/openapi.json) and the dashboard (/); "
          "HTTPS with --tls-cert/--tls-key. Port 0 picks a free one (logged "
          "as \"http on ...\"); empty = off. When this default port is "
          "taken the server starts without HTTP and logs a warning; any other "
          "address must be free");
ABSL_FLAG(int, http_threads, 32,
          "Threads serving HTTP connections; each open event stream "
          "(StreamAlerts as Server-Sent Events) holds one, so at most "
          "http-threads minus 4 streams are served at once (503 beyond)");
ABSL_FLAG(std::string, http_allowed_origins, "",
          "Comma-separated origins, e.g. https://app.example, whose web "
          "pages may call the HTTP API from the browser (CORS); a "
          "cross-origin write from any other origin is refused with 403. "
          "Empty = the server's own origin only");
ABSL_FLAG(std::string, log_format, "text",
          "Log lines as \"text\" or \"json\" (one object per line: time, "
          "level, msg, fields)");
ABSL_FLAG(double, rate_limit_rps, 5000,
          "Calls per second allowed per API key (token bucket); every call, "
          "stream open and StreamIngestReviews message takes a token. Over "
          "it: RESOURCE_EXHAUSTED with google.rpc.RetryInfo (an ingest "
          "stream is slowed to the rate instead). Counted by each server: N "
          "replicas admit up to N times the rate per key. 0 = no limit");
ABSL_FLAG(double, rate_limit_burst, 0,
          "Token bucket size of --rate-limit-rps; 0 = two seconds' worth");
ABSL_FLAG(int, max_streams_per_key, 128,
          "Open streams (StreamAlerts, StreamIngestReviews) one API key may "
          "have; over it: RESOURCE_EXHAUSTED. 0 = no limit");
ABSL_FLAG(int, max_streams_per_tenant, 512,
          "Open streams all keys of one tenant may have together; over it: "
          "RESOURCE_EXHAUSTED. 0 = no limit");
ABSL_FLAG(int, max_webhooks_per_tenant, 20,
          "Webhooks one tenant may have (each alert is POSTed to each); "
          "CreateWebhook over it: FAILED_PRECONDITION. 0 = no limit");
ABSL_FLAG(int, max_collectors_per_tenant, 100,
          "Collectors one tenant may have; CreateCollector over it: "
          "FAILED_PRECONDITION. 0 = no limit");
ABSL_FLAG(int, max_batch, 1000, "Most reviews per IngestReviews call");
ABSL_FLAG(int64_t, max_text_bytes, 65536, "Longest review text in bytes");
ABSL_FLAG(int64_t, max_message_bytes, 8 << 20,
          "Largest request message in bytes (larger: RESOURCE_EXHAUSTED)");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "On SIGTERM/SIGINT, how long in-flight calls may take to finish");
ABSL_FLAG(int, workers, 0,
          "Worker threads for request work; 0 = 8 x hardware threads, min 16 "
          "(they mostly wait for the group commit)");
ABSL_FLAG(int, worker_nice, 5,
          "How much nicer (lower CPU priority, 0..19) the worker threads run "
          "than the store's single writer thread");
ABSL_FLAG(int, alert_tick_seconds, 30,
          "How often the alert scheduler looks for SLA breaches, volume "
          "spikes and expired snoozes; 0 disables it. With replicas on one "
          "database one of them runs the passes (its lease lasts 2 min or 3 "
          "ticks, whichever is longer; another takes over when it ends)");
ABSL_FLAG(int, webhook_max_attempts, 8,
          "Webhook delivery attempts before a delivery is dead-lettered");
ABSL_FLAG(int, webhook_timeout_seconds, 10,
          "Timeout of one webhook POST (connect + response)");
ABSL_FLAG(int, reply_max_attempts, 8,
          "Attempts to publish (or delete) a reply on a review platform "
          "before it is dead-lettered as FAILED (with an alert)");
ABSL_FLAG(int, reply_timeout_seconds, 30,
          "Timeout of one request to a review platform's reply API");
ABSL_FLAG(int, reply_backoff_seconds, 2,
          "Base of the full-jitter exponential back-off between reply "
          "attempts (doubles per attempt, at most 10 min; a platform's "
          "Retry-After is honoured, up to 1 h); 0 retries on the next tick");
ABSL_FLAG(std::string, outbound_allow, "",
          "CIDR[,CIDR...] that collectors and webhooks may connect to although "
          "they are refused by default (loopback, private RFC 1918, "
          "carrier-grade NAT, link-local incl. cloud metadata, unique-local, "
          "multicast, unspecified, reserved), e.g. 10.20.0.0/16 for an "
          "on-premises feed; the server's own listening ports stay refused. "
          "Empty = none");
ABSL_FLAG(std::string, secrets_key_file, "",
          "Key that seals webhook secrets and collector credentials in the "
          "database (AES-256-GCM): base64 of 32 random bytes, e.g. "
          "`openssl rand -base64 32`; made (0600) if missing while nothing "
          "is sealed yet. Default: $OPINIA_SECRETS_KEY_FILE, else the key "
          "itself in $OPINIA_SECRETS_KEY, else secrets.key in the "
          "database's folder (in the working directory for a postgresql:// "
          "database; every server on one database needs the same key). Keep "
          "it out of the database's backups");
ABSL_FLAG(std::string, old_secrets_key_file, "",
          "Rotation: the previous secrets key; secrets sealed with it are "
          "re-sealed with --secrets-key-file at startup (or by "
          "--rotate-secrets-key)");
ABSL_FLAG(bool, rotate_secrets_key, false,
          "Re-seal every secret in --db with --secrets-key-file=NEW (made if "
          "missing), opening them with --old-secrets-key-file=OLD, then "
          "exit; stop the server first");
ABSL_FLAG(int, collector_threads, 16,
          "Threads running collector syncs (RunCollector and scheduled), "
          "shared by all tenants; never the RPC workers");
ABSL_FLAG(int, collector_runs_per_tenant, 2,
          "Collector syncs of one tenant running at once; more wait in the "
          "tenant's queue while other tenants' runs go on");
ABSL_FLAG(int, collector_runs_per_destination, 2,
          "Collector syncs against one scheme://host:port at once (all "
          "tenants; tenants take turns)");
ABSL_FLAG(int, webhook_threads, 8,
          "Threads delivering webhooks, shared by all tenants");
ABSL_FLAG(int, webhook_posts_per_tenant, 2,
          "Webhook deliveries of one tenant in flight at once (one per "
          "webhook); a tenant's hanging receivers hold at most this many "
          "threads");
ABSL_FLAG(int, webhook_posts_per_destination, 2,
          "Webhook deliveries to one scheme://host:port in flight at once");

#ifndef OPINIA_SOURCE_MODELS_DIR
#define OPINIA_SOURCE_MODELS_DIR ""
#endif

namespace opinia::server {
namespace {

std::string DefaultModelsDir() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("OPINIA_MODELS_DIR"); env && *env) {
    candidates.push_back(env);
  }
  candidates.push_back("models");
  candidates.push_back(OPINIA_SOURCE_MODELS_DIR);
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (!dir.empty() && std::filesystem::is_directory(dir, ec)) return dir;
  }
  return candidates.back();
}

}  // namespace

Options OptionsFromFlags() {
  Options o;
  o.listen = absl::GetFlag(FLAGS_listen);
  o.db = absl::GetFlag(FLAGS_db);
  o.db_pool_size = absl::GetFlag(FLAGS_db_pool_size);
  o.bootstrap_key_file = absl::GetFlag(FLAGS_bootstrap_admin_key_file);
  o.models_dir = absl::GetFlag(FLAGS_models);
  if (o.models_dir.empty()) o.models_dir = DefaultModelsDir();
  o.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  o.tls_key = absl::GetFlag(FLAGS_tls_key);
  o.ready_file = absl::GetFlag(FLAGS_ready_file);
  o.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  o.http_listen = absl::GetFlag(FLAGS_http_listen);
  // The default address may be taken (another server on this machine);
  // any other must be free.
  o.http_listen_required = o.http_listen != kDefaultHttpListen;
  o.http_threads = absl::GetFlag(FLAGS_http_threads);
  o.http_allowed_origins = absl::GetFlag(FLAGS_http_allowed_origins);
  o.log_format = absl::GetFlag(FLAGS_log_format);
  o.rate_limit_rps = absl::GetFlag(FLAGS_rate_limit_rps);
  o.rate_limit_burst = absl::GetFlag(FLAGS_rate_limit_burst);
  o.max_streams_per_key = absl::GetFlag(FLAGS_max_streams_per_key);
  o.max_streams_per_tenant = absl::GetFlag(FLAGS_max_streams_per_tenant);
  o.max_webhooks_per_tenant = absl::GetFlag(FLAGS_max_webhooks_per_tenant);
  o.max_collectors_per_tenant = absl::GetFlag(FLAGS_max_collectors_per_tenant);
  o.max_batch = absl::GetFlag(FLAGS_max_batch);
  o.max_text_bytes = absl::GetFlag(FLAGS_max_text_bytes);
  o.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  o.shutdown_grace = absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  o.workers = absl::GetFlag(FLAGS_workers);
  o.worker_nice = absl::GetFlag(FLAGS_worker_nice);
  o.alert_tick = absl::Seconds(absl::GetFlag(FLAGS_alert_tick_seconds));
  o.webhook_max_attempts = absl::GetFlag(FLAGS_webhook_max_attempts);
  o.webhook_timeout =
      absl::Seconds(absl::GetFlag(FLAGS_webhook_timeout_seconds));
  o.reply_max_attempts = absl::GetFlag(FLAGS_reply_max_attempts);
  o.reply_timeout = absl::Seconds(absl::GetFlag(FLAGS_reply_timeout_seconds));
  o.reply_backoff = absl::Seconds(absl::GetFlag(FLAGS_reply_backoff_seconds));
  o.outbound_allow = absl::GetFlag(FLAGS_outbound_allow);
  o.secrets_key_file = absl::GetFlag(FLAGS_secrets_key_file);
  if (o.secrets_key_file.empty()) {
    if (const char* env = std::getenv("OPINIA_SECRETS_KEY_FILE")) {
      o.secrets_key_file = env;
    }
  }
  if (const char* env = std::getenv("OPINIA_SECRETS_KEY")) o.secrets_key = env;
  o.old_secrets_key_file = absl::GetFlag(FLAGS_old_secrets_key_file);
  o.rotate_secrets_key = absl::GetFlag(FLAGS_rotate_secrets_key);
  o.collector_threads = absl::GetFlag(FLAGS_collector_threads);
  o.collector_runs_per_tenant = absl::GetFlag(FLAGS_collector_runs_per_tenant);
  o.collector_runs_per_destination =
      absl::GetFlag(FLAGS_collector_runs_per_destination);
  o.webhook_threads = absl::GetFlag(FLAGS_webhook_threads);
  o.webhook_posts_per_tenant = absl::GetFlag(FLAGS_webhook_posts_per_tenant);
  o.webhook_posts_per_destination =
      absl::GetFlag(FLAGS_webhook_posts_per_destination);
  return o;
}

}  // namespace opinia::server
