#include "service/core/reviews/review_model.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "service/core/reviews/analysis_proto.h"
#include "service/core/reviews/aspect_ratings.h"
#include "service/core/reviews/aspect_rows.h"
#include "service/core/util/crypto.h"
#include "service/core/util/names.h"
#include "service/core/util/time_proto.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

std::string DeterministicBytes(const google::protobuf::MessageLite& msg) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    msg.SerializeToCodedStream(&coded);
  }
  return out;
}

absl::Status ParseBlob(const std::string& bytes,
                       google::protobuf::MessageLite* msg, int64_t id) {
  if (!msg->ParseFromString(bytes)) {
    return absl::InternalError(
        absl::StrCat("stored review ", id, " has a corrupt blob"));
  }
  return absl::OkStatus();
}

// Effective columns: override fields set by a person win.
void ApplyEffective(const opinia::v1::Analysis& analysis,
                    const opinia::v1::Analysis& override_analysis,
                    absl::Time received, const SlaPolicy& sla,
                    storage::ReviewRow* row) {
  row->language = analysis.language();
  const opinia::v1::Sentiment& sentiment =
      override_analysis.sentiment().label() !=
              opinia::v1::SENTIMENT_LABEL_UNSPECIFIED
          ? override_analysis.sentiment()
          : analysis.sentiment();
  row->label = sentiment.label();
  row->score = sentiment.score();
  if (override_analysis.urgency().priority() !=
      opinia::v1::PRIORITY_UNSPECIFIED) {
    row->priority = override_analysis.urgency().priority();
    row->respond_by =
        RespondBy(override_analysis.urgency().priority(), received, sla);
  } else {
    row->priority = analysis.urgency().priority();
    row->respond_by = FromTimestamp(analysis.urgency().respond_by());
  }
}

}  // namespace

int NormalizeRating(int rating, int rating_scale) {
  const int scale = rating_scale == 0 ? 5 : rating_scale;
  if (rating <= 0 || scale < 2) return 0;
  return 1 + static_cast<int>(
                 std::lround(4.0 * (rating - 1) / static_cast<double>(scale - 1)));
}

std::string InputHash(const opinia::v1::ReviewInput& input) {
  return Sha256Hex(DeterministicBytes(input));
}

std::string ContentHash(const opinia::v1::ReviewInput& input) {
  std::string bytes =
      absl::StrCat(input.title().size(), ":", input.title(),
                   input.text().size(), ":", input.text(), "|",
                   input.rating(), "/", input.rating_scale());
  // Stated aspect ratings are analysed too; appended only when present, so
  // the hash of a review without them stays what it was.
  absl::StrAppend(&bytes, AspectRatingsText(input));
  return Sha256Hex(bytes);
}

void SetAnalysis(const opinia::v1::Analysis& analysis, absl::Time received,
                 storage::ReviewRow* row, const SlaPolicy& sla) {
  row->analysis = analysis.SerializeAsString();
  opinia::v1::Analysis override_analysis;
  // An unparsable override is treated as none rather than blocking ingest.
  override_analysis.ParseFromString(row->override_analysis);
  ApplyEffective(analysis, override_analysis, received, sla, row);
  row->aspects = AspectRows(analysis);  // insights' aspect rows
}

absl::Status RefreshEffective(storage::ReviewRow* row, const SlaPolicy& sla) {
  opinia::v1::Analysis analysis, override_analysis;
  RETURN_IF_ERROR(ParseBlob(row->analysis, &analysis, row->id));
  RETURN_IF_ERROR(
      ParseBlob(row->override_analysis, &override_analysis, row->id));
  ApplyEffective(analysis, override_analysis, row->ingest_time, sla, row);
  return absl::OkStatus();
}

absl::StatusOr<opinia::v1::Review> ReviewFromRow(
    const storage::ReviewRow& row) {
  opinia::v1::Review review;
  review.set_name(ReviewName(row.id));
  RETURN_IF_ERROR(ParseBlob(row.input, review.mutable_input(), row.id));
  RETURN_IF_ERROR(ParseBlob(row.analysis, review.mutable_analysis(), row.id));
  if (!row.override_analysis.empty()) {
    RETURN_IF_ERROR(
        ParseBlob(row.override_analysis, review.mutable_override(), row.id));
  }
  DropZeroDeadline(review.mutable_analysis());
  if (review.has_override()) {
    DropZeroDeadline(review.mutable_override());
    // A priority set by a person has the deadline of the tenant's SLA
    // policy (RefreshEffective): shown with it, as the inbox orders by it.
    if (review.override().urgency().priority() !=
            opinia::v1::PRIORITY_UNSPECIFIED &&
        row.respond_by != absl::InfinitePast()) {
      ToTimestamp(row.respond_by,
                  review.mutable_override()->mutable_urgency()->mutable_respond_by());
    }
  }
  review.set_status(static_cast<opinia::v1::ReviewStatus>(row.status));
  if (!row.response_text.empty() || row.response_time != absl::InfinitePast()) {
    auto* response = review.mutable_response();
    response->set_text(row.response_text);
    response->set_author(row.response_author);
    ToTimestamp(row.response_time, response->mutable_response_time());
  }
  ToTimestamp(row.ingest_time, review.mutable_ingest_time());
  ToTimestamp(row.modify_time, review.mutable_update_time());
  review.set_deleted(row.deleted);
  return review;
}

absl::StatusOr<opinia::v1::Analysis> StoredAnalysis(
    const storage::ReviewRow& row) {
  opinia::v1::Analysis analysis;
  RETURN_IF_ERROR(ParseBlob(row.analysis, &analysis, row.id));
  DropZeroDeadline(&analysis);
  return analysis;
}

}  // namespace opinia::core
