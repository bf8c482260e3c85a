// Streams over HTTP on a real opinia-server: StreamIngestReviews from an
// NDJSON body, StreamAlerts as Server-Sent Events resumed with
// Last-Event-ID exactly once and in order (across reconnects and a server
// restart on the same database), refusals before the stream starts, the
// stream cap of --http-threads, pings, and a revoked key's end.
#include <csignal>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/service/http/http_server_test.h"
#include "tests/service/http/http_test_client.h"

namespace opinia::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::Duration kWait = absl::Seconds(20);

HttpRequest NdjsonRequest(const std::string& base, const std::string& key,
                          const std::vector<std::string>& lines) {
  HttpRequest request;
  request.method = "POST";
  request.url = base + "/v1/ReviewService/StreamIngestReviews";
  request.headers = {"Content-Type: application/x-ndjson"};
  if (!key.empty()) request.headers.push_back(Bearer(key));
  request.body = absl::StrJoin(lines, "\n") + "\n";
  return request;
}

HttpRequest AlertsRequest(const std::string& base, const std::string& key,
                          const std::string& last_event_id = "",
                          const std::string& query = "") {
  HttpRequest request;
  request.url = base + "/v1/AlertService/StreamAlerts" + query;
  request.headers = {Bearer(key)};
  if (!last_event_id.empty()) {
    request.headers.push_back("Last-Event-ID: " + last_event_id);
  }
  request.timeout = absl::Minutes(5);
  return request;
}

// The review names of alert events, in order.
std::vector<std::string> Reviews(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const SseEvent& e : events) {
    EXPECT_EQ(e.event, "alert") << e.data;
    EXPECT_FALSE(e.id.empty());
    EXPECT_EQ(JsonString(e.data, "resume_token"), e.id);
    out.push_back(JsonString(e.data, "alert.review"));
  }
  return out;
}

class HttpStreamTest : public HttpServerTest {
 protected:
  HttpStreamTest() : HttpServerTest("streams") {}

  // Ingests urgent reviews with these external ids; their review names.
  std::vector<std::string> IngestUrgent(const std::vector<std::string>& ids) {
    std::vector<std::string> reviews;
    for (const std::string& id : ids) reviews.push_back(UrgentReviewJson(id));
    auto reply = PostJson(
        base_, "/v1/ReviewService/IngestReviews", tenant_.key,
        absl::StrCat(R"({"reviews":[)", absl::StrJoin(reviews, ","), "]}"));
    EXPECT_TRUE(reply.ok() && reply->status == 200)
        << (reply.ok() ? reply->body : reply.status().ToString());
    std::vector<std::string> names;
    if (!reply.ok()) return names;
    auto body = ParseJsonObject(reply->body);
    if (!body.ok()) return names;
    for (const auto& r : body->fields().at("results").list_value().values()) {
      names.push_back(r.struct_value().fields().at("name").string_value());
    }
    return names;
  }

};

TEST_F(HttpStreamTest, NdjsonIngestAndItsRefusals) {
  StartServer({"--max-message-bytes=20000"});
  auto ok = Fetch(NdjsonRequest(
      base_, tenant_.key,
      {ReviewJson("n1", "Dobra obsługa.", 5), "",
       ReviewJson("n2", "Szybka dostawa, polecam.", 5) + "\r",
       UrgentReviewJson("n3")}));
  ASSERT_TRUE(ok.ok()) << ok.status();
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(JsonString(ok->body, "received"), "3");
  EXPECT_EQ(JsonString(ok->body, "created"), "3");

  // A bad line: 400 naming it; the lines before it are ingested, and
  // their summary is in the details.
  auto bad = Fetch(NdjsonRequest(
      base_, tenant_.key,
      {ReviewJson("n4", "ok", 5), R"({"source":"a","colour":"red"})",
       ReviewJson("n5", "ok", 5)}));
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_THAT(bad->body, HasSubstr("line 2: colour: unknown field"));
  EXPECT_THAT(bad->body,
              HasSubstr("\"@type\":\"type.googleapis.com/opinia.v1."
                        "IngestSummary\",\"received\":\"1\""));
  // A line over --max-message-bytes: 413.
  auto big = Fetch(NdjsonRequest(
      base_, tenant_.key,
      {ReviewJson("n6", std::string(30000, 'a'), 5)}));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->status, 413) << big->body;
  EXPECT_THAT(big->body, HasSubstr("line 1: over the limit"));
  // Without a key: the service refuses the stream: 401.
  auto anonymous = Fetch(NdjsonRequest(base_, "", {ReviewJson("n7", "ok", 5)}));
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->status, 401) << anonymous->body;
  // Not NDJSON: 415.
  HttpRequest json = NdjsonRequest(base_, tenant_.key, {"{}"});
  json.headers[0] = "Content-Type: application/json";
  auto refused = Fetch(json);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 415);

  auto list = GetWithKey(base_, "/v1/ReviewService/ListReviews?page_size=100",
                         tenant_.key);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(list->body, HasSubstr("\"external_id\":\"n4\""));
  EXPECT_THAT(list->body, Not(HasSubstr("\"external_id\":\"n5\"")));
}

TEST_F(HttpStreamTest, EventsResumeExactlyOnceInOrderAcrossReconnects) {
  StartServer();
  auto stream = EventStream::Open(AlertsRequest(base_, tenant_.key));
  ASSERT_EQ(stream->AwaitStatus(kWait), 200);
  HttpReply head = stream->reply();
  EXPECT_EQ(head.Header("Content-Type"), "text/event-stream");
  EXPECT_EQ(head.Header("Cache-Control"), "no-store");
  const std::vector<std::string> first = IngestUrgent({"a1", "a2"});
  ASSERT_EQ(first.size(), 2u);
  std::vector<SseEvent> events = stream->AwaitEvents(2, kWait);
  ASSERT_EQ(events.size(), 2u) << stream->reply().body;
  EXPECT_EQ(Reviews(events), first);
  const std::string last_id = events.back().id;
  stream->Close();

  // Alerts while nobody listens, then a reconnect from the last id: those
  // alerts, once, in order; a resume_token parameter loses to the header.
  const std::vector<std::string> second = IngestUrgent({"a3", "a4", "a5"});
  auto resumed = EventStream::Open(AlertsRequest(
      base_, tenant_.key, last_id,
      "?resume_token=" + events.front().id + "&priorities=P1"));
  events = resumed->AwaitEvents(3, kWait);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(Reviews(events), second);
  const std::vector<std::string> third = IngestUrgent({"a6"});
  events = resumed->AwaitEvents(4, kWait);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(Reviews(events).back(), third[0]);
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(resumed->AwaitEvents(5, absl::ZeroDuration()).size(), 4u);
}

TEST_F(HttpStreamTest, ResumesAcrossAServerRestartOnTheSameDatabase) {
  StartServer();
  auto stream = EventStream::Open(AlertsRequest(base_, tenant_.key));
  ASSERT_EQ(stream->AwaitStatus(kWait), 200);
  const std::vector<std::string> before = IngestUrgent({"r1"});
  std::vector<SseEvent> events = stream->AwaitEvents(1, kWait);
  ASSERT_EQ(events.size(), 1u);
  const std::string last_id = events[0].id;
  const std::vector<std::string> missed = IngestUrgent({"r2"});
  ASSERT_TRUE(stream->AwaitEvents(2, kWait).size() == 2u);
  // SIGTERM ends the stream cleanly (the last chunk is written).
  ASSERT_EQ(*server_->Stop(SIGTERM), 0);
  ASSERT_TRUE(stream->AwaitEnd(kWait));
  EXPECT_EQ(stream->curl_code(), 0);

  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  base_ = HttpBaseUrl(*server_);
  const std::vector<std::string> after = IngestUrgent({"r3"});
  // The client saw r1 only (it kept the id of the first event).
  auto resumed =
      EventStream::Open(AlertsRequest(base_, tenant_.key, last_id));
  events = resumed->AwaitEvents(2, kWait);
  ASSERT_EQ(events.size(), 2u) << resumed->reply().body;
  EXPECT_EQ(Reviews(events), (std::vector<std::string>{missed[0], after[0]}));
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(resumed->AwaitEvents(3, absl::ZeroDuration()).size(), 2u);
}

TEST_F(HttpStreamTest, RefusalsComeAsHttpStatusesBeforeTheStream) {
  StartServer();
  HttpRequest no_key;
  no_key.url = base_ + "/v1/AlertService/StreamAlerts";
  auto unauthenticated = Fetch(no_key);
  ASSERT_TRUE(unauthenticated.ok());
  EXPECT_EQ(unauthenticated->status, 401) << unauthenticated->body;
  EXPECT_EQ(unauthenticated->Header("Content-Type"), "application/json");
  auto bad_enum = Fetch(AlertsRequest(base_, tenant_.key, "", "?kinds=LOUD"));
  ASSERT_TRUE(bad_enum.ok());
  EXPECT_EQ(bad_enum->status, 400);
  EXPECT_THAT(bad_enum->body, HasSubstr("kinds[0]"));
  auto bad_token =
      Fetch(AlertsRequest(base_, tenant_.key, "not-a-resume-token"));
  ASSERT_TRUE(bad_token.ok());
  EXPECT_EQ(bad_token->status, 400) << bad_token->body;
  EXPECT_THAT(bad_token->body, HasSubstr("resume_token"));
}

TEST_F(HttpStreamTest, StreamsBeyondTheThreadCapAre503) {
  // 5 threads: one event stream at a time (threads - 4).
  StartServer({"--http-threads=5"});
  EXPECT_THAT(server_->Log(), HasSubstr("max_event_streams=1"));
  auto first = EventStream::Open(AlertsRequest(base_, tenant_.key));
  ASSERT_EQ(first->AwaitStatus(kWait), 200);
  auto second = Fetch(AlertsRequest(base_, tenant_.key));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 503) << second->body;
  EXPECT_EQ(second->Header("Retry-After"), "5");
  EXPECT_THAT(second->body, HasSubstr("--http-threads"));
  // Unary calls are still served.
  auto unary = GetWithKey(base_, "/v1/AlertService/ListAlerts", tenant_.key);
  ASSERT_TRUE(unary.ok());
  EXPECT_EQ(unary->status, 200);
  first->Close();
  // The slot is free again once the server notices the client left (at
  // its next write: a ping at the latest).
  long status = 0;
  for (absl::Time deadline = absl::Now() + absl::Seconds(30);
       absl::Now() < deadline && status != 200;) {
    auto third = EventStream::Open(AlertsRequest(base_, tenant_.key));
    status = third->AwaitStatus(kWait);
    if (status != 200) absl::SleepFor(absl::Milliseconds(500));
  }
  EXPECT_EQ(status, 200);
}

TEST_F(HttpStreamTest, SilenceIsPingedAndARevokedKeyEndsTheStream) {
  StartServer();
  auto key = CreateKeyOverHttp(base_, server_->admin_key(), tenant_.tenant,
                               {"ROLE_READ"});
  ASSERT_TRUE(key.ok()) << key.status();
  auto stream = EventStream::Open(AlertsRequest(base_, key->key));
  ASSERT_EQ(stream->AwaitStatus(kWait), 200);
  // A ": ping" comment after 15 s of silence.
  for (absl::Time deadline = absl::Now() + absl::Seconds(25);
       stream->comments() == 0 && absl::Now() < deadline;) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_GE(stream->comments(), 1);
  EXPECT_THAT(stream->reply().body, HasSubstr(": ping\n\n"));

  auto revoked = PostJson(base_, "/v1/AdminService/RevokeApiKey",
                          server_->admin_key(),
                          absl::StrCat(R"({"name":")", key->key_name, "\"}"));
  ASSERT_TRUE(revoked.ok() && revoked->status == 200)
      << (revoked.ok() ? revoked->body : revoked.status().ToString());
  ASSERT_TRUE(stream->AwaitEnd(kWait));
  const std::vector<SseEvent> events = stream->AwaitEvents(1, kWait);
  ASSERT_EQ(events.size(), 1u) << stream->reply().body;
  EXPECT_EQ(events[0].event, "error");
  EXPECT_EQ(JsonString(events[0].data, "message").empty(), false);
  EXPECT_EQ(stream->curl_code(), 0);
}

}  // namespace
}  // namespace opinia::testing
