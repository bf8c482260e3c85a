// Prometheus metrics of opinia-server, served on http://HOST:PORT/metrics
// (--metrics-listen). Exports:
//   opinia_rpc_requests_total{method,code}        calls finished
//   opinia_rpc_latency_seconds{method,code}       histogram, call start -> status
//   opinia_rpc_in_flight{method}                  calls in progress
//   opinia_reviews_ingested_total{outcome}        created/updated/unchanged/rejected
//   opinia_analysis_seconds                       histogram, one review analysed
//   opinia_alert_subscribers                      open StreamAlerts streams
//   opinia_alert_lag_seconds                      histogram, alert event time -> sent
//   opinia_webhook_deliveries_total{result}
//   opinia_db_size_bytes{file=db|wal}             read at scrape time
// RPC numbers come from a gRPC server interceptor, so no service code has to
// remember them; the core reports through the core::MetricsSink of sink().
#ifndef OPINIA_SERVICE_SERVER_METRICS_H_
#define OPINIA_SERVICE_SERVER_METRICS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/support/server_interceptor.h"
#include "service/core/util/metrics.h"
#include "service/storage/store.h"

namespace opinia::server {

// Thread-safe.
class ServerMetrics {
 public:
  // Serves /metrics on `listen` ("HOST:PORT", port 0 = any free port).
  // UNAVAILABLE when it cannot bind. `db_path` is measured and `store`'s
  // writer counters read on every scrape; `store` must outlive this.
  static absl::StatusOr<std::unique_ptr<ServerMetrics>> Create(
      const std::string& listen, const std::string& db_path,
      storage::Store* store);
  ~ServerMetrics();

  // "HOST:PORT" actually bound.
  const std::string& address() const;

  // For the core components that count (ingest, analysis, webhooks); valid
  // as long as this object.
  core::MetricsSink* sink();

  // Add to the ServerBuilder (experimental().SetInterceptorCreators).
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  NewInterceptorFactory();

  class Impl;

 private:
  explicit ServerMetrics(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace opinia::server

#endif  // OPINIA_SERVICE_SERVER_METRICS_H_
