// The few numbers the core reports for monitoring (ingest outcomes,
// analysis time, alert lag, subscriber streams, webhook deliveries),
// behind an interface so that the core stays free of Prometheus headers.
//
// The server installs one sink at start-up (service/server/metrics.h exports
// it on /metrics); until then, and in tests and tools, every call is a
// no-op. Header-only on purpose: any library may report without a new link
// dependency.
#ifndef OPINIA_SERVICE_CORE_METRICS_H_
#define OPINIA_SERVICE_CORE_METRICS_H_

#include <atomic>
#include <cstdint>
#include <string_view>

#include "absl/time/time.h"

namespace opinia::core {

// Implementations must be thread-safe and cheap (called on hot paths).
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
  // `result`: "delivered", "retry", "failed" (gave up), ...
  virtual void WebhookDelivery(std::string_view result) {}
};

namespace metrics_internal {
inline MetricsSink* NoopSink() {
  static MetricsSink* const sink = new MetricsSink();
  return sink;
}
inline std::atomic<MetricsSink*> g_sink{nullptr};
}  // namespace metrics_internal

// The installed sink, or a no-op one. Never null.
inline MetricsSink& Metrics() {
  MetricsSink* sink =
      metrics_internal::g_sink.load(std::memory_order_acquire);
  return sink != nullptr ? *sink : *metrics_internal::NoopSink();
}

// Installs `sink` (nullptr: back to no-op). It must outlive every call
// made while it is installed; uninstall it before destroying it.
inline void SetMetricsSink(MetricsSink* sink) {
  metrics_internal::g_sink.store(sink, std::memory_order_release);
}

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_METRICS_H_
