// The Platform reply interface of Google Business Profile and Trustpilot:
// the requests they build (method, URL, headers, body) and how they read
// the platforms' answers and reviews. Pure: no HTTP.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "service/core/collectors/platform.h"

namespace opinia::core::collectors {
namespace {

const Platform& Of(opinia::v1::CollectorKind kind) { return **PlatformFor(kind); }

std::string HeaderOf(const ReplyHttpRequest& r, const std::string& name) {
  std::string value;
  for (const auto& [k, v] : r.headers) {
    if (k == name) value = v;
  }
  return value;
}

ReplyTarget GbpTarget() {
  ReplyTarget t;
  t.endpoint =
      "https://mybusiness.googleapis.com/v4/accounts/1/locations/2/"
      "reviews?pageSize=50";
  t.credentials["bearer_token"] = "tok";
  t.review.set_external_id("r/1");
  t.text = "Dzi\xc4\x99kujemy \"bardzo\"";
  return t;
}

ReplyTarget TrustpilotTarget() {
  ReplyTarget t;
  t.endpoint = "https://api.trustpilot.com/v1/business-units/b1/reviews";
  t.credentials["api_key"] = "key";
  t.credentials["bearer_token"] = "oauth";
  t.credentials["business_user_id"] = "bu7";
  t.review.set_external_id("tp1");
  t.text = "Thanks";
  return t;
}

TEST(ReplyFormatsTest, GbpPublishIsAPutOfTheCommentOnTheReviewsReply) {
  const Platform& gbp = Of(opinia::v1::GOOGLE_BUSINESS_PROFILE);
  EXPECT_TRUE(gbp.SupportsReply(ReplyAction::kPublish));
  EXPECT_TRUE(gbp.SupportsReply(ReplyAction::kDelete));
  EXPECT_TRUE(gbp.IdempotentPublish());
  auto r = gbp.BuildReplyRequest(ReplyAction::kPublish, GbpTarget());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->method, "PUT");
  EXPECT_EQ(r->url,
            "https://mybusiness.googleapis.com/v4/accounts/1/locations/2/"
            "reviews/r%2F1/reply");
  EXPECT_EQ(HeaderOf(*r, "Authorization"), "Bearer tok");
  EXPECT_EQ(HeaderOf(*r, "Content-Type"), "application/json");
  EXPECT_EQ(r->body, "{\"comment\":\"Dzi\xc4\x99kujemy \\\"bardzo\\\"\"}");

  auto del = gbp.BuildReplyRequest(ReplyAction::kDelete, GbpTarget());
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->method, "DELETE");
  EXPECT_EQ(del->url, r->url);
  EXPECT_TRUE(del->body.empty());
  EXPECT_EQ(HeaderOf(*del, "Content-Type"), "");
}

TEST(ReplyFormatsTest, GbpAnswersAreRead) {
  const Platform& gbp = Of(opinia::v1::GOOGLE_BUSINESS_PROFILE);
  ReplyResult ok = gbp.ParseReplyResponse(
      ReplyAction::kPublish, 200,
      R"({"comment": "x", "updateTime": "2026-10-01T12:00:00.5Z"})");
  EXPECT_TRUE(ok.ok);
  ASSERT_TRUE(ok.publish_time.has_value());
  EXPECT_EQ(*ok.publish_time, absl::FromUnixSeconds(1790856000) +
                                  absl::Milliseconds(500));

  ReplyResult policy = gbp.ParseReplyResponse(
      ReplyAction::kPublish, 400,
      R"({"error": {"code": 400, "message": "The reply violates the content policy.", "status": "FAILED_PRECONDITION"}})");
  EXPECT_FALSE(policy.ok);
  EXPECT_FALSE(policy.retryable);
  EXPECT_TRUE(policy.policy_rejection);
  EXPECT_EQ(policy.error, "HTTP 400: The reply violates the content policy.");

  ReplyResult busy = gbp.ParseReplyResponse(
      ReplyAction::kPublish, 503,
      R"({"error": {"code": 503, "message": "The service is unavailable.", "status": "UNAVAILABLE"}})");
  EXPECT_FALSE(busy.ok);
  EXPECT_TRUE(busy.retryable);
  EXPECT_FALSE(busy.policy_rejection);

  ReplyResult limited = gbp.ParseReplyResponse(ReplyAction::kPublish, 429, "");
  EXPECT_TRUE(limited.retryable);
  EXPECT_EQ(limited.error, "HTTP 429");

  ReplyResult denied = gbp.ParseReplyResponse(
      ReplyAction::kDelete, 403, R"({"error": {"message": "No access"}})");
  EXPECT_FALSE(denied.retryable);
  EXPECT_FALSE(denied.policy_rejection);
}

TEST(ReplyFormatsTest, TrustpilotPublishIsAPostWithTheBusinessUser) {
  const Platform& tp = Of(opinia::v1::TRUSTPILOT);
  EXPECT_TRUE(tp.SupportsReply(ReplyAction::kPublish));
  EXPECT_FALSE(tp.IdempotentPublish());
  auto r = tp.BuildReplyRequest(ReplyAction::kPublish, TrustpilotTarget());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->url, "https://api.trustpilot.com/v1/private/reviews/tp1/reply");
  EXPECT_EQ(HeaderOf(*r, "Authorization"), "Bearer oauth");
  EXPECT_EQ(r->body,
            "{\"authorBusinessUserId\":\"bu7\",\"message\":\"Thanks\"}");

  ReplyTarget prefixed = TrustpilotTarget();
  prefixed.endpoint = "http://127.0.0.1:9/tp/v1/business-units/b1/reviews?x=1";
  auto p = tp.BuildReplyRequest(ReplyAction::kDelete, prefixed);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->method, "DELETE");
  EXPECT_EQ(p->url, "http://127.0.0.1:9/tp/v1/private/reviews/tp1/reply");

  auto check = tp.BuildReplyCheckRequest(TrustpilotTarget());
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->url, "https://api.trustpilot.com/v1/private/reviews/tp1");
  auto reply = tp.ParseReplyCheck(
      R"({"id": "tp1", "stars": 2, "companyReply": {"text": "Thanks", "createdAt": "2026-10-01T12:00:00Z"}})");
  ASSERT_TRUE(reply.ok());
  EXPECT_TRUE(reply->exists);
  EXPECT_EQ(reply->text, "Thanks");
  EXPECT_EQ(reply->update_time, absl::FromUnixSeconds(1790856000));
  auto none = tp.ParseReplyCheck(R"({"id": "tp1", "stars": 2})");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->exists);
  EXPECT_FALSE(tp.ParseReplyCheck("[1]").ok());
  EXPECT_FALSE(tp.ParseReplyCheck("{").ok());
}

TEST(ReplyFormatsTest, TrustpilotRepliesNeedTheOAuthTokenAndBusinessUser) {
  const Platform& tp = Of(opinia::v1::TRUSTPILOT);
  ReplyTarget no_token = TrustpilotTarget();
  no_token.credentials.erase("bearer_token");
  auto r = tp.BuildReplyRequest(ReplyAction::kPublish, no_token);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(r.status().message(),
                                "collector.credentials[\"bearer_token\"]"))
      << r.status();
  ReplyTarget no_user = TrustpilotTarget();
  no_user.credentials.erase("business_user_id");
  r = tp.BuildReplyRequest(ReplyAction::kPublish, no_user);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "business_user_id"));
  // Deleting needs no author.
  EXPECT_TRUE(tp.BuildReplyRequest(ReplyAction::kDelete, no_user).ok());
  ReplyTarget no_id = TrustpilotTarget();
  no_id.review.clear_external_id();
  r = tp.BuildReplyRequest(ReplyAction::kPublish, no_id);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "external_id"));
}

TEST(ReplyFormatsTest, FeedsTakeNoReplies) {
  const Platform& feed = Of(opinia::v1::JSON_FEED);
  EXPECT_FALSE(feed.SupportsReply(ReplyAction::kPublish));
  auto r = feed.BuildReplyRequest(ReplyAction::kPublish, GbpTarget());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "JSON_FEED"));
}

TEST(ReplyFormatsTest, ApiBaseKeepsAPrefixBeforeTheMarker) {
  EXPECT_EQ(ApiBase("https://h/v1/x?q", "/v1/"), "https://h");
  EXPECT_EQ(ApiBase("http://h:8/p/v1/x", "/v1/"), "http://h:8/p");
  EXPECT_EQ(ApiBase("http://h:8", "/v1/"), "http://h:8");
  EXPECT_EQ(ApiBase("http://h:8/other", "/v1/"), "http://h:8");
  EXPECT_EQ(ApiBase("nope", "/v1/"), "");
  EXPECT_EQ(UrlWithoutQuery("http://h/a/?b#c"), "http://h/a");
}

}  // namespace
}  // namespace opinia::core::collectors
