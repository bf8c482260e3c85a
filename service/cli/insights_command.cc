// `opinia summary`, `opinia trends`, `opinia search` and `opinia report`:
// the dashboard numbers of InsightsService in the terminal, and a
// self-contained HTML report (report_html.h).
#include <algorithm>
#include <fstream>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "opinia/v1/insights.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"
#include "service/cli/display_zone.h"
#include "service/cli/format.h"
#include "service/cli/report_html.h"
#include "service/cli/table.h"
#include "service/cli/term_chart.h"

namespace opinia::cli {
namespace {

using opinia::v1::InsightsService;
using opinia::v1::ReputationSummary;
using opinia::v1::ReviewService;

// --source/--subject/--language/--since/--until into a SummaryRequest; a
// usage error message otherwise.
std::string BuildFilter(const Args& args, opinia::v1::SummaryRequest* req,
                        const char* default_since) {
  if (auto v = args.Get("source")) {
    for (auto& s : SplitList(*v)) req->add_sources(s);
  }
  if (auto v = args.Get("subject")) {
    for (auto& s : SplitList(*v)) req->add_subject_ids(s);
  }
  if (auto v = args.Get("language")) {
    for (auto& s : SplitList(*v)) req->add_languages(s);
  }
  const absl::Time now = absl::Now();
  std::optional<std::string> since = args.Get("since");
  if (!since && default_since != nullptr) since = default_since;
  if (since) {
    auto t = ParseTimeArg(*since, now);
    if (!t.ok()) return absl::StrCat("--since: ", t.status().message());
    *req->mutable_start_time() = ToProtoTime(*t);
  }
  if (auto v = args.Get("until")) {
    auto t = ParseTimeArg(*v, now);
    if (!t.ok()) return absl::StrCat("--until: ", t.status().message());
    *req->mutable_end_time() = ToProtoTime(*t);
  }
  return "";
}

std::string ParseInterval(const Args& args, opinia::v1::Interval* out) {
  const std::string v = absl::AsciiStrToUpper(args.GetOr("interval", "day"));
  if (!opinia::v1::Interval_Parse(v, out) ||
      *out == opinia::v1::INTERVAL_UNSPECIFIED) {
    return "--interval must be day, week or month";
  }
  return "";
}

std::string AspectName(opinia::v1::Aspect a) {
  std::string s = absl::AsciiStrToLower(opinia::v1::Aspect_Name(a));
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string Percent(double v) { return absl::StrFormat("%.1f%%", 100 * v); }

std::string Duration(double seconds) {
  if (seconds <= 0) return "-";
  if (seconds < 3600) return absl::StrFormat("%.0f min", seconds / 60);
  if (seconds < 172800) return absl::StrFormat("%.1f h", seconds / 3600);
  return absl::StrFormat("%.1f days", seconds / 86400);
}

void PrintSummary(const ReputationSummary& s) {
  const double max = std::max<double>(
      1, *std::max_element(s.rating_counts().begin(), s.rating_counts().end()));
  std::cout << absl::StrFormat("reviews:          %d\n", s.review_count())
            << absl::StrFormat("average rating:   %.2f\n", s.average_rating());
  for (int k = 4; k >= 0 && k < s.rating_counts_size(); --k) {
    std::cout << absl::StrFormat(
        "  %d★ %7d %s\n", k + 1, s.rating_counts(k),
        Bar(static_cast<double>(s.rating_counts(k)) / max, 30));
  }
  std::cout << absl::StrFormat(
                   "sentiment:        %d negative, %d neutral, %d positive, "
                   "%d mixed  (analyzer labels; NEUTRAL is rare)\n",
                   s.negative_count(), s.neutral_count(), s.positive_count(),
                   s.mixed_count())
            << absl::StrFormat(
                   "net sentiment:    %+.3f  ((positive - negative) / "
                   "reviews)\n",
                   s.net_sentiment())
            << "response rate:    " << Percent(s.response_rate())
            << "  (reviews with a recorded response)\n"
            << "median response:  " << Duration(s.median_response_seconds())
            << "  (" << kMedianResponseDefinition << ")\n"
            << absl::StrFormat(
                   "SLA:              %d open, %d breached  (deadline from "
                   "the tenant's SLA policy)\n",
                   s.open_sla_count(), s.breached_sla_count());
  for (const auto& [title, list] :
       {std::pair<const char*, const google::protobuf::RepeatedPtrField<
                                   opinia::v1::AspectCount>*>{
            "top negative:     ", &s.top_negative_aspects()},
        {"top positive:     ", &s.top_positive_aspects()}}) {
    std::cout << title;
    if (list->empty()) std::cout << "-";
    for (int i = 0; i < list->size(); ++i) {
      std::cout << (i ? ", " : "") << AspectName(list->Get(i).aspect()) << " ("
                << list->Get(i).count() << ")";
    }
    std::cout << "\n";
  }
}

int RunSummary(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("summary takes no operands");
  opinia::v1::SummaryRequest req;
  if (auto e = BuildFilter(args, &req, nullptr); !e.empty()) {
    return ReportUsageError(e);
  }
  ReputationSummary s;
  if (int rc = CallOnce(args, &InsightsService::Stub::GetReputationSummary,
                        "GetReputationSummary", req, &s)) {
    return rc;
  }
  PrintJsonOr(args, s, [&] { PrintSummary(s); });
  return kExitOk;
}

int RunTrends(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("trends takes no operands");
  opinia::v1::TrendsRequest req;
  if (auto e = BuildFilter(args, req.mutable_filter(), nullptr); !e.empty()) {
    return ReportUsageError(e);
  }
  opinia::v1::Interval interval;
  if (auto e = ParseInterval(args, &interval); !e.empty()) {
    return ReportUsageError(e);
  }
  req.set_interval(interval);
  opinia::v1::Trends trends;
  if (int rc = CallOnce(args, &InsightsService::Stub::GetTrends, "GetTrends",
                        req, &trends)) {
    return rc;
  }
  if (args.Has("json")) {
    for (const auto& p : trends.points()) std::cout << ToJsonLine(p) << "\n";
    return kExitOk;
  }
  std::vector<double> counts, ratings;
  int64_t max = 1;
  for (const auto& p : trends.points()) {
    counts.push_back(static_cast<double>(p.summary().review_count()));
    ratings.push_back(p.summary().average_rating());
    max = std::max(max, p.summary().review_count());
  }
  std::cout << "reviews  " << Sparkline(counts) << "\n"
            << "rating   " << Sparkline(ratings) << "\n\n";
  // Buckets start at the tenant's local midnight, which is the evening
  // before in UTC: a UTC date would label every bucket a day early.
  const DisplayZone zone = LoadDisplayZone(trends.time_zone());
  Table table({{BucketHeader(interval, zone.name)},
               {"REVIEWS", 0, true},
               {"RATING", 0, true},
               {"NEG", 0, true},
               {"POS", 0, true},
               {"NET", 0, true},
               {"RESPONDED", 0, true},
               {"", 0, false, true}});
  for (const auto& p : trends.points()) {
    const auto& s = p.summary();
    table.AddRow({BucketLabel(p, interval, zone.tz),
                  absl::StrCat(s.review_count()),
                  s.review_count() ? absl::StrFormat("%.2f", s.average_rating())
                                   : "-",
                  absl::StrCat(s.negative_count()),
                  absl::StrCat(s.positive_count()),
                  absl::StrFormat("%+.2f", s.net_sentiment()),
                  Percent(s.response_rate()),
                  Bar(static_cast<double>(s.review_count()) /
                          static_cast<double>(max),
                      30)});
  }
  table.Print(std::cout, TerminalWidth(120));
  return kExitOk;
}

int RunSearch(const Args& args, const std::vector<std::string>& operands) {
  if (operands.empty()) {
    return ReportUsageError("search needs a QUERY, e.g. opinia search 'zwrot*'");
  }
  opinia::v1::ListReviewsRequest req;
  req.set_query(absl::StrJoin(operands, " "));
  opinia::v1::SummaryRequest filter;
  if (auto e = BuildFilter(args, &filter, nullptr); !e.empty()) {
    return ReportUsageError(e);
  }
  *req.mutable_sources() = filter.sources();
  *req.mutable_subject_ids() = filter.subject_ids();
  *req.mutable_languages() = filter.languages();
  if (filter.has_start_time()) *req.mutable_start_time() = filter.start_time();
  if (filter.has_end_time()) *req.mutable_end_time() = filter.end_time();
  auto limit = args.GetInt("limit", 20, 1, 1000);
  if (!limit.ok()) return ReportUsageError(limit.status().message());
  req.set_page_size(*limit);
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  opinia::v1::ListReviewsResponse response;
  if (!Call(**connection, &ReviewService::Stub::ListReviews, "ListReviews", req,
            &response)) {
    return kExitRpcError;
  }
  if (args.Has("json")) {
    for (const auto& r : response.reviews()) std::cout << ToJsonLine(r) << "\n";
    return kExitOk;
  }
  auto zone = ResolveDisplayZone(args, **connection);
  if (!zone.ok()) return ReportUsageError(zone.status().message());
  Table table({{"NAME"},
               {absl::StrCat("CREATED (", zone->name, ")")},
               {"SOURCE", 12},
               {"RATING", 0, true},
               {"SENTIMENT"},
               {"TEXT", 0, false, true}});
  for (const auto& r : response.reviews()) {
    const auto& label = r.override().sentiment().label() !=
                                opinia::v1::SENTIMENT_LABEL_UNSPECIFIED
                            ? r.override().sentiment().label()
                            : r.analysis().sentiment().label();
    table.AddRow({r.name(), ShortTime(r.input().create_time(), zone->tz),
                  r.input().source(),
                  r.input().rating() ? absl::StrCat(r.input().rating()) : "-",
                  label ? opinia::v1::SentimentLabel_Name(label) : "-",
                  r.input().text()});
  }
  if (table.size() == 0) {
    std::cout << "no reviews match\n";
  } else {
    table.Print(std::cout, TerminalWidth(160));
    std::cout << response.total_size() << " matching review"
              << (response.total_size() == 1 ? "" : "s") << "\n";
  }
  return kExitOk;
}

int RunReport(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("report takes no operands");
  const std::optional<std::string> path = args.Get("html");
  if (!path || path->empty()) {
    return ReportUsageError("report needs --html=FILE");
  }
  ReportData data;
  if (auto e = BuildFilter(args, &data.filter, "90d"); !e.empty()) {
    return ReportUsageError(e);
  }
  if (auto v = args.Get("interval"); !v) {
    data.interval = opinia::v1::WEEK;
  } else if (auto e = ParseInterval(args, &data.interval); !e.empty()) {
    return ReportUsageError(e);
  }
  data.title = args.GetOr("title", "Reputation report");
  data.generated = absl::Now();
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  {
    if (!Call(**connection, &InsightsService::Stub::GetReputationSummary,
              "GetReputationSummary", data.filter, &data.summary)) {
      return kExitRpcError;
    }
  }
  {
    opinia::v1::TrendsRequest req;
    *req.mutable_filter() = data.filter;
    req.set_interval(data.interval);
    if (!Call(**connection, &InsightsService::Stub::GetTrends, "GetTrends", req,
              &data.trends)) {
      return kExitRpcError;
    }
  }
  {
    if (!Call(**connection, &InsightsService::Stub::ListAspectInsights,
              "ListAspectInsights", data.filter, &data.aspects)) {
      return kExitRpcError;
    }
  }
  {
    opinia::v1::ListReviewsRequest req;
    *req.mutable_sources() = data.filter.sources();
    *req.mutable_subject_ids() = data.filter.subject_ids();
    *req.mutable_languages() = data.filter.languages();
    *req.mutable_start_time() = data.filter.start_time();
    if (data.filter.has_end_time()) {
      *req.mutable_end_time() = data.filter.end_time();
    }
    req.add_priorities(opinia::v1::P1);
    req.add_priorities(opinia::v1::P2);
    req.set_page_size(10);
    opinia::v1::ListReviewsResponse response;
    if (!Call(**connection, &ReviewService::Stub::ListReviews, "ListReviews",
              req, &response)) {
      return kExitRpcError;
    }
    data.urgent.assign(response.reviews().begin(), response.reviews().end());
  }
  const std::string html = RenderReportHtml(data);
  const std::string tmp = *path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << html;
    if (!out.good()) {
      return ReportUsageError(absl::StrCat("cannot write ", tmp));
    }
  }
  if (std::rename(tmp.c_str(), path->c_str()) != 0) {
    return ReportUsageError(absl::StrCat("cannot write ", *path));
  }
  std::cerr << "report written to " << *path << " (" << html.size()
            << " bytes)\n";
  return kExitOk;
}

const std::vector<OptionHelp> kFilterOptions = {
    {"source", "A,B", "only these sources"},
    {"subject", "A,B", "only these subject ids"},
    {"language", "pl,en", "only these languages"},
    {"since", "TIME", "created at or after (RFC 3339, YYYY-MM-DD or 30d)"},
    {"until", "TIME", "created before (default: now)"},
};

std::vector<OptionHelp> With(std::vector<OptionHelp> extra) {
  std::vector<OptionHelp> all = kFilterOptions;
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

}  // namespace

std::vector<Command> InsightsCommands() {
  return {
      {{"summary"},
       "",
       "reputation summary: ratings, sentiment, responses, SLAs, aspects. "
       "Over reviews created in [--since, --until): average of the rated "
       "reviews; sentiment counts of the analyzer's labels (a person's "
       "override wins); net = (positive - negative) / reviews; response "
       "rate = reviews with a recorded response / reviews; median response "
       "from when Opinia first saw the review (or its create_time, if "
       "later) to the response, a reply imported with the review from "
       "create_time; SLA open = deadline ahead and "
       "unanswered, breached = deadline passed unanswered or answered late",
       With({}),
       RunSummary},
      {{"trends"},
       "",
       "per day/week/month numbers with an inline chart",
       With({{"interval", "day|week|month", "bucket size (default day)"}}),
       RunTrends},
      {{"search"},
       "QUERY",
       "full-text search: words, \"phrases\", prefix*, a OR b, -exclude",
       With({{"limit", "N", "at most N reviews (default 20)"}}),
       RunSearch},
      {{"report"},
       "",
       "write a self-contained HTML report (charts, aspects, urgent reviews)",
       With({{"html", "FILE", "where to write the report (required)"},
             {"interval", "day|week|month", "trend buckets (default week)"},
             {"title", "TEXT", "the report's heading"}}),
       RunReport},
  };
}

}  // namespace opinia::cli
