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
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "opinia/v1/insights.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

using ::testing::HasSubstr;

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
  EXPECT_THAT(summary.out, HasSubstr("reviews:          40"));
  EXPECT_THAT(summary.out, HasSubstr("response rate:    25.0%"));

  CliRun json = Opinia({"summary", "--source=google", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"review_count\":\"20\""));

  CliRun trends = Opinia({"trends", "--since=30d", "--interval=week"});
  ASSERT_EQ(trends.exit_code, 0) << trends.err;
  EXPECT_THAT(trends.out, HasSubstr("reviews  "));
  EXPECT_THAT(trends.out, HasSubstr("█"));

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
  EXPECT_THAT(search.out, HasSubstr("20 matching reviews"));
  EXPECT_THAT(search.out, HasSubstr("CREATED (Europe/Warsaw)"));
  CliRun utc = Opinia({"search", "zwrot*", "--time-zone=UTC"});
  ASSERT_EQ(utc.exit_code, 0) << utc.err;
  EXPECT_THAT(utc.out, HasSubstr("CREATED (UTC)"));
  EXPECT_EQ(Opinia({"search", "zwrot*", "--time-zone=Mars/Olympus"}).exit_code,
            2);
  CliRun folded = Opinia({"search", "dostalem", "--source=allegro"});
  ASSERT_EQ(folded.exit_code, 0) << folded.err;
  EXPECT_THAT(folded.out, HasSubstr("10 matching reviews"));
  CliRun invalid = Opinia({"search", "\"open"});
  EXPECT_EQ(invalid.exit_code, 1);
  EXPECT_THAT(invalid.err, HasSubstr("query"));
}

TEST_F(InsightsCliTest, HtmlReportIsSelfContained) {
  const std::string path = server_->dir() + "/report.html";
  CliRun run = Opinia({"report", "--html=" + path, "--since=30d",
                       "--title=Sklep <Test>"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string html = ReadFile(path);
  ASSERT_FALSE(html.empty());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("Sklep &lt;Test&gt;"));
  EXPECT_THAT(html, HasSubstr("aria-label=\"rating trend\""));
  EXPECT_THAT(html, HasSubstr("aria-label=\"sentiment trend\""));
  EXPECT_THAT(html, HasSubstr("aria-label=\"aspects\""));
  EXPECT_THAT(html, HasSubstr("<polyline"));
  EXPECT_THAT(html, HasSubstr("<b>40</b>reviews"));
  // The urgent review, escaped; nothing executable or external.
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_THAT(html, HasSubstr("<svg xmlns="));
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_THAT(html, HasSubstr("<td>P1</td>"));
  // Week buckets are labelled with the tenant's Mondays, and the page says
  // which zone its times are in.
  EXPECT_THAT(html, HasSubstr("Times in Europe/Warsaw."));
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
    EXPECT_THAT(s.error_message(), HasSubstr("interval"));
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
    EXPECT_THAT(s.error_message(), HasSubstr("end_time"));
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
