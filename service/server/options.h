// Command-line configuration of opinia-server (absl flags), resolved into
// plain values once at startup.
#ifndef OPINIA_SERVICE_SERVER_OPTIONS_H_
#define OPINIA_SERVICE_SERVER_OPTIONS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace opinia::core {
class Clock;
}  // namespace opinia::core

namespace opinia::server {

struct Options {
  std::string listen;                // HOST:PORT; port 0 picks a free one
  std::string db;                    // SQLite file (parent dir is created)
                                     // or postgresql:// URI
  int db_pool_size = 8;              // PostgreSQL connections
  std::string bootstrap_key_file;    // "" = do not bootstrap
  std::string models_dir;            // resolved; may not exist
  std::string tls_cert, tls_key;     // both or neither
  std::string ready_file;            // "" = none
  std::string metrics_listen;        // HOST:PORT of /metrics; "" = off
  // HTTP/JSON API and dashboard (service/http): HOST:PORT, "" = off (the
  // flag's default is 127.0.0.1:8080). When !http_listen_required (the
  // flag's default address) and the port is taken, the server starts
  // without HTTP and logs a warning.
  std::string http_listen;
  bool http_listen_required = true;
  int http_threads = 32;
  std::string http_allowed_origins;  // comma-separated origins; "" = none
  std::string log_format = "text";   // "text" or "json"
  double rate_limit_rps = 5000;      // per API key; 0 = no limit
  double rate_limit_burst = 0;       // 0 = max(1, 2 x rate_limit_rps)
  int max_streams_per_key = 128;     // open streams; 0 = no limit
  int max_streams_per_tenant = 512;  // open streams; 0 = no limit
  int max_webhooks_per_tenant = 20;  // 0 = no limit
  int max_collectors_per_tenant = 100;  // 0 = no limit
  int max_batch = 1000;
  int64_t max_text_bytes = 65536;
  int64_t max_message_bytes = 8 << 20;
  absl::Duration shutdown_grace = absl::Seconds(10);
  int workers = 0;                   // 0 = 8 x hardware threads (min 16)
  int worker_nice = 5;               // worker threads' nice above the writer
  absl::Duration alert_tick = absl::Seconds(30);  // SLA/spike scheduler; 0 = off
  int webhook_max_attempts = 8;      // then a delivery is dead-lettered
  absl::Duration webhook_timeout = absl::Seconds(10);  // per POST
  int reply_max_attempts = 8;  // then a reply is FAILED (dead-lettered)
  absl::Duration reply_timeout = absl::Seconds(30);  // per platform request
  absl::Duration reply_backoff = absl::Seconds(2);   // back-off base
  // CIDR[,CIDR...] that outbound HTTP may reach although they are loopback,
  // private, link-local, ... (core/util/outbound_policy.h); "" = none.
  std::string outbound_allow;
  // Secrets at rest (secrets_key.h): the key file (--secrets-key-file, else
  // $OPINIA_SECRETS_KEY_FILE), else the key itself ($OPINIA_SECRETS_KEY),
  // else "secrets.key" beside the database, made on first start.
  std::string secrets_key_file;
  std::string secrets_key;                // base64 text; "" = none
  std::string old_secrets_key_file;       // also opens (rotation); "" = none
  bool rotate_secrets_key = false;        // re-seal every secret and exit
  // Outbound work on core's OutboundExecutors, never on RPC workers.
  int collector_threads = 16;          // collector syncs at once, all tenants
  int collector_runs_per_tenant = 2;
  int collector_runs_per_destination = 2;  // per scheme://host:port
  int webhook_threads = 8;             // webhook POSTs at once, all tenants
  int webhook_posts_per_tenant = 2;
  int webhook_posts_per_destination = 2;
  // Not a flag: in-process tests inject a FakeClock (must outlive the App);
  // nullptr = the real clock.
  const core::Clock* clock = nullptr;
};

// Reads the parsed flags. An empty --models resolves to the first existing
// of $OPINIA_MODELS_DIR, ./models and the source tree's models/.
Options OptionsFromFlags();

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_OPTIONS_H_
