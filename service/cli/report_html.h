// The HTML of `opinia report`: one self-contained page (inline CSS and SVG,
// no scripts, no external resources) that opens offline and can be mailed.
// Every text from reviews is HTML-escaped.
#ifndef OPINIA_SERVICE_CLI_REPORT_HTML_H_
#define OPINIA_SERVICE_CLI_REPORT_HTML_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "opinia/v1/insights.pb.h"
#include "opinia/v1/reviews.pb.h"

namespace opinia::cli {

// What median_response_seconds measures, shown next to the number in the
// terminal and in the report.
inline constexpr char kMedianResponseDefinition[] =
    "from when Opinia first saw the review (or its create_time, if later) "
    "to the response; a reply imported with the review counts from "
    "create_time";

struct ReportData {
  std::string title;
  absl::Time generated;
  opinia::v1::SummaryRequest filter;
  opinia::v1::Interval interval = opinia::v1::WEEK;
  opinia::v1::ReputationSummary summary;
  opinia::v1::Trends trends;
  opinia::v1::ListAspectInsightsResponse aspects;
  std::vector<opinia::v1::Review> urgent;  // latest P1/P2, newest first
};

std::string RenderReportHtml(const ReportData& data);

// &, <, >, " and ' as entities.
std::string HtmlEscape(const std::string& text);

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_REPORT_HTML_H_
