// The assembled server: store, analyzer, core, gRPC services, health and
// reflection. main() owns one App; tests may too.
#ifndef OPINIA_SERVICE_SERVER_APP_H_
#define OPINIA_SERVICE_SERVER_APP_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "nlp/analyzer.h"
#include "service/core/alerts/alert_evaluator.h"
#include "service/core/alerts/alert_hub.h"
#include "service/core/alerts/alert_scheduler.h"
#include "service/core/alerts/alerts.h"
#include "service/core/alerts/webhook_dispatcher.h"
#include "service/core/alerts/webhooks.h"
#include "service/core/auth/auth.h"
#include "service/core/auth/key_watch.h"
#include "service/core/collectors/collectors.h"
#include "service/core/collectors/removal.h"
#include "service/core/collectors/fetcher.h"
#include "service/core/collectors/reply_outbox.h"
#include "service/core/collectors/scheduler.h"
#include "service/core/collectors/syncer.h"
#include "service/core/collectors/token_cache.h"
#include "service/core/ingest/analyze.h"
#include "service/core/ingest/ingest.h"
#include "service/core/reviews/reviews.h"
#include "service/core/tenants/admin.h"
#include "service/core/tenants/tenant_settings.h"
#include "service/core/util/http_client.h"
#include "service/core/util/outbound_policy.h"
#include "service/core/util/outbound_executor.h"
#include "service/rpc/admin_service.h"
#include "service/rpc/alert_service.h"
#include "service/rpc/collector_service.h"
#include "service/rpc/insights_service.h"
#include "service/rpc/rate_limiter.h"
#include "service/rpc/review_service.h"
#include "service/http/gateway.h"
#include "service/rpc/worker_pool.h"
#include "service/server/failed_requests.h"
#include "service/server/metrics.h"
#include "service/server/options.h"
#include "service/server/reflection_v1.h"
#include "service/server/store_health.h"
#include "service/storage/store.h"

namespace opinia::server {

class App {
 public:
  // Opens the database, bootstraps the operator key, loads the analyzer
  // (a missing model is a warning, not an error), starts serving and then
  // writes the ready file. Errors: whatever stopped startup.
  static absl::StatusOr<std::unique_ptr<App>> Start(const Options& options);
  ~App();

  // "HOST:PORT" with the bound port.
  const std::string& address() const { return address_; }
  // "HOST:PORT" of the HTTP/JSON API; "" when it is off.
  std::string http_address() const {
    return http_ != nullptr ? http_->address() : "";
  }

  // The SLA/spike/snooze scheduler, so in-process tests with
  // Options::clock and alert_tick 0 can run its passes themselves.
  core::AlertScheduler* alert_scheduler() { return alert_scheduler_.get(); }
  // The store the services use (tests write through it as another replica
  // would) and this server's holder id for leases (logged at start).
  storage::Store* store() { return store_.get(); }
  const std::string& replica_id() const { return replica_id_; }

  // Stops accepting calls, lets in-flight calls run until `grace` has
  // passed (then cancels them), drains the workers and closes the database.
  void Shutdown(absl::Duration grace);

 private:
  App() = default;
  absl::Status Bootstrap(const Options& options);
  absl::Status Serve(const Options& options);
  // The HTTP/JSON gateway on the gRPC server's in-process channel.
  absl::Status ServeHttp(const Options& options);

  // Declared first, destroyed last: calls that finish during shutdown
  // still report to them.
  std::unique_ptr<ServerMetrics> metrics_;
  // Counts requests that failed authentication or parsing; logs each kind
  // every 10 s.
  std::unique_ptr<FailedRequestLog> failed_requests_;
  const core::Clock* clock_ = nullptr;
  std::unique_ptr<rpc::RateLimiter> rate_limiter_;
  std::unique_ptr<storage::Store> store_;
  std::string replica_id_;
  std::unique_ptr<nlp::Analyzer> analyzer_;
  std::unique_ptr<core::TextAnalysis> analysis_;
  std::unique_ptr<core::Authenticator> auth_;
  std::unique_ptr<core::KeyWatch> key_watch_;  // open streams by key
  std::unique_ptr<core::Admin> admin_;
  std::unique_ptr<core::AlertHub> alert_hub_;
  std::unique_ptr<core::AlertEvaluator> alert_evaluator_;
  std::unique_ptr<core::Alerts> alerts_;
  std::unique_ptr<core::AlertScheduler> alert_scheduler_;
  // Where the HTTP clients below may connect; before them, so it outlives
  // them.
  std::unique_ptr<core::OutboundPolicy> outbound_;
  // Webhooks: CRUD and the delivery thread (its own HTTP client).
  std::unique_ptr<core::HttpClient> webhook_http_;
  std::unique_ptr<core::Webhooks> webhooks_;
  std::unique_ptr<core::WebhookDispatcher> webhook_dispatcher_;
  // Publishes replies on review platforms (RecordResponse with publish).
  std::unique_ptr<core::HttpClient> reply_http_;
  std::unique_ptr<core::collectors::ReplyOutbox> reply_outbox_;
  std::unique_ptr<core::Ingestor> ingestor_;
  std::unique_ptr<core::Reviews> reviews_;
  // Collectors: pulls from platforms (outbound HTTP, sync, scheduler).
  std::unique_ptr<core::HttpClient> collector_http_;
  std::unique_ptr<core::collectors::StoppableSleeper> collector_sleeper_;
  // Runs the syncs: per-tenant and per-destination limits; Shutdown stops
  // it, which cancels the fetches in flight.
  std::unique_ptr<core::OutboundExecutor> collector_executor_;
  std::unique_ptr<core::collectors::Fetcher> collector_fetcher_;
  // Access tokens of the collectors' renewable credentials (syncs and
  // replies share them).
  std::unique_ptr<core::collectors::TokenCache> collector_tokens_;
  std::unique_ptr<core::collectors::Syncer> collector_syncer_;
  std::unique_ptr<core::collectors::Collectors> collectors_;
  std::unique_ptr<core::collectors::ReviewRemovals> review_removals_;
  std::unique_ptr<core::collectors::CollectorScheduler> collector_scheduler_;
  std::unique_ptr<core::Insights> insights_;
  std::unique_ptr<core::Settings> settings_;
  std::unique_ptr<rpc::WorkerPool> pool_;
  std::unique_ptr<rpc::WorkerPool> alert_pool_;  // StreamAlerts reads
  std::unique_ptr<rpc::ReviewServiceImpl> review_service_;
  std::unique_ptr<rpc::AdminServiceImpl> admin_service_;
  std::unique_ptr<rpc::AlertServiceImpl> alert_service_;
  std::unique_ptr<rpc::InsightsServiceImpl> insights_service_;
  std::unique_ptr<rpc::CollectorServiceImpl> collector_service_;
  std::unique_ptr<ReflectionV1Service> reflection_v1_;
  // What the server calls: the services above, behind a UTF-8 check.
  std::vector<std::unique_ptr<grpc::Service>> checked_services_;
  std::unique_ptr<grpc::Server> server_;
  // Calls server_ in-process: declared after it, stopped before it.
  std::unique_ptr<http::Gateway> http_;
  // Sets the health service NOT_SERVING while the store is unreachable.
  std::unique_ptr<StoreHealth> store_health_;
  std::string address_;
  bool shut_down_ = false;
};

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_APP_H_
