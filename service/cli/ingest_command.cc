// `opinia ingest FILE`: reads JSONL or CSV reviews and upserts them in
// batches with IngestReviews, retrying UNAVAILABLE (ingest is idempotent:
// (source, external_id) is the identity and request_id is kept on retries).
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"
#include "service/cli/progress.h"
#include "service/cli/review_reader.h"

namespace opinia::cli {
namespace {

using opinia::v1::IngestResult;
using opinia::v1::ReviewInput;

constexpr int kMaxBatch = 1000;             // the server's limit
constexpr size_t kMaxBatchBytes = 3 << 20;  // under the 4 MiB message limit

struct Rejection {
  int line;
  std::string error;
};

struct Summary {
  int64_t read = 0;  // items sent plus lines that could not be read
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;
  std::vector<Rejection> rejections;  // the first `keep` ones
  size_t keep = 10;

  void Reject(int line, std::string error) {
    ++rejected;
    if (rejections.size() < keep)
      rejections.push_back({line, std::move(error)});
  }
};

std::string JsonEscape(absl::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  return out;
}

// The server names fields by their place in the request ("reviews[3].text:
// ..."); next to a file line number the batch index only confuses.
std::string WithoutBatchIndex(const std::string& error) {
  if (error.rfind("reviews[", 0) != 0) return error;
  const size_t end = error.find("].");
  return end == std::string::npos ? error : error.substr(end + 2);
}

std::string NewRequestId() {
  static std::mt19937_64 rng(std::random_device{}());
  return absl::StrFormat("%016x%016x", rng(), rng());
}

class Ingester {
 public:
  Ingester(const Connection& connection, Summary* summary, int max_attempts)
      : connection_(connection),
        stub_(opinia::v1::ReviewService::NewStub(connection.channel())),
        summary_(summary),
        max_attempts_(max_attempts) {}

  // Sends one batch; false with `*failure` set when the run must stop.
  bool Send(const std::vector<ReviewInput>& batch,
            const std::vector<int>& lines, grpc::Status* failure) {
    opinia::v1::IngestReviewsRequest request;
    request.set_request_id(NewRequestId());
    for (const ReviewInput& review : batch) *request.add_reviews() = review;
    opinia::v1::IngestReviewsResponse response;
    grpc::Status status;
    absl::Duration backoff = absl::Milliseconds(200);
    for (int attempt = 1;; ++attempt) {
      auto context = connection_.NewContext();
      status = stub_->IngestReviews(context.get(), request, &response);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE ||
          attempt >= max_attempts_) {
        break;
      }
      std::cerr << "ingest: server unavailable (" << status.error_message()
                << "), retrying in " << absl::FormatDuration(backoff) << "\n";
      std::this_thread::sleep_for(absl::ToChronoMilliseconds(backoff));
      backoff = std::min(backoff * 2, absl::Seconds(10));
    }
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
        status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      // The whole batch was refused; keep going with the next one.
      for (int line : lines) {
        summary_->Reject(line, absl::StrCat("batch refused: ",
                                            StatusCodeName(status.error_code()),
                                            ": ", status.error_message()));
      }
      return true;
    }
    if (!status.ok()) {
      *failure = status;
      return false;
    }
    if (response.results_size() != static_cast<int>(batch.size())) {
      *failure =
          grpc::Status(grpc::StatusCode::INTERNAL,
                       absl::StrCat("server answered ", response.results_size(),
                                    " results for ", batch.size(), " reviews"));
      return false;
    }
    for (int i = 0; i < response.results_size(); ++i) {
      const IngestResult& result = response.results(i);
      switch (result.outcome()) {
        case IngestResult::CREATED:
          ++summary_->created;
          break;
        case IngestResult::UPDATED:
          ++summary_->updated;
          break;
        case IngestResult::UNCHANGED:
          ++summary_->unchanged;
          break;
        default:
          summary_->Reject(lines[i], result.error().empty()
                                         ? "rejected (no reason given)"
                                         : WithoutBatchIndex(result.error()));
      }
    }
    return true;
  }

 private:
  const Connection& connection_;
  std::unique_ptr<opinia::v1::ReviewService::Stub> stub_;
  Summary* summary_;
  int max_attempts_;
};

void PrintSummary(const std::string& path, const Summary& s,
                  absl::Duration elapsed, bool json) {
  if (json) {
    std::string rejections;
    for (const Rejection& r : s.rejections) {
      if (!rejections.empty()) rejections += ",";
      absl::StrAppend(&rejections, "{\"line\":", r.line, ",\"error\":\"",
                      JsonEscape(r.error), "\"}");
    }
    std::cout << absl::StrCat(
                     "{\"file\":\"", JsonEscape(path), "\",\"read\":", s.read,
                     ",\"created\":", s.created, ",\"updated\":", s.updated,
                     ",\"unchanged\":", s.unchanged,
                     ",\"rejected\":", s.rejected, ",\"rejections\":[",
                     rejections, "]}")
              << "\n";
    return;
  }
  std::cout << absl::StrFormat("%s: %d reviews in %.2f s\n", path, s.read,
                               absl::ToDoubleSeconds(elapsed))
            << absl::StrFormat("  created    %8d\n", s.created)
            << absl::StrFormat("  updated    %8d\n", s.updated)
            << absl::StrFormat("  unchanged  %8d\n", s.unchanged)
            << absl::StrFormat("  rejected   %8d\n", s.rejected);
  if (!s.rejections.empty()) {
    std::cout << "first rejections:\n";
    for (const Rejection& r : s.rejections) {
      std::cout << "  line " << r.line << ": " << r.error << "\n";
    }
  }
}

int RunIngest(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) {
    return ReportUsageError("usage: opinia ingest FILE (use - for stdin)");
  }
  const std::string& path = operands[0];
  auto batch_size = args.GetInt("batch", 500, 1, kMaxBatch);
  if (!batch_size.ok()) return ReportUsageError(batch_size.status().message());
  auto attempts = args.GetInt("retries", 8, 0, 100);
  if (!attempts.ok()) return ReportUsageError(attempts.status().message());
  auto show = args.GetInt("show-errors", 10, 0, 100000);
  if (!show.ok()) return ReportUsageError(show.status().message());
  auto format =
      DetectFormat(path == "-" ? "stdin" : path, args.GetOr("format", ""));
  if (!format.ok()) return ReportUsageError(format.status().message());

  std::ifstream file;
  std::istream* in = &std::cin;
  uint64_t total_bytes = 0;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return ReportUsageError(absl::StrCat("cannot open ", path));
    struct stat st {};
    if (stat(path.c_str(), &st) == 0) total_bytes = st.st_size;
    in = &file;
  }
  auto reader = ReviewReader::Create(in, *format);
  if (!reader.ok()) {
    return ReportUsageError(
        absl::StrCat(path, ": ", reader.status().message()));
  }
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());

  const std::string default_source = args.GetOr("source", "");
  const std::string default_subject = args.GetOr("subject", "");
  Summary summary;
  summary.keep = *show;
  Ingester ingester(**connection, &summary, *attempts + 1);
  Progress progress(Progress::DefaultMode(!args.Has("no-progress")),
                    total_bytes);
  const absl::Time start = absl::Now();

  std::vector<ReviewInput> batch;
  std::vector<int> lines;
  size_t batch_bytes = 0;
  int64_t sent = 0;
  grpc::Status failure;
  auto flush = [&]() {
    if (batch.empty()) return true;
    const bool ok = ingester.Send(batch, lines, &failure);
    sent += batch.size();
    batch.clear();
    lines.clear();
    batch_bytes = 0;
    progress.Update((*reader)->bytes_read(), sent);
    return ok;
  };
  bool ok = true;
  while (ok) {
    ReadItem item = (*reader)->Next();
    if (item.kind == ReadItem::Kind::kEnd) break;
    ++summary.read;
    if (item.kind == ReadItem::Kind::kBadLine) {
      summary.Reject(item.line, item.error);
      continue;
    }
    ReviewInput& review = item.review;
    if (review.source().empty()) review.set_source(default_source);
    if (review.subject_id().empty()) review.set_subject_id(default_subject);
    const size_t size = review.ByteSizeLong();
    if (!batch.empty() && batch_bytes + size > kMaxBatchBytes && !flush()) {
      ok = false;
      break;
    }
    batch.push_back(std::move(review));
    lines.push_back(item.line);
    batch_bytes += size;
    if (batch.size() >= static_cast<size_t>(*batch_size)) ok = flush();
  }
  if (ok) ok = flush();
  progress.Finish();
  PrintSummary(path, summary, absl::Now() - start, args.Has("json"));
  if (!ok) return ReportRpcError(failure, "IngestReviews", **connection);
  return summary.rejected > 0 ? kExitPartial : kExitOk;
}

}  // namespace

std::vector<Command> IngestCommands() {
  return {{
      {"ingest"},
      "FILE",
      "upsert reviews from a JSONL or CSV file (- for stdin) and print a "
      "summary; exit code 3 when some were rejected",
      {
          {"format", "jsonl|csv", "file format (default: from the extension)"},
          {"source", "ID", "source for items that have none (e.g. allegro)"},
          {"subject", "ID", "subject_id for items that have none"},
          {"batch", "N",
           "reviews per IngestReviews call (default 500, max 1000)"},
          {"retries", "N",
           "retries of a batch while the server is unavailable (default 8)"},
          {"show-errors", "N",
           "rejections to list in the summary (default 10)"},
          {"no-progress", "", "no progress output on stderr"},
      },
      RunIngest,
  }};
}

}  // namespace opinia::cli
