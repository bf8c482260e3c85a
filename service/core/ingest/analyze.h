// Runs the (optional) analyzer on review inputs and free text.
//
// Without an analyzer (models missing) every analysis is EmptyAnalysis():
// model_version "none" and no scores - the server never invents them. The
// aspects a platform stated (reviews/aspect_ratings.h) are reported either way.
#ifndef OPINIA_SERVICE_CORE_INGEST_ANALYZE_H_
#define OPINIA_SERVICE_CORE_INGEST_ANALYZE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlp/analyzer.h"
#include "opinia/v1/common.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/tenants/sla.h"
#include "service/core/util/metrics.h"

namespace opinia::core {

// Immutable and thread-safe; `analyzer` (may be null) and `metrics` must
// outlive it.
class TextAnalysis {
 public:
  // `metrics` receives the analysis time of every review.
  explicit TextAnalysis(const nlp::Analyzer* analyzer,
                        MetricsSink* metrics = NoMetrics())
      : analyzer_(analyzer), metrics_(metrics) {}

  bool has_analyzer() const { return analyzer_ != nullptr; }
  std::string model_version() const;

  // `received` starts the SLA clock: urgency.respond_by is
  // RespondBy(priority, received, sla) (ingest passes the tenant's policy),
  // left unset when there is no deadline (priority NONE) - a present but
  // zero Timestamp reads as 1970-01-01 to every client.
  opinia::v1::Analysis Analyze(const opinia::v1::ReviewInput& input,
                               absl::Time received,
                               const SlaPolicy& sla = {}) const;
  // PERMISSION_DENIED unless auth/authorization.h admits `caller`;
  // INVALID_ARGUMENT naming the field for invalid UTF-8, text over
  // `max_text_bytes` or a rating outside its scale.
  absl::StatusOr<opinia::v1::Analysis> AnalyzeText(
      const Principal& caller, const opinia::v1::AnalyzeTextRequest& request,
      size_t max_text_bytes, absl::Time now) const;

 private:
  const nlp::Analyzer* analyzer_;
  MetricsSink* metrics_;
};

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_INGEST_ANALYZE_H_
