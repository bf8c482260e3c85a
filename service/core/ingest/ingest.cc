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

// Validates every input: invalid ones are REJECTED in `results` with the
// reason; the valid ones are returned, hashed, for the next steps.
std::vector<Pending> ValidateInputs(absl::Span<const ReviewInput> inputs,
                                    const IngestLimits& limits,
                                    int64_t first_index,
                                    std::vector<IngestResult>& results) {
  std::vector<Pending> pending;
  pending.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    absl::Status valid = ValidateReviewInput(
        inputs[i], limits, absl::StrCat("reviews[", first_index + i, "]"));
    if (!valid.ok()) {
      results[i].set_outcome(IngestResult::REJECTED);
      results[i].set_error(std::string(valid.message()));
      continue;
    }
    pending.push_back(
        {i, &inputs[i], InputHash(inputs[i]), ContentHash(inputs[i]), {}});
  }
  return pending;
}

// One read transaction before the analysis: marks the items that need
// analysis (new ones and those whose content changed) and returns the
// tenant's SLA policy (respond_by), read once per batch.
absl::StatusOr<SlaPolicy> ReadSnapshot(storage::Store& store,
                                       std::string_view tenant_id,
                                       std::vector<Pending>& pending) {
  SlaPolicy sla;
  absl::Status status = store.Read([&](storage::Txn& txn) -> absl::Status {
    auto policy = LoadSlaPolicy(txn, tenant_id);
    if (!policy.ok()) return policy.status();
    sla = *policy;
    for (Pending& p : pending) {
      auto found = txn.FindReview(tenant_id, p.input->source(),
                                  p.input->external_id());
      if (!found.ok()) return found.status();
      p.seen_new = !found->has_value();
      if (p.seen_new || (*found)->content_hash != p.content_hash) {
        p.analysis.emplace();  // placeholder: AnalyzeChanged fills it
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return sla;
}

// What the items of one batch share once the snapshot is read.
struct Batch {
  std::string_view tenant_id;
  absl::Time now;
  SlaPolicy sla;
  const TextAnalysis* analysis;

  // Analyses `p` unless it already is (a race the snapshot missed).
  const opinia::v1::Analysis& EnsureAnalysis(Pending& p) const {
    if (!p.analysis.has_value()) {
      p.analysis = analysis->Analyze(*p.input, now, sla);
    }
    return *p.analysis;
  }

  // `p` as a new review, analysed; its id is not known yet.
  storage::ReviewRow NewRow(Pending& p) const {
    EnsureAnalysis(p);
    storage::ReviewRow row;
    row.tenant_id = std::string(tenant_id);
    row.ingest_time = now;
    row.status = opinia::v1::NEW;
    SetInput(p, now, &row);
    SetAnalysis(*p.analysis, now, &row, sla);
    return row;
  }
};

// The CPU work, outside any transaction: analyses the items ReadSnapshot
// marked.
void AnalyzeChanged(const Batch& batch, std::vector<Pending>& pending) {
  for (Pending& p : pending) {
    if (p.analysis.has_value()) {
      *p.analysis = batch.analysis->Analyze(*p.input, batch.now, batch.sla);
    }
  }
}

// Sets `result`'s analysis to the one stored in `row`.
absl::Status UseStoredAnalysis(const storage::ReviewRow& row,
                               IngestResult& result) {
  auto analysis = StoredAnalysis(row);
  if (!analysis.ok()) return analysis.status();
  *result.mutable_analysis() = *std::move(analysis);
  return absl::OkStatus();
}

// A review one item created or updated; `before` is set for an update.
struct Written {
  storage::ReviewRow row;
  std::optional<storage::ReviewRow> before;
};

// Applies `p` to its stored review `row`: UNCHANGED (nullopt) for a
// byte-identical input to a live review, UPDATED otherwise.
absl::StatusOr<std::optional<Written>> UpdateStored(
    storage::Txn& txn, const Batch& batch, Pending& p, storage::ReviewRow row,
    IngestResult& result) {
  if (row.input_hash == p.input_hash && !row.deleted) {
    if (absl::Status s = UseStoredAnalysis(row, result); !s.ok()) return s;
    result.set_name(ReviewName(row.id));
    result.set_outcome(IngestResult::UNCHANGED);
    return std::nullopt;
  }
  const bool content_changed = row.content_hash != p.content_hash;
  Written written{row, row};
  SetInput(p, batch.now, &written.row);
  if (content_changed) {
    SetAnalysis(batch.EnsureAnalysis(p), batch.now, &written.row, batch.sla);
    *result.mutable_analysis() = *p.analysis;
  } else if (absl::Status s = UseStoredAnalysis(written.row, result);
             !s.ok()) {
    return s;
  }
  if (absl::Status s = txn.UpdateReview(written.row); !s.ok()) return s;
  result.set_outcome(IngestResult::UPDATED);
  result.set_name(ReviewName(written.row.id));
  return written;
}

// Stores one valid item in the write transaction and fills its result.
absl::StatusOr<std::optional<Written>> WriteItem(storage::Txn& txn,
                                                 const Batch& batch,
                                                 Pending& p,
                                                 IngestResult& result) {
  std::optional<storage::ReviewRow> found;
  if (p.seen_new) {
    // Not stored when the batch was read (the common case): insert without
    // looking it up again, or get the row a concurrent call stored since.
    storage::ReviewRow row = batch.NewRow(p);
    auto inserted = txn.InsertOrFindReview(row);
    if (!inserted.ok()) return inserted.status();
    if (!inserted->existing.has_value()) {
      row.id = inserted->id;
      result.set_outcome(IngestResult::CREATED);
      *result.mutable_analysis() = *p.analysis;
      result.set_name(ReviewName(row.id));
      return Written{std::move(row), std::nullopt};
    }
    found = std::move(inserted->existing);
  } else {
    auto stored = txn.FindReview(batch.tenant_id, p.input->source(),
                                 p.input->external_id());
    if (!stored.ok()) return stored.status();
    found = *std::move(stored);
  }
  if (found.has_value()) {
    return UpdateStored(txn, batch, p, *std::move(found), result);
  }
  // No longer stored since the snapshot: store it anew.
  storage::ReviewRow row = batch.NewRow(p);
  auto id = txn.InsertReview(row);
  if (!id.ok()) return id.status();
  row.id = *id;
  result.set_outcome(IngestResult::CREATED);
  *result.mutable_analysis() = *p.analysis;
  result.set_name(ReviewName(row.id));
  return Written{std::move(row), std::nullopt};
}

// The one write transaction of a batch. The batch's changes go to the
// observer (optional) together at the end: it loads the tenant's alert rules
// once.
absl::Status WriteBatch(storage::Store& store, const Batch& batch,
                        ReviewObserver* observer,
                        std::vector<Pending>& pending,
                        std::vector<IngestResult>& results) {
  return store.Write([&](storage::Txn& txn) -> absl::Status {
    // Deques keep the rows' addresses for the changes.
    std::deque<storage::ReviewRow> rows, befores;
    std::vector<ReviewChange> changes;
    for (Pending& p : pending) {
      auto written = WriteItem(txn, batch, p, results[p.index]);
      if (!written.ok()) return written.status();
      if (!written->has_value() || observer == nullptr) continue;
      ReviewChange change;
      change.kind = (*written)->before.has_value()
                        ? ReviewChange::Kind::kUpdated
                        : ReviewChange::Kind::kCreated;
      if ((*written)->before.has_value()) {
        change.before = &befores.emplace_back(*std::move((*written)->before));
      }
      change.after = &rows.emplace_back(std::move((*written)->row));
      change.now = batch.now;
      changes.push_back(change);
    }
    if (changes.empty()) return absl::OkStatus();
    return observer->OnReviewsChanged(txn, changes);
  });
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
  std::vector<Pending> pending =
      ValidateInputs(inputs, limits_, first_index, results);
  if (!pending.empty()) {
    auto sla = ReadSnapshot(*store_, tenant_id, pending);
    if (!sla.ok()) return sla.status();
    const Batch batch{tenant_id, clock_->Now(), *sla, analysis_};
    AnalyzeChanged(batch, pending);
    if (absl::Status s = WriteBatch(*store_, batch, observer_, pending, results);
        !s.ok()) {
      return s;
    }
    if (observer_ != nullptr) observer_->OnCommitted(tenant_id);
  }
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
  filter.order = storage::ReviewOrder::kCreateTimeAsc;
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
    cursor = storage::ReviewCursor::After(rows.back());
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
