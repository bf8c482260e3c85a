// Input the server must refuse, by the field: control characters in
// ListReviews.query (a NUL used to reach SQLite and come back INTERNAL),
// and resource names in any spelling but the canonical one, for every kind
// of name ("alerts/01" is not "alerts/1": it names nothing).
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

class StrictInputTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    shop_ = NewTenant("strict shop");
  }
  TenantWithKey shop_;
};

TEST_F(StrictInputTest, ControlCharactersInQueryAreInvalidArgument) {
  // "Przesyłka dotarła szybko, ..."
  ASSERT_TRUE(Ingest(channel_, shop_.key, {MakeReview("q-1", 0)}).ok());
  auto stub = opinia::v1::ReviewService::NewStub(channel_);
  const std::vector<std::string> queries = {
      std::string("dotarła") + '\0', std::string("\0", 1),
      std::string("a\0b", 3),      "towar\x01",
      "\x1b[2J towar",             "towar\x7f",
      "towar \xc2\x9b uszkodzony",
  };
  for (const std::string& q : queries) {
    opinia::v1::ListReviewsRequest request;
    request.set_query(q);
    opinia::v1::ListReviewsResponse response;
    const grpc::Status status =
        stub->ListReviews(ContextWithKey(shop_.key).get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << ::testing::PrintToString(q) << ": " << status.error_message();
    EXPECT_EQ(status.error_message().rfind("query: control character U+", 0),
              0u)
        << status.error_message();
  }
  // Whitespace of any kind still separates words.
  opinia::v1::ListReviewsRequest request;
  request.set_query("dotarła\tszybko\r\n");
  opinia::v1::ListReviewsResponse response;
  const grpc::Status status =
      stub->ListReviews(ContextWithKey(shop_.key).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.reviews_size(), 1);
}

// The names of one existing resource of each kind, and a call by name.
struct Kind {
  std::string canonical;  // the name the server gave it
  std::function<grpc::Status(const std::string&)> call;
};

// A call of `method` on `stub` with `key` and a request that holds only the
// name it is given.
template <typename Stub, typename Request, typename Response>
std::function<grpc::Status(const std::string&)> ByName(
    Stub* stub,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const std::string& key) {
  return [stub, method, key](const std::string& name) {
    Request request;
    request.set_name(name);
    Response response;
    return (stub->*method)(ContextWithKey(key).get(), request, &response);
  };
}

TEST_F(StrictInputTest, EveryKindOfNameHasOneSpelling) {
  const std::string& key = shop_.key;
  auto reviews = opinia::v1::ReviewService::NewStub(channel_);
  auto alerts = opinia::v1::AlertService::NewStub(channel_);
  auto collectors = opinia::v1::CollectorService::NewStub(channel_);

  // One of each: a review that raises an alert, a rule, a webhook and a
  // collector.
  opinia::v1::ReviewInput urgent = MakeReview("names-1", 1);
  urgent.set_text("Oszustwo! Zgłaszam sprawę do UOKiK i do prawnika.");
  auto ingested = Ingest(channel_, key, {urgent});
  ASSERT_TRUE(ingested.ok()) << ingested.status();
  opinia::v1::ListAlertsResponse listed;
  ASSERT_TRUE(alerts->ListAlerts(ContextWithKey(key).get(), {}, &listed).ok());
  ASSERT_GE(listed.alerts_size(), 1);
  opinia::v1::AlertRule rule;
  ASSERT_TRUE(CreateAlertOnEveryReview(channel_, key, &rule).ok());
  opinia::v1::Webhook webhook;
  ASSERT_TRUE(
      CreateWebhook(channel_, key, "https://hooks.example.com/x", &webhook)
          .ok());
  opinia::v1::Collector collector;
  ASSERT_TRUE(CreateCollector(channel_, key, &collector).ok());

  const std::vector<Kind> kinds = {
      {ingested->results(0).name(),
       ByName(reviews.get(), &opinia::v1::ReviewService::Stub::GetReview, key)},
      {listed.alerts(0).name(),
       ByName(alerts.get(), &opinia::v1::AlertService::Stub::GetAlert, key)},
      {rule.name(),
       ByName(alerts.get(), &opinia::v1::AlertService::Stub::GetAlertRule,
              key)},
      {collector.name(),
       ByName(collectors.get(),
              &opinia::v1::CollectorService::Stub::GetCollector, key)},
      // Last: a successful call deletes it.
      {webhook.name(),
       ByName(alerts.get(), &opinia::v1::AlertService::Stub::DeleteWebhook,
              key)},
  };
  for (const Kind& kind : kinds) {
    const size_t slash = kind.canonical.find('/');
    ASSERT_NE(slash, std::string::npos) << kind.canonical;
    const std::string collection = kind.canonical.substr(0, slash);
    const std::string id = kind.canonical.substr(slash + 1);
    const std::vector<std::string> spellings = {
        "0" + id,  " " + id,  "+" + id,  id + "x", id + " ", "-" + id,
        id + "/",  "00" + id, "0x" + id, "",       "0"};
    for (const std::string& spelling : spellings) {
      const std::string name = collection + "/" + spelling;
      const grpc::Status status = kind.call(name);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << "\"" << name << "\": " << status.error_message();
      EXPECT_EQ(status.error_message().rfind("name: malformed name", 0), 0u)
          << status.error_message();
      EXPECT_NE(status.error_message().find(collection + "/{id}"),
                std::string::npos)
          << status.error_message();
    }
    // The canonical name still works; a well-formed unknown id is NOT_FOUND.
    const grpc::Status found = kind.call(kind.canonical);
    EXPECT_TRUE(found.ok()) << kind.canonical << ": " << found.error_message();
    EXPECT_EQ(kind.call(collection + "/9223372036854775807").error_code(),
              grpc::StatusCode::NOT_FOUND)
        << collection;
  }
}

}  // namespace
}  // namespace opinia::testing
