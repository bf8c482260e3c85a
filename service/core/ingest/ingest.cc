#include "service/core/ingest/ingest.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/core/auth/authorization.h"
#include "service/core/util/metrics.h"
#include "service/core/util/names.h"
#include "service/core/reviews/review_model.h"
#include "service/core/tenants/tenant_settings.h"
#include "service/core/util/time_proto.h"
#include "util/status_macros.h"

namespace opinia::core {
namespace {

using opinia::v1::IngestResult;
using opinia::v1::ReviewInput;

// A valid item on its way into the store.
struct Pending {
  size_t index = 0;
  const ReviewInput* input = nullptr;
  std::string input_hash;
  std::string content_hash;
  std::optional<opinia::v1::Analysis> analysis;  // computed outside the txn
  bool seen_new = false;  // not stored when the batch was read
};

// Fills the identity and input columns of `row` from `p`.
void SetInput(const Pending& p, absl::Time now, storage::ReviewRow* row) {
  const ReviewInput& in = *p.input;
  row->source = in.source();
  row->external_id = in.external_id();
  row->subject_id = in.subject_id();
  row->rating = NormalizeRating(in.rating(), in.rating_scale());
  row->create_time = in.has_create_time() ? FromTimestamp(in.create_time())
                                          : row->ingest_time;
  row->modify_time = now;
  row->deleted = false;
  row->content_hash = p.content_hash;
  row->input_hash = p.input_hash;
  row->input = in.SerializeAsString();
  row->search_text = in.title().empty() ? in.text()
                                        : absl::StrCat(in.title(), "\n", in.text());
}

constexpr int kRescoreChunk = 200;

// Counts a committed batch's outcomes for monitoring.
void ReportOutcomes(const std::vector<IngestResult>& results,
                    MetricsSink& metrics) {
  int64_t counts[5] = {0, 0, 0, 0, 0};
  for (const IngestResult& r : results) {
    ++counts[std::clamp(static_cast<int>(r.outcome()), 0, 4)];
  }
  static constexpr const char* kOutcomes[] = {"unspecified", "created",
                                              "updated", "unchanged",
                                              "rejected"};
  for (int i = 1; i < 5; ++i) {
    if (counts[i] > 0) metrics.ReviewsIngested(kOutcomes[i], counts[i]);
  }
}

}  // namespace

absl::StatusOr<Ingestor::Session> Ingestor::Open(
    const Principal& caller) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kIngestReviews));
  return Session(this, caller.tenant_id);
}

absl::StatusOr<std::vector<IngestResult>> Ingestor::Ingest(
    const Principal& caller, absl::Span<const ReviewInput> inputs,
    int64_t first_index) const {
  auto session = Open(caller);
  if (!session.ok()) return session.status();
  return session->Ingest(inputs, first_index);
}

absl::StatusOr<std::vector<IngestResult>> Ingestor::IngestForTenant(
    std::string_view tenant_id, absl::Span<const ReviewInput> inputs,
    int64_t first_index) const {
  if (static_cast<int64_t>(inputs.size()) > limits_.max_batch) {
    return absl::ResourceExhaustedError(
        absl::StrCat("reviews: ", inputs.size(), " items, at most ",
                     limits_.max_batch, " per call"));
  }
  std::vector<IngestResult> results(inputs.size());
  std::vector<Pending> pending;
  pending.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    absl::Status valid = ValidateReviewInput(
        inputs[i], limits_, absl::StrCat("reviews[", first_index + i, "]"));
    if (!valid.ok()) {
      results[i].set_outcome(IngestResult::REJECTED);
      results[i].set_error(std::string(valid.message()));
      continue;
    }
    pending.push_back(
        {i, &inputs[i], InputHash(inputs[i]), ContentHash(inputs[i]), {}});
  }
  if (pending.empty()) {
    ReportOutcomes(results, *metrics_);
    return results;
  }

  // Which items need analysis: new ones and those whose content changed;
  // and the tenant's SLA policy (respond_by), read once per batch.
  SlaPolicy sla;
  absl::Status status = store_->Read([&](storage::Txn& txn) -> absl::Status {
    auto policy = LoadSlaPolicy(txn, tenant_id);
    if (!policy.ok()) return policy.status();
    sla = *policy;
    for (Pending& p : pending) {
      auto found = txn.FindReview(tenant_id, p.input->source(),
                                  p.input->external_id());
      if (!found.ok()) return found.status();
      p.seen_new = !found->has_value();
      if (p.seen_new || (*found)->content_hash != p.content_hash) {
        p.analysis.emplace();  // placeholder: analyse below
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  const absl::Time now = clock_->Now();
  for (Pending& p : pending) {
    if (p.analysis.has_value()) {
      *p.analysis = analysis_->Analyze(*p.input, now, sla);
    }
  }

  // `p` as a new review, analysed; its id is not known yet.
  auto new_row = [&](Pending& p) {
    if (!p.analysis.has_value()) {
      p.analysis = analysis_->Analyze(*p.input, now, sla);
    }
    storage::ReviewRow row;
    row.tenant_id = std::string(tenant_id);
    row.ingest_time = now;
    row.status = opinia::v1::NEW;
    SetInput(p, now, &row);
    SetAnalysis(*p.analysis, now, &row, sla);
    return row;
  };

  status = store_->Write([&](storage::Txn& txn) -> absl::Status {
    // The batch's changes go to the observer together at the end (it loads
    // the tenant's alert rules once); deques keep the rows' addresses.
    std::deque<storage::ReviewRow> rows, befores;
    std::vector<ReviewChange> changes;
    for (Pending& p : pending) {
      IngestResult& result = results[p.index];
      storage::ReviewRow row;
      std::optional<storage::ReviewRow> before;
      // Not stored when the batch was read (the common case): insert
      // without looking it up again, or get the row a concurrent call
      // stored since.
      bool created = false;
      std::optional<storage::ReviewRow> found;
      if (p.seen_new) {
        row = new_row(p);
        auto inserted = txn.InsertOrFindReview(row);
        if (!inserted.ok()) return inserted.status();
        row.id = inserted->id;
        found = std::move(inserted->existing);
        created = !found.has_value();
      } else {
        auto stored = txn.FindReview(tenant_id, p.input->source(),
                                     p.input->external_id());
        if (!stored.ok()) return stored.status();
        found = *std::move(stored);
      }
      if (created) {
        result.set_outcome(IngestResult::CREATED);
        *result.mutable_analysis() = *p.analysis;
      } else if (found.has_value()) {
        row = *std::move(found);
        if (row.input_hash == p.input_hash && !row.deleted) {
          auto analysis = StoredAnalysis(row);
          if (!analysis.ok()) return analysis.status();
          result.set_name(ReviewName(row.id));
          result.set_outcome(IngestResult::UNCHANGED);
          *result.mutable_analysis() = *std::move(analysis);
          continue;
        }
        const bool content_changed = row.content_hash != p.content_hash;
        if (observer_ != nullptr) before = row;
        SetInput(p, now, &row);
        if (content_changed) {
          // Rare race: content changed after the snapshot above.
          if (!p.analysis.has_value()) {
            p.analysis = analysis_->Analyze(*p.input, now, sla);
          }
          SetAnalysis(*p.analysis, now, &row, sla);
          *result.mutable_analysis() = *p.analysis;
        } else {
          auto analysis = StoredAnalysis(row);
          if (!analysis.ok()) return analysis.status();
          *result.mutable_analysis() = *std::move(analysis);
        }
        if (absl::Status s = txn.UpdateReview(row); !s.ok()) return s;
        result.set_outcome(IngestResult::UPDATED);
      } else {
        row = new_row(p);
        auto id = txn.InsertReview(row);
        if (!id.ok()) return id.status();
        row.id = *id;
        result.set_outcome(IngestResult::CREATED);
        *result.mutable_analysis() = *p.analysis;
      }
      result.set_name(ReviewName(row.id));
      if (observer_ != nullptr) {
        ReviewChange change;
        change.kind = before.has_value() ? ReviewChange::Kind::kUpdated
                                         : ReviewChange::Kind::kCreated;
        if (before.has_value()) {
          change.before = &befores.emplace_back(*std::move(before));
        }
        change.after = &rows.emplace_back(std::move(row));
        change.now = now;
        changes.push_back(change);
      }
    }
    if (changes.empty()) return absl::OkStatus();
    return observer_->OnReviewsChanged(txn, changes);
  });
  if (!status.ok()) return status;
  if (observer_ != nullptr) observer_->OnCommitted(tenant_id);
  ReportOutcomes(results, *metrics_);
  return results;
}

absl::StatusOr<opinia::v1::RescoreReviewsResponse> Ingestor::Rescore(
    const Principal& caller,
    const opinia::v1::RescoreReviewsRequest& request) const {
  RETURN_IF_ERROR(Authorize(caller, Action::kRescoreReviews));
  if (!analysis_->has_analyzer()) {
    return absl::FailedPreconditionError(
        "no analyzer is loaded (models missing); rescoring would erase the "
        "stored analyses");
  }
  for (const auto* ts : {&request.start_time(), &request.end_time()}) {
    if (absl::Status s = ValidateTimestamp(
            *ts, ts == &request.start_time() ? "start_time" : "end_time");
        !s.ok()) {
      return s;
    }
  }
  const absl::Time start = FromTimestamp(request.start_time());
  absl::Time end = FromTimestamp(request.end_time());
  if (end == absl::InfinitePast()) end = absl::InfiniteFuture();

  std::vector<std::string> tenants;
  if (!caller.is_operator()) {
    tenants.push_back(caller.tenant_id);
  } else {
    std::string after;
    while (true) {
      std::vector<storage::TenantRow> rows;
      absl::Status s = store_->Read([&](storage::Txn& txn) -> absl::Status {
        auto page = txn.ListTenants(after, 500);
        if (!page.ok()) return page.status();
        rows = *std::move(page);
        return absl::OkStatus();
      });
      if (!s.ok()) return s;
      if (rows.empty()) break;
      for (const auto& row : rows) tenants.push_back(row.id);
      after = rows.back().id;
    }
  }
  opinia::v1::RescoreReviewsResponse response;
  response.set_model_version(analysis_->model_version());
  for (const std::string& tenant : tenants) {
    auto n = RescoreTenant(tenant, start, end);
    if (!n.ok()) return n.status();
    response.set_rescored(response.rescored() + *n);
  }
  return response;
}

absl::StatusOr<int64_t> Ingestor::RescoreTenant(const std::string& tenant_id,
                                                absl::Time start,
                                                absl::Time end) const {
  storage::ReviewFilter filter;
  filter.start_time = start;
  filter.end_time = end;
  filter.include_deleted = true;
  filter.ascending = true;
  std::optional<storage::ReviewCursor> cursor;
  int64_t rescored = 0;
  while (true) {
    std::vector<storage::ReviewRow> rows;
    SlaPolicy sla;  // deadlines by the tenant's current policy
    absl::Status s = store_->Read([&](storage::Txn& txn) -> absl::Status {
      auto policy = LoadSlaPolicy(txn, tenant_id);
      if (!policy.ok()) return policy.status();
      sla = *policy;
      auto page = txn.ListReviews(tenant_id, filter, cursor, kRescoreChunk);
      if (!page.ok()) return page.status();
      rows = *std::move(page);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    if (rows.empty()) return rescored;
    cursor = storage::ReviewCursor{rows.back().create_time, rows.back().id};
    // Analyse outside the write transaction, then store the chunk at once.
    std::vector<opinia::v1::Analysis> analyses;
    analyses.reserve(rows.size());
    for (const auto& row : rows) {
      opinia::v1::ReviewInput input;
      if (!input.ParseFromString(row.input)) {
        return absl::InternalError(
            absl::StrCat("stored review ", row.id, " has a corrupt input"));
      }
      analyses.push_back(analysis_->Analyze(input, row.ingest_time, sla));
    }
    s = store_->Write([&](storage::Txn& txn) -> absl::Status {
      for (size_t i = 0; i < rows.size(); ++i) {
        auto current = txn.GetReview(tenant_id, rows[i].id);
        if (!current.ok()) return current.status();
        // Changed since the read: ingest analysed it with this analyzer.
        if (current->content_hash != rows[i].content_hash) continue;
        std::optional<storage::ReviewRow> before;
        if (observer_ != nullptr) before = *current;
        SetAnalysis(analyses[i], current->ingest_time, &*current, sla);
        if (absl::Status u = txn.UpdateReview(*current); !u.ok()) return u;
        if (observer_ != nullptr) {
          ReviewChange change;
          change.kind = ReviewChange::Kind::kRescored;
          change.before = &*before;
          change.after = &*current;
          change.now = clock_->Now();
          if (absl::Status o = observer_->OnReviewChanged(txn, change);
              !o.ok()) {
            return o;
          }
        }
        ++rescored;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    if (observer_ != nullptr) observer_->OnCommitted(tenant_id);
  }
}

}  // namespace opinia::core
