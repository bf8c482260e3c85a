// Upserting reviews by (source, external_id) and re-analysing them.
//
// A batch is validated item by item (invalid items are REJECTED with a
// reason naming the field, the rest are stored), analysed outside any
// transaction (CPU work must not hold the writer lock), then written in ONE
// write transaction. Results are returned only after that commit, so an
// acknowledged review is durable.
//
// Outcomes: CREATED (new identity), UNCHANGED (byte-identical input),
// UPDATED (anything else changed). The analysis is recomputed only when the
// title, text or rating changed; human overrides are never touched.
#ifndef OPINIA_SERVICE_CORE_INGEST_INGEST_H_
#define OPINIA_SERVICE_CORE_INGEST_INGEST_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "opinia/v1/admin.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/ingest/analyze.h"
#include "service/core/ingest/validation.h"
#include "service/core/reviews/review_observer.h"
#include "service/core/util/clock.h"
#include "service/core/util/metrics.h"
#include "service/storage/store.h"

namespace opinia::core {

// Thread-safe; the pointees must outlive it. `observer` (optional) sees
// every created/updated/rescored review inside the write transaction.
class Ingestor {
 public:
  Ingestor(storage::Store* store, const TextAnalysis* analysis,
           const Clock* clock, IngestLimits limits,
           ReviewObserver* observer = nullptr,
           MetricsSink* metrics = NoMetrics())
      : store_(store),
        analysis_(analysis),
        clock_(clock),
        limits_(limits),
        observer_(observer),
        metrics_(metrics) {}

  const IngestLimits& limits() const { return limits_; }

  // Batches of one authorized caller (one IngestReviews call, or one
  // StreamIngestReviews stream checked before its first message). Only
  // Open makes one.
  class Session {
   public:
    // One result per input, in order. Item i is named
    // "reviews[first_index+i]" in rejection reasons. RESOURCE_EXHAUSTED
    // (nothing stored) when there are more than limits().max_batch inputs;
    // INTERNAL on storage failure (nothing of the batch stored).
    absl::StatusOr<std::vector<opinia::v1::IngestResult>> Ingest(
        absl::Span<const opinia::v1::ReviewInput> inputs,
        int64_t first_index = 0) const {
      return ingestor_->IngestForTenant(tenant_id_, inputs, first_index);
    }

   private:
    friend class Ingestor;
    Session(const Ingestor* ingestor, std::string tenant_id)
        : ingestor_(ingestor), tenant_id_(std::move(tenant_id)) {}
    const Ingestor* ingestor_;
    std::string tenant_id_;
  };

  // PERMISSION_DENIED unless auth/authorization.h admits `caller` to ingest.
  absl::StatusOr<Session> Open(const Principal& caller) const;
  // Open(caller), then Session::Ingest.
  absl::StatusOr<std::vector<opinia::v1::IngestResult>> Ingest(
      const Principal& caller,
      absl::Span<const opinia::v1::ReviewInput> inputs,
      int64_t first_index = 0) const;

  // Re-analyses stored reviews created in [start, end) with the current
  // analyzer: the caller's tenant, or every tenant for operator keys.
  // Overrides stay. FAILED_PRECONDITION when no analyzer is loaded
  // (rescoring would erase real analyses); PERMISSION_DENIED without
  // ROLE_ADMIN.
  absl::StatusOr<opinia::v1::RescoreReviewsResponse> Rescore(
      const Principal& caller,
      const opinia::v1::RescoreReviewsRequest& request) const;

 private:
  absl::StatusOr<std::vector<opinia::v1::IngestResult>> IngestForTenant(
      std::string_view tenant_id,
      absl::Span<const opinia::v1::ReviewInput> inputs,
      int64_t first_index) const;
  absl::StatusOr<int64_t> RescoreTenant(const std::string& tenant_id,
                                        absl::Time start,
                                        absl::Time end) const;

  storage::Store* store_;
  const TextAnalysis* analysis_;
  const Clock* clock_;
  IngestLimits limits_;
  ReviewObserver* observer_;
  MetricsSink* metrics_;  // ingest outcomes
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_INGEST_INGEST_H_
