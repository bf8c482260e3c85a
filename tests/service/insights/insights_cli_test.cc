// `opinia summary|trends|search|report` against a real opinia-server: the
// CLI binary run as a subprocess, its output and the HTML report checked.
// Also checks InsightsService over gRPC (roles, validation errors).

#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "opinia/v1/insights.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

CliRun RunCli(const std::vector<std::string>& args, const std::string& address,
              const std::string& key, const std::string& dir) {
  return RunCliBinary(OPINIA_CLI_BINARY, args, address, key,
                      dir + "/insights-cli");
}

// Every YYYY-MM-DD in `text` after `from`.
std::vector<std::string> DatesIn(const std::string& text, size_t from = 0) {
  static const std::regex kDate("\\b\\d{4}-\\d{2}-\\d{2}\\b");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin() + from, text.end(), kDate);
       it != std::sregex_iterator(); ++it) {
    out.push_back(it->str());
  }
  return out;
}

std::string Weekday(const std::string& date) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d", date, absl::UTCTimeZone(), &t, &err)) {
    return "not a date: " + date;
  }
  return absl::FormatTime("%a", t, absl::UTCTimeZone());
}

class InsightsCliTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    tenant_ = NewTenant("Insights CLI shop");
    std::vector<opinia::v1::ReviewInput> items;
    const absl::Time base = absl::Now() - absl::Hours(24 * 20);
    const char* texts[] = {
        "Świetny produkt, szybka dostawa, polecam!",
        "Zwrotu nie dostałem, obsługa nie odpisuje. Oszustwo.",
        "Paczka przyszła uszkodzona, zwrotem się nikt nie zajmuje.",
        "Dobra cena i jakość, jestem zadowolony.",
    };
    for (int i = 0; i < 40; ++i) {
      opinia::v1::ReviewInput in;
      in.set_source(i % 2 ? "allegro" : "google");
      in.set_external_id(absl::StrCat("r", i));
      in.set_rating(i % 4 == 1 || i % 4 == 2 ? 1 : 5);
      in.set_text(i == 5 ? "<script>alert(1)</script> Zwrotu nie dostałem!"
                         : texts[i % 4]);
      // The escaped urgent review is the newest, so it is on the report.
      const absl::Time t = base + absl::Hours(i == 5 ? 12 * 40 : 12 * i);
      in.mutable_create_time()->set_seconds(absl::ToUnixSeconds(t));
      items.push_back(in);
    }
    auto ingested = Ingest(channel_, tenant_.key, items);
    ASSERT_TRUE(ingested.ok()) << ingested.status();
    names_.clear();
    for (const auto& r : ingested->results()) names_.push_back(r.name());
    auto stub = opinia::v1::ReviewService::NewStub(channel_);
    // One urgent review (person's override) whose text must be escaped.
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + tenant_.key);
    opinia::v1::UpdateReviewRequest update;
    update.mutable_review()->set_name(names_[5]);
    update.mutable_review()->mutable_override()->mutable_urgency()->set_priority(
        opinia::v1::P1);
    update.mutable_update_mask()->add_paths("override.urgency.priority");
    opinia::v1::Review updated;
    ASSERT_TRUE(stub->UpdateReview(&ctx, update, &updated).ok());
    for (int i = 0; i < 10; ++i) {
      grpc::ClientContext c;
      c.AddMetadata("authorization", "Bearer " + tenant_.key);
      opinia::v1::RecordResponseRequest req;
      req.set_name(names_[i]);
      req.mutable_response()->set_text("Dziękujemy");
      opinia::v1::Review out;
      ASSERT_TRUE(stub->RecordResponse(&c, req, &out).ok());
    }
  }

  CliRun Opinia(const std::vector<std::string>& args) {
    return RunCli(args, server_->address(), tenant_.key, server_->dir());
  }

  TenantWithKey tenant_;
  std::vector<std::string> names_;
};

TEST_F(InsightsCliTest, SummaryTrendsAndSearch) {
  CliRun summary = Opinia({"summary", "--since=30d"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_NE(summary.out.find("reviews:          40"), std::string::npos)
      << summary.out;
  EXPECT_NE(summary.out.find("response rate:    25.0%"), std::string::npos)
      << summary.out;

  CliRun json = Opinia({"summary", "--source=google", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"review_count\":\"20\""), std::string::npos)
      << json.out;

  CliRun trends = Opinia({"trends", "--since=30d", "--interval=week"});
  ASSERT_EQ(trends.exit_code, 0) << trends.err;
  EXPECT_NE(trends.out.find("reviews  "), std::string::npos) << trends.out;
  EXPECT_NE(trends.out.find("█"), std::string::npos) << trends.out;

  // Weeks start on the tenant's (Europe/Warsaw) Monday midnight, which is
  // Sunday evening in UTC: the labels are Mondays of the tenant's calendar.
  const size_t header = trends.out.find("WEEK FROM (Europe/Warsaw)");
  ASSERT_NE(header, std::string::npos) << trends.out;
  const auto weeks = DatesIn(trends.out, header);
  EXPECT_GE(weeks.size(), 4u) << trends.out;
  for (const std::string& date : weeks) {
    EXPECT_EQ(Weekday(date), "Mon") << date << " in\n" << trends.out;
  }
  CliRun days = Opinia({"trends", "--since=3d"});
  ASSERT_EQ(days.exit_code, 0) << days.err;
  const size_t day_header = days.out.find("DAY (Europe/Warsaw)");
  ASSERT_NE(day_header, std::string::npos) << days.out;
  const auto day_dates = DatesIn(days.out, day_header);
  ASSERT_FALSE(day_dates.empty()) << days.out;
  const absl::TimeZone warsaw = [] {
    absl::TimeZone tz;
    EXPECT_TRUE(absl::LoadTimeZone("Europe/Warsaw", &tz));
    return tz;
  }();
  // The last bucket is today in Warsaw (the date a person there reads).
  EXPECT_EQ(day_dates.back(), absl::FormatTime("%Y-%m-%d", absl::Now(), warsaw))
      << days.out;

  CliRun bad = Opinia({"trends", "--interval=year"});
  EXPECT_EQ(bad.exit_code, 2);

  CliRun search = Opinia({"search", "zwrot*"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("20 matching reviews"), std::string::npos)
      << search.out;
  EXPECT_NE(search.out.find("CREATED (Europe/Warsaw)"), std::string::npos)
      << search.out;
  CliRun utc = Opinia({"search", "zwrot*", "--time-zone=UTC"});
  ASSERT_EQ(utc.exit_code, 0) << utc.err;
  EXPECT_NE(utc.out.find("CREATED (UTC)"), std::string::npos) << utc.out;
  EXPECT_EQ(Opinia({"search", "zwrot*", "--time-zone=Mars/Olympus"}).exit_code,
            2);
  CliRun folded = Opinia({"search", "dostalem", "--source=allegro"});
  ASSERT_EQ(folded.exit_code, 0) << folded.err;
  EXPECT_NE(folded.out.find("10 matching reviews"), std::string::npos)
      << folded.out;
  CliRun invalid = Opinia({"search", "\"open"});
  EXPECT_EQ(invalid.exit_code, 1);
  EXPECT_NE(invalid.err.find("query"), std::string::npos) << invalid.err;
}

TEST_F(InsightsCliTest, HtmlReportIsSelfContained) {
  const std::string path = server_->dir() + "/report.html";
  CliRun run = Opinia({"report", "--html=" + path, "--since=30d",
                       "--title=Sklep <Test>"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string html = ReadFile(path);
  ASSERT_FALSE(html.empty());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("Sklep &lt;Test&gt;"), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"rating trend\""), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"sentiment trend\""), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"aspects\""), std::string::npos);
  EXPECT_NE(html.find("<polyline"), std::string::npos);
  EXPECT_NE(html.find("<b>40</b>reviews"), std::string::npos);
  // The urgent review, escaped; nothing executable or external.
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("<svg xmlns="), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("<td>P1</td>"), std::string::npos);
  // Week buckets are labelled with the tenant's Mondays, and the page says
  // which zone its times are in.
  EXPECT_NE(html.find("Times in Europe/Warsaw."), std::string::npos);
  static const std::regex kBar("<title>(\\d{4}-\\d{2}-\\d{2}): ");
  int bars = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kBar);
       it != std::sregex_iterator(); ++it, ++bars) {
    EXPECT_EQ(Weekday((*it)[1].str()), "Mon") << (*it)[1].str();
  }
  EXPECT_GE(bars, 4);
}

TEST_F(InsightsCliTest, ServiceValidatesAndChecksRoles) {
  auto stub = opinia::v1::InsightsService::NewStub(channel_);
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + tenant_.key);
    opinia::v1::TrendsRequest req;
    opinia::v1::Trends out;
    grpc::Status s = stub->GetTrends(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(s.error_message().find("interval"), std::string::npos);
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + tenant_.key);
    opinia::v1::SummaryRequest req;
    req.mutable_start_time()->set_seconds(2000);
    req.mutable_end_time()->set_seconds(1000);
    opinia::v1::ReputationSummary out;
    grpc::Status s = stub->GetReputationSummary(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(s.error_message().find("end_time"), std::string::npos);
  }
  {
    grpc::ClientContext ctx;  // operator key: no tenant data
    ctx.AddMetadata("authorization", "Bearer " + operator_key());
    opinia::v1::SummaryRequest req;
    opinia::v1::ListAspectInsightsResponse out;
    EXPECT_EQ(stub->ListAspectInsights(&ctx, req, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + tenant_.key);
    opinia::v1::SummaryRequest req;
    opinia::v1::ListAspectInsightsResponse out;
    ASSERT_TRUE(stub->ListAspectInsights(&ctx, req, &out).ok());
    EXPECT_EQ(out.aspects_size(), 8);
  }
}

}  // namespace
}  // namespace opinia::testing
