#include "service/cli/report_html.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/cli/display_zone.h"
#include "service/cli/format.h"

namespace opinia::cli {
namespace {

constexpr int kWidth = 720;
constexpr int kHeight = 200;
constexpr int kPad = 30;

const char kStyle[] = R"css(
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:800px;color:#222}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
.muted{color:#777;font-size:13px}.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:120px}
.card b{display:block;font-size:20px}table{border-collapse:collapse;width:100%;font-size:13px}
td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
.neg{color:#c0392b}.pos{color:#27ae60}blockquote{margin:2px 0 2px 12px;font-size:13px;color:#444}
)css";

std::string Num(double v) { return absl::StrFormat("%.1f", v); }

std::string AspectName(opinia::v1::Aspect a) {
  std::string s = absl::AsciiStrToLower(opinia::v1::Aspect_Name(a));
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string Card(const std::string& label, const std::string& value) {
  return absl::StrCat("<div class=\"card\"><b>", HtmlEscape(value), "</b>",
                      HtmlEscape(label), "</div>");
}

// The first and last bucket's labels under a chart, and the end of its svg.
std::string EndLabels(const opinia::v1::Trends& trends,
                      opinia::v1::Interval interval,
                      const absl::TimeZone& zone) {
  return absl::StrFormat(
      "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#777\">%s</text>"
      "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#777\" "
      "text-anchor=\"end\">%s</text></svg>",
      kPad, kHeight + 18, BucketLabel(trends.points(0), interval, zone),
      kWidth - kPad, kHeight + 18,
      BucketLabel(trends.points(trends.points_size() - 1), interval, zone));
}

// What both charts start from: the display zone, the bucket count, the
// opened svg, the largest bucket's review count (at least 1) and the width
// of a bucket (0 with no buckets).
struct ChartStart {
  absl::TimeZone zone;
  int n;
  std::string svg;
  int64_t max;
  double step;
};

ChartStart StartChart(const opinia::v1::Trends& trends,
                      const char* aria_label) {
  ChartStart c;
  c.zone = LoadDisplayZone(trends.time_zone()).tz;
  c.n = trends.points_size();
  c.svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "role=\"img\" aria-label=\"%s\">",
      kWidth, kHeight + kPad, aria_label);
  c.max = 1;
  for (const auto& p : trends.points()) {
    c.max = std::max(c.max, p.summary().review_count());
  }
  c.step = c.n == 0 ? 0 : static_cast<double>(kWidth - 2 * kPad) / c.n;
  return c;
}

// Average rating as a line over review-count bars.
std::string RatingChart(const opinia::v1::Trends& trends,
                        opinia::v1::Interval interval) {
  auto [zone, n, svg, max, step] = StartChart(trends, "rating trend");
  if (n == 0) return svg + "</svg>";
  for (int k = 1; k <= 5; ++k) {
    const double y = kHeight - (k - 1) * (kHeight - kPad) / 4.0;
    absl::StrAppend(&svg, absl::StrFormat(
        "<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#eee\"/>"
        "<text x=\"4\" y=\"%s\" font-size=\"11\" fill=\"#777\">%d★</text>",
        kPad, kWidth - kPad, Num(y), Num(y), Num(y + 4), k));
  }
  std::string line;
  for (int i = 0; i < n; ++i) {
    const auto& s = trends.points(i).summary();
    const double x = kPad + i * step;
    const double h = static_cast<double>(s.review_count()) / max * (kHeight - kPad);
    absl::StrAppend(
        &svg, absl::StrFormat("<rect x=\"%s\" y=\"%s\" width=\"%s\" "
                              "height=\"%s\" fill=\"#dce6f2\">"
                              "<title>%s: %d reviews</title></rect>",
                              Num(x + 1), Num(kHeight - h),
                              Num(std::max(1.0, step - 2)), Num(h),
                              BucketLabel(trends.points(i), interval, zone),
                              s.review_count()));
    if (s.review_count() > 0 && s.average_rating() > 0) {
      const double y =
          kHeight - (s.average_rating() - 1) * (kHeight - kPad) / 4.0;
      absl::StrAppend(&line, line.empty() ? "" : " ", Num(x + step / 2), ",",
                      Num(y));
    }
  }
  absl::StrAppend(&svg, "<polyline fill=\"none\" stroke=\"#2c6fbb\" "
                        "stroke-width=\"2\" points=\"", line, "\"/>");
  return svg + EndLabels(trends, interval, zone);
}

// Stacked sentiment bars per bucket.
std::string SentimentChart(const opinia::v1::Trends& trends,
                           opinia::v1::Interval interval) {
  auto [zone, n, svg, max, step] = StartChart(trends, "sentiment trend");
  if (n == 0) return svg + "</svg>";
  for (int i = 0; i < n; ++i) {
    const auto& s = trends.points(i).summary();
    double y = kHeight;
    const std::pair<int64_t, const char*> parts[] = {
        {s.negative_count(), "#c0392b"},
        {s.mixed_count(), "#e0a030"},
        {s.neutral_count(), "#aaaaaa"},
        {s.positive_count(), "#27ae60"}};
    for (const auto& [count, color] : parts) {
      if (count == 0) continue;
      const double h = static_cast<double>(count) / max * (kHeight - kPad);
      y -= h;
      absl::StrAppend(&svg, absl::StrFormat(
          "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>",
          Num(kPad + i * step + 1), Num(y), Num(std::max(1.0, step - 2)),
          Num(h), color));
    }
    absl::StrAppend(
        &svg,
        absl::StrFormat(
            "<rect x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\" fill=\"none\">"
            "<title>%s: %d negative, %d neutral, %d positive, %d mixed</title>"
            "</rect>",
            Num(kPad + i * step), kPad, Num(step), kHeight - kPad,
            BucketLabel(trends.points(i), interval, zone), s.negative_count(),
            s.neutral_count(), s.positive_count(), s.mixed_count()));
  }
  return svg + EndLabels(trends, interval, zone);
}

// Negative (left, red) and positive (right, green) mentions per aspect.
std::string AspectChart(const opinia::v1::ListAspectInsightsResponse& r) {
  int64_t max = 1;
  for (const auto& a : r.aspects()) {
    max = std::max({max, a.negative_count(), a.positive_count()});
  }
  const int row = 24, mid = kWidth / 2, label = 130;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "role=\"img\" aria-label=\"aspects\">",
      kWidth, row * r.aspects_size() + 10);
  const double half = mid - label / 2.0 - 10;
  for (int i = 0; i < r.aspects_size(); ++i) {
    const auto& a = r.aspects(i);
    const double y = i * row + 4;
    const double wn = static_cast<double>(a.negative_count()) / max * half;
    const double wp = static_cast<double>(a.positive_count()) / max * half;
    absl::StrAppend(&svg, absl::StrFormat(
        "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"16\" fill=\"#c0392b\"/>"
        "<rect x=\"%d\" y=\"%s\" width=\"%s\" height=\"16\" fill=\"#27ae60\"/>"
        "<text x=\"%d\" y=\"%s\" font-size=\"12\" text-anchor=\"middle\">%s"
        "</text>"
        "<text x=\"%s\" y=\"%s\" font-size=\"11\" text-anchor=\"end\">%d</text>"
        "<text x=\"%s\" y=\"%s\" font-size=\"11\">%d</text>",
        Num(mid - label / 2.0 - wn), Num(y), Num(wn), mid + label / 2, Num(y),
        Num(wp), mid, Num(y + 12), AspectName(a.aspect()),
        Num(mid - label / 2.0 - wn - 3), Num(y + 12), a.negative_count(),
        Num(mid + label / 2.0 + wp + 3), Num(y + 12), a.positive_count()));
  }
  return svg + "</svg>";
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string RenderReportHtml(const ReportData& d) {
  const auto& s = d.summary;
  // Insights cut days at the tenant's midnight; every date and time of the
  // page is shown in the tenant's zone and the zone is named once.
  const DisplayZone zone = LoadDisplayZone(d.trends.time_zone());
  std::string h = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\">"
      "<title>",
      HtmlEscape(d.title), "</title><style>", kStyle,
      "</style></head><body>\n<h1>", HtmlEscape(d.title),
      "</h1>"
      "<div class=\"muted\">Reviews created ",
      d.filter.has_start_time()
          ? "from " + ShortTime(d.filter.start_time(), zone.tz)
          : std::string("since the beginning"),
      d.filter.has_end_time() ? " to " + ShortTime(d.filter.end_time(), zone.tz)
                              : std::string(" until now"));
  for (const auto& [what, list] :
       {std::pair<const char*, const google::protobuf::RepeatedPtrField<
                                   std::string>*>{"sources", &d.filter.sources()},
        {"subjects", &d.filter.subject_ids()},
        {"languages", &d.filter.languages()}}) {
    if (list->empty()) continue;
    absl::StrAppend(&h, "; ", what, ": ");
    for (int i = 0; i < list->size(); ++i) {
      absl::StrAppend(&h, i ? ", " : "", HtmlEscape(list->Get(i)));
    }
  }
  absl::StrAppend(
      &h, ". Generated ",
      absl::FormatTime("%Y-%m-%d %H:%M", d.generated, zone.tz), ". Times in ",
      HtmlEscape(zone.name), ".</div>\n<h2>Summary</h2><div class=\"cards\">",
      Card("reviews", absl::StrCat(s.review_count())),
      Card("average rating", absl::StrFormat("%.2f ★", s.average_rating())),
      Card("net sentiment", absl::StrFormat("%+.2f", s.net_sentiment())),
      Card("response rate", absl::StrFormat("%.1f%%", 100 * s.response_rate())),
      Card("median response",
           s.median_response_seconds() > 0
               ? absl::StrFormat("%.1f h", s.median_response_seconds() / 3600)
               : "-"),
      Card("open SLAs", absl::StrCat(s.open_sla_count())),
      Card("breached SLAs", absl::StrCat(s.breached_sla_count())),
      Card("negative / positive",
           absl::StrCat(s.negative_count(), " / ", s.positive_count())),
      "</div>\n<p class=\"muted\">Median response: ", kMedianResponseDefinition,
      ". Net sentiment: (positive &minus; negative) / reviews. Response "
      "rate: reviews with a recorded response / reviews. Sentiment labels "
      "are the analyzer's (a person's override wins); it rarely answers "
      "neutral.</p>\n");
  const std::string interval =
      absl::AsciiStrToLower(opinia::v1::Interval_Name(d.interval));
  absl::StrAppend(&h, "<h2>Rating trend (per ", interval, ")</h2>",
                  RatingChart(d.trends, d.interval),
                  "\n<h2>Sentiment trend (per ", interval,
                  ")</h2><div class=\"muted\">"
                  "<span class=\"neg\">■ negative</span> ■ mixed ■ neutral "
                  "<span class=\"pos\">■ positive</span></div>",
                  SentimentChart(d.trends, d.interval), "\n<h2>Aspects</h2>",
                  AspectChart(d.aspects));
  for (const auto& a : d.aspects.aspects()) {
    if (a.negative_quotes().empty() && a.positive_quotes().empty()) continue;
    absl::StrAppend(&h, "<p><b>", HtmlEscape(AspectName(a.aspect())), "</b>");
    for (const auto& q : a.negative_quotes()) {
      absl::StrAppend(&h, "<blockquote class=\"neg\">“", HtmlEscape(q.text()),
                      "”</blockquote>");
    }
    for (const auto& q : a.positive_quotes()) {
      absl::StrAppend(&h, "<blockquote class=\"pos\">“", HtmlEscape(q.text()),
                      "”</blockquote>");
    }
    absl::StrAppend(&h, "</p>");
  }
  absl::StrAppend(&h, "\n<h2>Latest urgent reviews</h2>");
  if (d.urgent.empty()) {
    absl::StrAppend(&h, "<p class=\"muted\">No P1/P2 reviews in range.</p>");
  } else {
    absl::StrAppend(&h, "<table><tr><th>Priority</th><th>Created</th>"
                        "<th>Source</th><th>Rating</th><th>Review</th></tr>");
    for (const auto& r : d.urgent) {
      const auto p = r.override().urgency().priority() !=
                             opinia::v1::PRIORITY_UNSPECIFIED
                         ? r.override().urgency().priority()
                         : r.analysis().urgency().priority();
      std::string reasons;
      for (const auto& reason : r.analysis().urgency().reasons()) {
        absl::StrAppend(&reasons, reasons.empty() ? "" : ", ", reason);
      }
      absl::StrAppend(
          &h, "<tr><td>", opinia::v1::Priority_Name(p), "</td><td>",
          ShortTime(r.input().create_time(), zone.tz), "</td><td>",
          HtmlEscape(r.input().source()), "</td><td>",
          r.input().rating() ? absl::StrCat(r.input().rating()) : "-",
          "</td><td>", HtmlEscape(r.input().text()),
          reasons.empty()
              ? ""
              : "<br><span class=\"muted\">" + HtmlEscape(reasons) + "</span>",
          "</td></tr>");
    }
    absl::StrAppend(&h, "</table>");
  }
  absl::StrAppend(&h, "\n</body></html>\n");
  return h;
}

}  // namespace opinia::cli
