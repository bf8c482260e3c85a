// What the gRPC services call into, wired once by the server's main.
#ifndef OPINIA_SERVICE_RPC_DEPS_H_
#define OPINIA_SERVICE_RPC_DEPS_H_

#include "service/core/alerts/alert_hub.h"
#include "service/core/alerts/alerts.h"
#include "service/core/alerts/webhooks.h"
#include "service/core/auth/auth.h"
#include "service/core/auth/key_watch.h"
#include "service/core/collectors/removal.h"
#include "service/core/ingest/analyze.h"
#include "service/core/ingest/ingest.h"
#include "service/core/insights/insights.h"
#include "service/core/reviews/reviews.h"
#include "service/core/tenants/admin.h"
#include "service/core/tenants/tenant_settings.h"
#include "service/core/util/clock.h"
#include "service/rpc/worker_pool.h"

namespace opinia::rpc {

class RateLimiter;

// Non-owning; everything must outlive the services using it.
struct Deps {
  const core::Authenticator* auth = nullptr;
  core::Admin* admin = nullptr;
  const core::Ingestor* ingestor = nullptr;
  const core::Reviews* reviews = nullptr;
  const core::TextAnalysis* analysis = nullptr;
  const core::Clock* clock = nullptr;
  WorkerPool* pool = nullptr;
  // Per-key calls/s (stream opens and ingest stream messages included);
  // null = none.
  RateLimiter* rate_limiter = nullptr;
  // Ends streams whose key is revoked; limits streams per key and tenant.
  // Null: streams are neither watched nor limited.
  core::KeyWatch* key_watch = nullptr;
  const core::Alerts* alerts = nullptr;  // AlertService
  core::AlertHub* alert_hub = nullptr;    // wakes StreamAlerts
  // StreamAlerts' storage reads; its own threads so that alert delivery
  // never queues behind analysis work on `pool`.
  WorkerPool* alert_pool = nullptr;
  core::Webhooks* webhooks = nullptr;  // AlertService webhook methods
  const core::Insights* insights = nullptr;  // InsightsService
  const core::Settings* settings = nullptr;  // AdminService tenant settings
  // ReviewService.RequestReviewRemoval (one HTTP exchange with the
  // platform on a worker); null: FAILED_PRECONDITION.
  const core::collectors::ReviewRemovals* removals = nullptr;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_DEPS_H_
