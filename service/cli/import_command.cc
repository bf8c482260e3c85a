// `opinia import FILE --format=gbp|trustpilot|json|csv`: a one-off import of
// a platform export in the same formats the collectors read (one GBP or
// Trustpilot API response, a JSON feed or a CSV file), mapped by the same
// code (the kind's Platform, opinia_review_formats) and sent through
// IngestReviews in batches with a progress bar. Owner replies in the file
// are recorded with RecordResponse (needs a key with the respond role;
// skipped with a warning otherwise). Re-importing is harmless: (source,
// external_id) is the identity.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/cli/collectors_flags.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"
#include "service/cli/progress.h"
#include "service/core/collectors/platform.h"
#include "util/status_macros.h"

namespace opinia::cli {
namespace {

using opinia::v1::IngestResult;

constexpr int kBatch = 500;

// The file at `path` mapped by the platform of `kind`; INVALID_ARGUMENT
// with the reason (a bad mapping, an unreadable file, a body not in the
// platform's format).
absl::StatusOr<core::collectors::MappedPage> ReadExport(
    const std::string& path, opinia::v1::CollectorKind kind,
    core::collectors::FeedMapping mapping) {
  ASSIGN_OR_RETURN(auto platform, core::collectors::PlatformFor(kind));
  if (platform->uses_mapping()) {
    if (mapping.count("external_id") == 0) {
      mapping["external_id"] = "external_id";  // same-name column/path
    }
    if (auto s = platform->ValidateMapping(mapping, "--mapping"); !s.ok()) {
      return s;
    }
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::InvalidArgumentError(absl::StrCat("cannot open ", path));
  }
  std::stringstream body;
  body << file.rdbuf();
  auto page = platform->ParsePage(body.str(), mapping);
  if (!page.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", page.status().message()));
  }
  return page;
}

int RunImport(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) {
    return ReportUsageError(absl::StrCat("usage: opinia import FILE --format=",
                                         KindFlagNames(), " --source=ID"));
  }
  if (!args.Has("format") || !args.Has("source")) {
    return ReportUsageError("import: --format and --source are required");
  }
  auto kind = ParseKind(args.GetOr("format", ""), "format");
  if (!kind.ok()) return ReportUsageError(kind.status().message());
  auto mapping = ParseMapping(args.GetOr("mapping", ""));
  if (!mapping.ok()) return ReportUsageError(mapping.status().message());
  auto page = ReadExport(operands[0], *kind, *std::move(mapping));
  if (!page.ok()) return ReportUsageError(page.status().message());
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  auto stub = opinia::v1::ReviewService::NewStub((*connection)->channel());

  const std::string source = args.GetOr("source", "");
  const std::string subject = args.GetOr("subject", "");
  auto& reviews = page->reviews;
  for (auto& r : reviews) {
    r.input.set_source(source);
    if (r.input.subject_id().empty()) r.input.set_subject_id(subject);
  }
  Progress progress(Progress::DefaultMode(!args.Has("no-progress")),
                    reviews.size());
  int64_t created = 0, updated = 0, unchanged = 0, rejected = 0,
          replies = 0;
  bool reply_denied = false;
  std::vector<std::string> errors;
  for (size_t start = 0; start < reviews.size(); start += kBatch) {
    const size_t n = std::min<size_t>(kBatch, reviews.size() - start);
    opinia::v1::IngestReviewsRequest request;
    for (size_t i = 0; i < n; ++i) {
      *request.add_reviews() = reviews[start + i].input;
    }
    opinia::v1::IngestReviewsResponse response;
    auto ctx = (*connection)->NewContext();
    grpc::Status s = stub->IngestReviews(ctx.get(), request, &response);
    if (!s.ok()) {
      progress.Finish();
      return ReportRpcError(s, "IngestReviews", **connection);
    }
    for (int i = 0; i < response.results_size(); ++i) {
      const IngestResult& result = response.results(i);
      switch (result.outcome()) {
        case IngestResult::CREATED: ++created; break;
        case IngestResult::UPDATED: ++updated; break;
        case IngestResult::UNCHANGED: ++unchanged; break;
        default:
          ++rejected;
          if (errors.size() < 10) {
            errors.push_back(absl::StrCat("item ", start + i + 1, ": ",
                                          result.error()));
          }
          continue;
      }
      const auto& mapped = reviews[start + i];
      if (!mapped.has_reply || reply_denied) continue;
      opinia::v1::RecordResponseRequest respond;
      respond.set_name(result.name());
      *respond.mutable_response() = mapped.reply;
      opinia::v1::Review out;
      auto rctx = (*connection)->NewContext();
      grpc::Status rs = stub->RecordResponse(rctx.get(), respond, &out);
      if (rs.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
        reply_denied = true;
        std::cerr << "import: owner replies skipped: the key lacks the "
                     "respond role\n";
      } else if (rs.ok()) {
        ++replies;
      }
    }
    progress.Update(start + n, start + n);
  }
  progress.Finish();
  std::cout << absl::StrFormat(
      "%s: %d reviews\n  created    %8d\n  updated    %8d\n  unchanged  %8d\n"
      "  rejected   %8d\n  replies    %8d\n",
      operands[0], reviews.size(), created, updated, unchanged, rejected,
      replies);
  for (const std::string& e : errors) std::cout << "  " << e << "\n";
  return rejected > 0 ? kExitPartial : kExitOk;
}

}  // namespace

std::vector<Command> ImportCommands() {
  return {{{"import"},
           "FILE",
           "one-off import of a platform export (GBP or Trustpilot API "
           "response, JSON feed, CSV) through IngestReviews",
           {{"format", KindFlagNames(), "the file's format"},
            {"source", "ID", "source of the reviews, e.g. google"},
            {"subject", "ID", "subject_id for reviews that have none"},
            {"mapping", "K=PATH,...",
             "json/csv: field mapping, e.g. external_id=id,text=body"},
            {"no-progress", "", "no progress output on stderr"}},
           RunImport}};
}

}  // namespace opinia::cli
