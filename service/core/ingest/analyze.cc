#include "service/core/ingest/analyze.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/core/auth/authorization.h"
#include "service/core/reviews/aspect_ratings.h"
#include "service/core/reviews/analysis_proto.h"
#include "service/core/util/time_proto.h"
#include "service/core/util/utf8.h"
#include "util/status_macros.h"

namespace opinia::core {

std::string TextAnalysis::model_version() const {
  return analyzer_ ? analyzer_->ModelVersion() : kNoModelVersion;
}

opinia::v1::Analysis TextAnalysis::Analyze(const opinia::v1::ReviewInput& input,
                                           absl::Time received,
                                           const SlaPolicy& sla) const {
  if (analyzer_ == nullptr) {
    opinia::v1::Analysis empty = EmptyAnalysis();
    ApplyAspectRatings(input, &empty);
    return empty;
  }
  nlp::AnalyzeOptions options;
  options.title = input.title();
  options.language_hint = input.language_hint();
  options.rating = input.rating();
  options.rating_scale = input.rating_scale() == 0 ? 5 : input.rating_scale();
  options.source = input.source();
  const absl::Time start = absl::Now();
  opinia::v1::Analysis analysis =
      ToProto(analyzer_->Analyze(input.text(), options));
  ApplyAspectRatings(input, &analysis);
  metrics_->AnalysisTime(absl::Now() - start);
  const absl::Time respond_by =
      RespondBy(analysis.urgency().priority(), received, sla);
  if (respond_by != absl::InfinitePast()) {
    ToTimestamp(respond_by, analysis.mutable_urgency()->mutable_respond_by());
  }
  return analysis;
}

absl::StatusOr<opinia::v1::Analysis> TextAnalysis::AnalyzeText(
    const Principal& caller, const opinia::v1::AnalyzeTextRequest& request,
    size_t max_text_bytes, absl::Time now) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kAnalyzeText));
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"text", &request.text()},
        {"title", &request.title()},
        {"language_hint", &request.language_hint()}}) {
    if (!IsValidUtf8(*value)) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": invalid UTF-8"));
    }
    if (value->size() > max_text_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ", value->size(), " bytes, at most ", max_text_bytes));
    }
  }
  const int scale = request.rating_scale() == 0 ? 5 : request.rating_scale();
  if (scale < 2 || scale > 100) {
    return absl::InvalidArgumentError("rating_scale: outside 2..100");
  }
  if (request.rating() < 0 || request.rating() > scale) {
    return absl::InvalidArgumentError(
        absl::StrCat("rating: outside 0..", scale));
  }
  opinia::v1::ReviewInput input;
  input.set_text(request.text());
  input.set_title(request.title());
  input.set_language_hint(request.language_hint());
  input.set_rating(request.rating());
  input.set_rating_scale(request.rating_scale());
  return Analyze(input, now);
}

}  // namespace opinia::core
