// The one place where nlp::Analysis and opinia.v1.Analysis meet.
#ifndef OPINIA_SERVICE_CORE_REVIEWS_ANALYSIS_PROTO_H_
#define OPINIA_SERVICE_CORE_REVIEWS_ANALYSIS_PROTO_H_

#include "nlp/analysis.h"
#include "opinia/v1/common.pb.h"

namespace opinia::core {

// The model_version of an analysis made without an analyzer.
inline constexpr char kNoModelVersion[] = "none";

// nlp knows no deadlines: urgency.respond_by is left to core/sla.h.
opinia::v1::Analysis ToProto(const nlp::Analysis& analysis);
nlp::Analysis FromProto(const opinia::v1::Analysis& analysis);

// Clears a present but zero urgency.respond_by (stored blobs may hold one)
// so that readers see the deadline as absent.
void DropZeroDeadline(opinia::v1::Analysis* analysis);

// What is stored when no analyzer is loaded: language "und",
// model_version "none" and nothing else - no made-up scores or priority.
opinia::v1::Analysis EmptyAnalysis();

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_REVIEWS_ANALYSIS_PROTO_H_
