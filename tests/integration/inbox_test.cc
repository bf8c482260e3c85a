// What the dashboard's inbox and review view read, through a real server:
// ListReviews in the inbox order (open reviews, most urgent first, then the
// nearest deadline), paged; and ListAlerts(review) to find a review's alert
// and act on it.
#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

using grpc::StatusCode;

// (rank, deadline, id) of a review as the inbox orders it: the effective
// priority (an override wins; P1..NONE, then unspecified) and its deadline
// (none last).
std::tuple<int, int64_t, int64_t> InboxKey(const opinia::v1::Review& r) {
  const bool overridden =
      r.override().urgency().priority() != opinia::v1::PRIORITY_UNSPECIFIED;
  const opinia::v1::Urgency& u =
      overridden ? r.override().urgency() : r.analysis().urgency();
  int64_t id = 0;
  EXPECT_TRUE(absl::SimpleAtoi(r.name().substr(sizeof("reviews/") - 1), &id));
  return {u.priority() == 0 ? 6 : u.priority(),
          u.has_respond_by() ? u.respond_by().seconds() * 1'000'000'000 +
                                   u.respond_by().nanos()
                             : INT64_MAX,
          id};
}

class InboxTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    reviews_ = opinia::v1::ReviewService::NewStub(channel_);
    alerts_ = opinia::v1::AlertService::NewStub(channel_);
  }

  opinia::v1::Review Update(const std::string& key, const std::string& name,
                            const std::string& path,
                            opinia::v1::Priority priority,
                            opinia::v1::ReviewStatus status) {
    opinia::v1::UpdateReviewRequest request;
    request.mutable_review()->set_name(name);
    request.mutable_review()->mutable_override()->mutable_urgency()->set_priority(
        priority);
    request.mutable_review()->set_status(status);
    request.mutable_update_mask()->add_paths(path);
    opinia::v1::Review out;
    grpc::Status s =
        reviews_->UpdateReview(ContextWithKey(key).get(), request, &out);
    EXPECT_TRUE(s.ok()) << name << ": " << s.error_message();
    return out;
  }

  grpc::Status ListAlertsOf(const std::string& key, const std::string& review,
                            opinia::v1::ListAlertsResponse* out) {
    opinia::v1::ListAlertsRequest request;
    request.set_review(review);
    return alerts_->ListAlerts(ContextWithKey(key).get(), request, out);
  }

  std::unique_ptr<opinia::v1::ReviewService::Stub> reviews_;
  std::unique_ptr<opinia::v1::AlertService::Stub> alerts_;
};

TEST_F(InboxTest, InboxListsOpenReviewsMostUrgentFirstAcrossPages) {
  const TenantWithKey shop = NewTenant("Inbox shop");
  const TenantWithKey other = NewTenant("Other shop");
  std::vector<opinia::v1::ReviewInput> inputs;
  for (int i = 0; i < 40; ++i) {
    inputs.push_back(MakeReview(absl::StrCat("inbox-", i), i));
  }
  auto ingested = Ingest(channel_, shop.key, inputs);
  ASSERT_TRUE(ingested.ok()) << ingested.status();
  ASSERT_TRUE(Ingest(channel_, other.key, inputs).ok());
  std::vector<std::string> names;
  for (const auto& r : ingested->results()) names.push_back(r.name());
  // People set priorities (whatever the models said), answer and close.
  const opinia::v1::Priority set[] = {opinia::v1::P1, opinia::v1::P2,
                                      opinia::v1::P3, opinia::v1::P4,
                                      opinia::v1::NONE};
  for (int i = 0; i < 20; ++i) {
    Update(shop.key, names[i], "override.urgency.priority", set[i % 5],
           opinia::v1::NEW);
  }
  Update(shop.key, names[0], "status", opinia::v1::PRIORITY_UNSPECIFIED,
         opinia::v1::RESOLVED);
  Update(shop.key, names[1], "status", opinia::v1::PRIORITY_UNSPECIFIED,
         opinia::v1::ACKNOWLEDGED);
  opinia::v1::RecordResponseRequest respond;
  respond.set_name(names[5]);
  respond.mutable_response()->set_text("Przepraszamy, już wysyłamy nowy.");
  opinia::v1::Review responded;
  ASSERT_TRUE(reviews_
                  ->RecordResponse(ContextWithKey(shop.key).get(), respond,
                                   &responded)
                  .ok());

  // What the inbox must hold, from every review as GetReview shows it.
  std::vector<opinia::v1::Review> want;
  for (const std::string& name : names) {
    const opinia::v1::Review r = FetchReview(shop.key, name);
    const int rank = std::get<0>(InboxKey(r));
    if ((r.status() == opinia::v1::NEW ||
         r.status() == opinia::v1::ACKNOWLEDGED) &&
        rank >= 1 && rank <= 3) {
      want.push_back(r);
    }
  }
  std::sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
    return InboxKey(a) < InboxKey(b);
  });
  ASSERT_GE(want.size(), 10u);

  // The dashboard's request, paged by 7.
  opinia::v1::ListReviewsRequest inbox;
  inbox.add_statuses(opinia::v1::NEW);
  inbox.add_statuses(opinia::v1::ACKNOWLEDGED);
  for (auto p : {opinia::v1::P1, opinia::v1::P2, opinia::v1::P3}) {
    inbox.add_priorities(p);
  }
  inbox.set_order_by("priority asc, respond_by asc");
  inbox.set_page_size(7);
  std::vector<std::string> seen;
  for (int page = 0; page < 100; ++page) {
    opinia::v1::ListReviewsResponse out;
    grpc::Status s =
        reviews_->ListReviews(ContextWithKey(shop.key).get(), inbox, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(out.total_size(), static_cast<int>(want.size()));
    for (const auto& r : out.reviews()) seen.push_back(r.name());
    if (out.next_page_token().empty()) break;
    inbox.set_page_token(out.next_page_token());
  }
  std::vector<std::string> want_names;
  for (const auto& r : want) want_names.push_back(r.name());
  EXPECT_EQ(seen, want_names);
  // The P1 overrides lead (the one acknowledged among them too).
  EXPECT_EQ(std::get<0>(InboxKey(FetchReview(shop.key, seen[0]))), 1);
  EXPECT_TRUE(std::find(seen.begin(), seen.end(), names[1]) != seen.end());
  EXPECT_TRUE(std::find(seen.begin(), seen.end(), names[0]) == seen.end());
  EXPECT_TRUE(std::find(seen.begin(), seen.end(), names[5]) == seen.end());

  // A page token of one order is refused with another.
  inbox.set_page_size(2);
  inbox.clear_page_token();
  opinia::v1::ListReviewsResponse first;
  ASSERT_TRUE(reviews_->ListReviews(ContextWithKey(shop.key).get(), inbox,
                                    &first)
                  .ok());
  ASSERT_FALSE(first.next_page_token().empty());
  inbox.set_page_token(first.next_page_token());
  inbox.set_order_by("respond_by asc");
  opinia::v1::ListReviewsResponse refused;
  grpc::Status s =
      reviews_->ListReviews(ContextWithKey(shop.key).get(), inbox, &refused);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("page_token:", 0), 0u) << s.error_message();

  // An unknown order names order_by and every accepted value.
  inbox.clear_page_token();
  inbox.set_order_by("urgency");
  s = reviews_->ListReviews(ContextWithKey(shop.key).get(), inbox, &refused);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("order_by:", 0), 0u) << s.error_message();
  EXPECT_NE(s.error_message().find("\"priority asc, respond_by asc\""),
            std::string::npos)
      << s.error_message();
}

TEST_F(InboxTest, ReviewViewFindsAndActsOnItsAlert) {
  const TenantWithKey shop = NewTenant("Review view shop");
  const TenantWithKey other = NewTenant("Another shop");
  opinia::v1::AlertRule rule;
  ASSERT_TRUE(CreateAlertOnEveryReview(channel_, shop.key, &rule).ok());
  auto ingested = Ingest(channel_, shop.key,
                         {MakeReview("view-1", 1), MakeReview("view-2", 2)});
  ASSERT_TRUE(ingested.ok()) << ingested.status();
  const std::string review = ingested->results(0).name();
  const std::string neighbour = ingested->results(1).name();

  opinia::v1::ListAlertsResponse listed;
  ASSERT_TRUE(ListAlertsOf(shop.key, review, &listed).ok());
  ASSERT_GE(listed.alerts_size(), 1);
  for (const auto& a : listed.alerts()) EXPECT_EQ(a.review(), review);
  const std::string alert = listed.alerts(0).name();
  EXPECT_EQ(listed.alerts(0).state(), opinia::v1::OPEN);

  // Acknowledge, snooze, resolve: each seen by the next ListAlerts(review).
  opinia::v1::AcknowledgeAlertRequest ack;
  ack.set_name(alert);
  opinia::v1::Alert out;
  ASSERT_TRUE(
      alerts_->AcknowledgeAlert(ContextWithKey(shop.key).get(), ack, &out).ok());
  ASSERT_TRUE(ListAlertsOf(shop.key, review, &listed).ok());
  EXPECT_EQ(listed.alerts(0).state(), opinia::v1::ACKNOWLEDGED_ALERT);
  opinia::v1::SnoozeAlertRequest snooze;
  snooze.set_name(alert);
  snooze.mutable_snooze_until()->set_seconds(absl::ToUnixSeconds(absl::Now()) +
                                             3600);
  ASSERT_TRUE(
      alerts_->SnoozeAlert(ContextWithKey(shop.key).get(), snooze, &out).ok());
  ASSERT_TRUE(ListAlertsOf(shop.key, review, &listed).ok());
  EXPECT_EQ(listed.alerts(0).state(), opinia::v1::SNOOZED);
  opinia::v1::ResolveAlertRequest resolve;
  resolve.set_name(alert);
  ASSERT_TRUE(
      alerts_->ResolveAlert(ContextWithKey(shop.key).get(), resolve, &out).ok());
  ASSERT_TRUE(ListAlertsOf(shop.key, review, &listed).ok());
  EXPECT_EQ(listed.alerts(0).state(), opinia::v1::RESOLVED_ALERT);
  // The neighbour's alert is untouched and listed under its own review.
  ASSERT_TRUE(ListAlertsOf(shop.key, neighbour, &listed).ok());
  ASSERT_GE(listed.alerts_size(), 1);
  EXPECT_EQ(listed.alerts(0).state(), opinia::v1::OPEN);
  EXPECT_NE(listed.alerts(0).name(), alert);

  // Another tenant sees no alerts of this review.
  ASSERT_TRUE(ListAlertsOf(other.key, review, &listed).ok());
  EXPECT_EQ(listed.alerts_size(), 0);
  // A malformed name is refused, naming the field.
  for (const char* bad : {"reviews/abc", "alerts/1", "reviews/-3"}) {
    grpc::Status s = ListAlertsOf(shop.key, bad, &listed);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_EQ(s.error_message().rfind("review:", 0), 0u)
        << bad << ": " << s.error_message();
  }
}

}  // namespace
}  // namespace opinia::testing
