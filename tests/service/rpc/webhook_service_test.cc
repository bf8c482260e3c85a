// AlertService's webhook methods through the real server wiring (App on
// port 0, real SQLite), and one delivery end to end: an alert rule, an
// ingested review, the alert committed with it, the dispatcher woken by the
// commit, a signed POST to a real HTTP server on loopback.
#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/core/alerts/webhook_signing.h"
#include "tests/service/rpc/rpc_fixture.h"
#include "tests/testing/http_server.h"

namespace opinia::rpc {
namespace {

using grpc::StatusCode;
using opinia::testing::HttpRequest;
using opinia::testing::HttpResponse;
using opinia::testing::HttpServer;
using ::testing::HasSubstr;

constexpr char kSecret[] = "rpc-test-secret-0123456789";

class WebhookServiceTest : public testing::RpcTest {
 protected:
  grpc::Status Create(const std::string& key, const std::string& url,
                      opinia::v1::Webhook* out,
                      const std::string& secret = kSecret) {
    opinia::v1::CreateWebhookRequest r;
    r.mutable_webhook()->set_url(url);
    r.mutable_webhook()->set_secret(secret);
    return alerts_->CreateWebhook(Ctx(key).get(), r, out);
  }
};

TEST_F(WebhookServiceTest, RolesTenantsAndFieldErrors) {
  opinia::v1::Webhook w;
  const std::string url = "https://hooks.example.com/opinia";
  EXPECT_EQ(Create("", url, &w).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Create(a_.read, url, &w).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create(operator_key_, url, &w).error_code(),
            StatusCode::PERMISSION_DENIED);
  grpc::Status bad = Create(a_.admin, "gopher://x", &w);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("webhook.url"));
  bad = Create(a_.admin, url, &w, "short");
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("webhook.secret"));

  ASSERT_TRUE(Create(a_.admin, url, &w).ok());
  EXPECT_EQ(w.secret(), "");
  opinia::v1::ListWebhooksResponse list;
  ASSERT_TRUE(alerts_->ListWebhooks(Ctx(a_.admin).get(), {}, &list).ok());
  ASSERT_EQ(list.webhooks_size(), 1);
  EXPECT_EQ(list.webhooks(0).name(), w.name());
  EXPECT_EQ(list.webhooks(0).secret(), "");
  ASSERT_TRUE(alerts_->ListWebhooks(Ctx(b_.admin).get(), {}, &list).ok());
  EXPECT_EQ(list.webhooks_size(), 0);

  opinia::v1::DeleteWebhookRequest del;
  del.set_name(w.name());
  opinia::v1::DeleteResponse out;
  EXPECT_EQ(alerts_->DeleteWebhook(Ctx(b_.admin).get(), del, &out).error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_TRUE(alerts_->DeleteWebhook(Ctx(a_.admin).get(), del, &out).ok());
  del.set_name("webhooks/x");
  EXPECT_EQ(alerts_->DeleteWebhook(Ctx(a_.admin).get(), del, &out).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(WebhookServiceTest, IngestedReviewAlertReachesTheReceiverSigned) {
  auto server = HttpServer::Start(
      [](const HttpRequest&) { return HttpResponse::Ok(); });
  ASSERT_TRUE(server.ok()) << server.status();
  opinia::v1::Webhook w;
  ASSERT_TRUE(Create(a_.admin, (*server)->Url("/opinia"), &w).ok());
  // A rule matching every rated review (the server runs without models, so
  // reviews carry no priority for the default rule).
  opinia::v1::CreateAlertRuleRequest rule;
  rule.mutable_rule()->set_display_name("every rated review");
  rule.mutable_rule()->set_enabled(true);
  rule.mutable_rule()->set_max_rating(5);
  opinia::v1::AlertRule created_rule;
  grpc::Status s =
      alerts_->CreateAlertRule(Ctx(a_.admin).get(), rule, &created_rule);
  ASSERT_TRUE(s.ok()) << s.error_message();

  IngestOne(a_.ingest, "r-1");
  // Woken by the commit; the periodic tick (1 s) is the fallback.
  ASSERT_TRUE((*server)->WaitForRequests(1, absl::Seconds(30)));
  const HttpRequest req = (*server)->Requests()[0];
  EXPECT_TRUE(absl::StartsWith(req.Header("opinia-event-id"), "alerts/"));
  EXPECT_TRUE(core::VerifySignatureHeader(kSecret,
                                          req.Header("opinia-signature"),
                                          req.body, absl::Now())
                  .ok())
      << req.Header("opinia-signature");
  EXPECT_THAT(req.body, HasSubstr("\"tenant\":\"tenants/shop-a\""));

  // The delivery is recorded (eventually: the outcome is written after the
  // response arrives).
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    opinia::v1::ListWebhooksResponse list;
    ASSERT_TRUE(alerts_->ListWebhooks(Ctx(a_.admin).get(), {}, &list).ok());
    if (list.webhooks(0).delivered() >= 1) {
      EXPECT_EQ(list.webhooks(0).state(), opinia::v1::HEALTHY);
      EXPECT_EQ((*server)->RequestCount(), 1u);
      return;
    }
  }
  ADD_FAILURE() << "delivery never recorded";
}

}  // namespace
}  // namespace opinia::rpc
