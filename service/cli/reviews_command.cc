// `opinia reviews list|get|request-removal`, `opinia respond`,
// `opinia analyze`.
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"
#include "service/cli/display_zone.h"
#include "service/cli/format.h"
#include "service/cli/table.h"

namespace opinia::cli {
namespace {

using opinia::v1::Analysis;
using opinia::v1::Review;
using opinia::v1::ReviewService;

std::string PriorityText(opinia::v1::Priority p) {
  if (p == opinia::v1::PRIORITY_UNSPECIFIED || p == opinia::v1::NONE)
    return "-";
  return opinia::v1::Priority_Name(p);
}

std::string SentimentText(const opinia::v1::Sentiment& s) {
  if (s.label() == opinia::v1::SENTIMENT_LABEL_UNSPECIFIED) return "-";
  return absl::StrFormat("%s %+.2f", opinia::v1::SentimentLabel_Name(s.label()),
                         s.score());
}

// A person's override wins over the model's analysis.
const opinia::v1::Sentiment& EffectiveSentiment(const Review& r) {
  return r.override().sentiment().label() !=
                 opinia::v1::SENTIMENT_LABEL_UNSPECIFIED
             ? r.override().sentiment()
             : r.analysis().sentiment();
}
opinia::v1::Priority EffectivePriority(const Review& r) {
  return r.override().urgency().priority() != opinia::v1::PRIORITY_UNSPECIFIED
             ? r.override().urgency().priority()
             : r.analysis().urgency().priority();
}

std::string StatusText(opinia::v1::ReviewStatus s) {
  return s == opinia::v1::REVIEW_STATUS_UNSPECIFIED
             ? "-"
             : opinia::v1::ReviewStatus_Name(s);
}

std::string RatingText(const opinia::v1::ReviewInput& in) {
  if (in.rating() == 0) return "-";
  return absl::StrCat(in.rating(), "/",
                      in.rating_scale() == 0 ? 5 : in.rating_scale());
}

Table ReviewTable(const DisplayZone& zone) {
  return Table({{"NAME"},
                {absl::StrCat("CREATED (", zone.name, ")")},
                {"SOURCE", 12},
                {"SUBJECT", 16},
                {"RATING", 0, true},
                {"LANG"},
                {"SENTIMENT"},
                {"PRI"},
                {"STATUS"},
                {"TEXT", 0, false, true}});
}

void AddReviewRow(const Review& r, const DisplayZone& zone, Table* table) {
  const auto& in = r.input();
  std::string text = in.title().empty()
                         ? in.text()
                         : absl::StrCat(in.title(), " — ", in.text());
  table->AddRow(
      {r.name(), ShortTime(in.create_time(), zone.tz), in.source(),
       in.subject_id().empty() ? "-" : in.subject_id(), RatingText(in),
       r.analysis().language().empty() ? "-" : r.analysis().language(),
       SentimentText(EffectiveSentiment(r)), PriorityText(EffectivePriority(r)),
       StatusText(r.status()), text});
}

// Fills `request` from the filter flags; a usage error message otherwise.
std::string BuildListRequest(const Args& args,
                             opinia::v1::ListReviewsRequest* request) {
  if (auto v = args.Get("source")) {
    for (auto& s : SplitList(*v)) request->add_sources(s);
  }
  if (auto v = args.Get("subject")) {
    for (auto& s : SplitList(*v)) request->add_subject_ids(s);
  }
  if (auto v = args.Get("language")) {
    for (auto& s : SplitList(*v)) request->add_languages(s);
  }
  if (auto v = args.Get("label")) {
    if (auto bad = AddEnumList(*v, opinia::v1::SentimentLabel_Parse,
                               request->mutable_labels())) {
      return absl::StrCat("--label: unknown label ",
                          absl::AsciiStrToUpper(*bad),
                          " (NEGATIVE, NEUTRAL, POSITIVE, MIXED)");
    }
  }
  if (auto v = args.Get("priority")) {
    if (auto bad = AddEnumList(*v, opinia::v1::Priority_Parse,
                               request->mutable_priorities())) {
      return absl::StrCat("--priority: unknown priority ",
                          absl::AsciiStrToUpper(*bad), " (P1..P4, NONE)");
    }
  }
  if (auto v = args.Get("status")) {
    if (auto bad = AddEnumList(*v, opinia::v1::ReviewStatus_Parse,
                               request->mutable_statuses())) {
      return absl::StrCat("--status: unknown status ",
                          absl::AsciiStrToUpper(*bad),
                          " (NEW, ACKNOWLEDGED, RESPONDED, RESOLVED)");
    }
  }
  for (const char* flag : {"min-rating", "max-rating"}) {
    auto n = args.GetInt(flag, 0, 0, 100);
    if (!n.ok()) return std::string(n.status().message());
    if (std::string(flag) == "min-rating") {
      request->set_min_rating(*n);
    } else {
      request->set_max_rating(*n);
    }
  }
  const absl::Time now = absl::Now();
  if (auto v = args.Get("since")) {
    auto t = ParseTimeArg(*v, now);
    if (!t.ok()) return absl::StrCat("--since: ", t.status().message());
    *request->mutable_start_time() = ToProtoTime(*t);
  }
  if (auto v = args.Get("until")) {
    auto t = ParseTimeArg(*v, now);
    if (!t.ok()) return absl::StrCat("--until: ", t.status().message());
    *request->mutable_end_time() = ToProtoTime(*t);
  }
  if (auto v = args.Get("query")) request->set_query(*v);
  if (auto v = args.Get("order")) {
    // The server's ListReviews.order_by values, by shorter names.
    const std::string order = absl::AsciiStrToLower(*v);
    if (order == "asc" || order == "desc") {
      request->set_order_by(absl::StrCat("create_time ", order));
    } else if (order == "urgency") {
      request->set_order_by("priority asc, respond_by asc");
    } else if (order == "deadline") {
      request->set_order_by("respond_by asc");
    } else {
      return "--order must be desc, asc, urgency or deadline";
    }
  }
  if (auto v = args.Get("page-token")) request->set_page_token(*v);
  if (args.Has("show-deleted")) request->set_show_deleted(true);
  return "";
}

int RunList(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty())
    return ReportUsageError("reviews list takes no operands");
  opinia::v1::ListReviewsRequest request;
  if (std::string error = BuildListRequest(args, &request); !error.empty()) {
    return ReportUsageError(error);
  }
  const bool all = args.Has("all");
  auto limit = args.GetInt("limit", 50, 1, 1 << 30);
  if (!limit.ok()) return ReportUsageError(limit.status().message());
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  auto zone = ResolveDisplayZone(args, **connection);
  if (!zone.ok()) return ReportUsageError(zone.status().message());

  const bool json = args.Has("json");
  Table table = ReviewTable(*zone);
  int64_t shown = 0;
  std::string next;
  while (true) {
    const int64_t want = all ? 1000 : *limit - shown;
    request.set_page_size(static_cast<int>(std::min<int64_t>(want, 1000)));
    opinia::v1::ListReviewsResponse response;
    if (!Call(**connection, &ReviewService::Stub::ListReviews, "ListReviews",
              request, &response)) {
      return kExitRpcError;
    }
    for (const Review& r : response.reviews()) {
      if (json) {
        std::cout << ToJsonLine(r) << "\n";
      } else {
        AddReviewRow(r, *zone, &table);
      }
      ++shown;
    }
    next = response.next_page_token();
    if (next.empty() || (!all && shown >= *limit)) break;
    request.set_page_token(next);
  }
  if (!json) {
    if (table.size() == 0) {
      std::cout << "no reviews\n";
    } else {
      table.Print(std::cout, TerminalWidth(160));
    }
  }
  if (!next.empty()) {
    std::cerr << "more: --page-token=" << next << "  (or --all)\n";
  }
  return kExitOk;
}

void PrintAnalysis(const Analysis& a, const std::string& text,
                   const absl::TimeZone& zone = absl::UTCTimeZone()) {
  std::cout << absl::StrFormat("language:      %s (%.2f)\n",
                               a.language().empty() ? "-" : a.language(),
                               a.language_confidence())
            << absl::StrFormat("sentiment:     %s (confidence %.2f)\n",
                               SentimentText(a.sentiment()),
                               a.sentiment().confidence());
  const auto& u = a.urgency();
  std::cout << "priority:      " << PriorityText(u.priority());
  if (u.reasons_size() > 0) std::cout << " " << absl::StrJoin(u.reasons(), ",");
  if (u.has_respond_by())
    std::cout << ", respond by " << LongTime(u.respond_by(), zone);
  std::cout << "\n";
  for (const auto& aspect : a.aspects()) {
    std::string evidence;
    for (const auto& span : aspect.evidence()) {
      if (span.begin() >= 0 && span.end() <= static_cast<int>(text.size()) &&
          span.begin() < span.end()) {
        evidence = text.substr(span.begin(), span.end() - span.begin());
        break;
      }
    }
    std::cout << absl::StrFormat("aspect:        %-17s %s",
                                 opinia::v1::Aspect_Name(aspect.aspect()),
                                 SentimentText(aspect.sentiment()));
    if (!evidence.empty())
      std::cout << "  \"" << Truncate(OneLine(evidence), 60) << "\"";
    std::cout << "\n";
  }
  std::cout << "model_version: "
            << (a.model_version().empty() ? "-" : a.model_version()) << "\n";
}

// Where a published reply is (RecordResponse with publish).
void PrintReplyState(const opinia::v1::ReviewResponse& response,
                     const DisplayZone& zone) {
  if (response.state() == opinia::v1::REPLY_STATE_UNSPECIFIED) return;
  std::string state = opinia::v1::ReplyState_Name(response.state());
  state = state.substr(state.find('_') + 1);  // without "REPLY_"
  std::cout << "reply:         " << state;
  if (response.has_publish_time()) {
    std::cout << " on the platform at "
              << LongTime(response.publish_time(), zone.tz);
  }
  if (response.publish_attempts() > 0) {
    std::cout << ", " << response.publish_attempts()
              << (response.publish_attempts() == 1 ? " attempt" : " attempts");
  }
  std::cout << "\n";
  if (!response.publish_error().empty()) {
    std::cout << "reply error:   " << response.publish_error() << "\n";
  }
}

void PrintReview(const Review& r, const DisplayZone& zone) {
  const auto& in = r.input();
  std::cout << "name:          " << r.name()
            << (r.deleted() ? " (deleted)" : "") << "\n"
            << "source:        " << in.source() << " / " << in.external_id()
            << "\n"
            << "subject:       "
            << (in.subject_id().empty() ? "-" : in.subject_id()) << "\n"
            << "author:        "
            << (in.author_name().empty() ? "-" : in.author_name()) << "\n"
            << "rating:        " << RatingText(in) << "\n"
            << "times in:      " << zone.name << "\n"
            << "created:       " << LongTime(in.create_time(), zone.tz) << "\n"
            << "ingested:      " << LongTime(r.ingest_time(), zone.tz) << "\n"
            << "status:        " << StatusText(r.status()) << "\n";
  if (!in.url().empty()) std::cout << "url:           " << in.url() << "\n";
  PrintAnalysis(r.analysis(), in.text(), zone.tz);
  if (r.has_override()) {
    std::cout << "override:      sentiment "
              << SentimentText(r.override().sentiment()) << ", priority "
              << PriorityText(r.override().urgency().priority()) << "\n";
  }
  if (!in.title().empty()) std::cout << "title:         " << in.title() << "\n";
  std::cout << "text:\n  " << in.text() << "\n";
  if (!r.response().text().empty()) {
    std::cout << "response ("
              << (r.response().author().empty() ? "-" : r.response().author())
              << ", " << LongTime(r.response().response_time(), zone.tz)
              << "):\n  "
              << r.response().text() << "\n";
    PrintReplyState(r.response(), zone);
  }
}

int RunGet(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1)
    return ReportUsageError("usage: opinia reviews get NAME");
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  opinia::v1::GetReviewRequest request;
  request.set_name(QualifyName("reviews", operands[0]));
  Review review;
  if (!Call(**connection, &ReviewService::Stub::GetReview, "GetReview", request,
            &review)) {
    return kExitRpcError;
  }
  if (args.Has("json")) {
    std::cout << ToJsonLine(review) << "\n";
  } else {
    auto zone = ResolveDisplayZone(args, **connection);
    if (!zone.ok()) return ReportUsageError(zone.status().message());
    PrintReview(review, *zone);
  }
  return kExitOk;
}

int RunRespond(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) {
    return ReportUsageError(
        "usage: opinia respond NAME --text=TEXT [--author=NAME] [--publish]");
  }
  auto text = args.Get("text");
  if (!text || text->empty())
    return ReportUsageError("respond needs --text=TEXT");
  opinia::v1::RecordResponseRequest request;
  request.set_name(QualifyName("reviews", operands[0]));
  request.mutable_response()->set_text(*text);
  request.mutable_response()->set_author(args.GetOr("author", ""));
  *request.mutable_response()->mutable_response_time() =
      ToProtoTime(absl::Now());
  request.set_publish(args.Has("publish"));
  Review review;
  if (int rc = CallOnce(args, &ReviewService::Stub::RecordResponse,
                        "RecordResponse", request, &review)) {
    return rc;
  }
  PrintJsonOr(args, review, [&] {
    std::cout << review.name() << ": response recorded, status "
              << StatusText(review.status())
              << (request.publish() ? "; publishing on the platform (see "
                                      "'opinia reviews get')"
                                    : "")
              << "\n";
  });
  return kExitOk;
}

int RunDeleteReply(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1) {
    return ReportUsageError("usage: opinia reviews delete-reply NAME");
  }
  opinia::v1::DeleteResponseRequest request;
  request.set_name(QualifyName("reviews", operands[0]));
  Review review;
  if (int rc = CallOnce(args, &ReviewService::Stub::DeleteResponse,
                        "DeleteResponse", request, &review)) {
    return rc;
  }
  PrintJsonOr(args, review, [&] {
    std::cout << review.name()
              << ": deleting the reply on the platform (see 'opinia reviews "
                 "get')\n";
  });
  return kExitOk;
}

int RunRequestRemoval(const Args& args,
                      const std::vector<std::string>& operands) {
  if (operands.size() != 1) {
    return ReportUsageError(
        "usage: opinia reviews request-removal NAME --message=TEXT");
  }
  auto message = args.Get("message");
  if (!message || message->empty()) {
    return ReportUsageError(
        "reviews request-removal needs --message=TEXT (why the review "
        "breaks the platform's rules)");
  }
  opinia::v1::RequestReviewRemovalRequest request;
  request.set_name(QualifyName("reviews", operands[0]));
  request.set_message(*message);
  Review review;
  if (int rc = CallOnce(args, &ReviewService::Stub::RequestReviewRemoval,
                        "RequestReviewRemoval", request, &review)) {
    return rc;
  }
  PrintJsonOr(args, review, [&] {
    const auto& attributes = review.input().attributes();
    const auto at = attributes.find("removal_requested_at");
    std::cout << review.name() << ": removal requested from "
              << review.input().source()
              << (at == attributes.end() ? "" : " at " + at->second) << "\n";
  });
  return kExitOk;
}

int RunAnalyze(const Args& args, const std::vector<std::string>& operands) {
  if (operands.empty()) return ReportUsageError("usage: opinia analyze TEXT");
  auto rating = args.GetInt("rating", 0, 0, 100);
  if (!rating.ok()) return ReportUsageError(rating.status().message());
  opinia::v1::AnalyzeTextRequest request;
  request.set_text(absl::StrJoin(operands, " "));
  request.set_language_hint(args.GetOr("language", ""));
  request.set_title(args.GetOr("title", ""));
  request.set_rating(*rating);
  Analysis analysis;
  if (int rc = CallOnce(args, &ReviewService::Stub::AnalyzeText, "AnalyzeText",
                        request, &analysis)) {
    return rc;
  }
  PrintJsonOr(args, analysis, [&] { PrintAnalysis(analysis, request.text()); });
  return kExitOk;
}

}  // namespace

std::vector<Command> ReviewCommands() {
  return {
      {{"reviews", "list"},
       "",
       "list reviews, newest first, as a table (or --json lines)",
       {
           {"source", "A,B", "only these sources"},
           {"subject", "A,B", "only these subject ids"},
           {"language", "pl,en", "only these languages"},
           {"label", "NEGATIVE,...", "only these sentiment labels"},
           {"priority", "P1,P2", "only these priorities"},
           {"status", "NEW,...", "only these statuses"},
           {"min-rating", "N", "rating at least N"},
           {"max-rating", "N", "rating at most N"},
           {"since", "TIME",
            "created at or after (RFC 3339, YYYY-MM-DD or 7d/24h)"},
           {"until", "TIME", "created before"},
           {"query", "TEXT", "full-text search"},
           {"order", "desc|asc|urgency|deadline",
            "by create time (default desc); urgency: priority, then the "
            "nearest respond-by deadline (the inbox); deadline: nearest "
            "deadline first"},
           {"show-deleted", "", "include deleted reviews"},
           {"limit", "N", "at most N reviews (default 50)"},
           {"page-token", "TOKEN", "continue a previous listing"},
           {"all", "", "every matching review (follows all pages)"},
       },
       RunList},
      {{"reviews", "get"},
       "NAME",
       "show one review with its analysis (NAME: reviews/ID or ID)",
       {},
       RunGet},
      {{"reviews", "request-removal"},
       "NAME",
       "ask the platform to remove a review that breaks its rules (sent "
       "through the collector that fetched it; Allegro)",
       {{"message", "TEXT", "why, sent to the platform (required)"}},
       RunRequestRemoval},
      {{"respond"},
       "NAME",
       "record the shop's response to a review (stops the SLA clock)",
       {{"text", "TEXT", "the response text (required)"},
        {"author", "NAME", "who answered"},
        {"publish", "",
         "also publish it on the review's platform through its collector "
         "(again: edits it there)"}},
       RunRespond},
      {{"reviews", "respond"},
       "NAME",
       "the same as 'opinia respond'",
       {{"text", "TEXT", "the response text (required)"},
        {"author", "NAME", "who answered"},
        {"publish", "", "also publish it on the review's platform"}},
       RunRespond},
      {{"reviews", "delete-reply"},
       "NAME",
       "delete the review's published reply on its platform (GBP, "
       "Trustpilot, ...)",
       {},
       RunDeleteReply},
      {{"analyze"},
       "TEXT",
       "analyse a text without storing it (AnalyzeText)",
       {{"language", "CODE", "language hint, e.g. pl"},
        {"rating", "N", "star rating that came with the text"},
        {"title", "TEXT", "title that came with the text"}},
       RunAnalyze},
  };
}

}  // namespace opinia::cli
