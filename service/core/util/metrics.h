// The few numbers the core reports for monitoring (ingest outcomes,
// analysis time, alert lag, subscriber streams, webhook deliveries),
// behind an interface so that the core stays free of Prometheus headers.
//
// The server creates one sink (service/server/metrics.h exports it on
// /metrics) and hands it to the components that count; tests and tools
// that do not look at the numbers pass NoMetrics(). Header-only on purpose:
// any library may report without a new link dependency.
#ifndef OPINIA_SERVICE_CORE_UTIL_METRICS_H_
#define OPINIA_SERVICE_CORE_UTIL_METRICS_H_

#include <cstdint>
#include <string_view>

#include "absl/time/time.h"

namespace opinia::core {

// Implementations must be thread-safe and cheap (called on hot paths). The
// base class drops every number.
class MetricsSink {
 public:
  virtual ~MetricsSink() = default;
  // `outcome`: "created", "updated", "unchanged" or "rejected".
  virtual void ReviewsIngested(std::string_view outcome, int64_t n) {}
  // One review analysed (language id, sentiment, aspects, urgency).
  virtual void AnalysisTime(absl::Duration d) {}
  // Alert created -> delivered on a subscriber stream.
  virtual void AlertLag(absl::Duration d) {}
  // +1 when a StreamAlerts subscriber attaches, -1 when it leaves.
  virtual void SubscriberStreams(int delta) {}
  // `result`: "delivered", "retry" or "dead" (gave up).
  virtual void WebhookDelivery(std::string_view result) {}
};

// A sink that drops every number (stateless, shared, never destroyed).
inline MetricsSink* NoMetrics() {
  static MetricsSink* const sink = new MetricsSink();
  return sink;
}

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_UTIL_METRICS_H_
