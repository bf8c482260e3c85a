// Trustpilot, JSON feed and CSV feed collectors against loopback servers:
// paging, credentials as each platform expects, owner replies.
#include <string>

#include "gtest/gtest.h"
#include "tests/service/core/collectors/collector_env.h"

namespace opinia::core::collectors {
namespace {

using testing::CollectorEnv;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::HttpServer;

class PlatformsTest : public CollectorEnv {
 protected:
  absl::StatusOr<opinia::v1::Collector> Create(opinia::v1::Collector c) {
    opinia::v1::CreateCollectorRequest req;
    *req.mutable_collector() = std::move(c);
    return collectors_->Create(admin_, req);
  }
};

TEST_F(PlatformsTest, TrustpilotPagesByLinksWithApiKeyHeader) {
  absl::Mutex mu;
  std::vector<HttpRequest> seen;
  std::string base;
  auto server = HttpServer::Start([&](const HttpRequest& r) {
    {
      absl::MutexLock lock(&mu);
      seen.push_back(r);
    }
    const bool second = r.query.find("page=2") != std::string::npos;
    std::string body = absl::StrCat(
        "{\"links\": [",
        second
            ? ""
            : absl::StrCat(
                  "{\"rel\": \"next-page\", \"method\": \"GET\", \"href\": \"",
                  base, "/v1/business-units/b1/reviews?page=2\"}"),
        "], \"reviews\": [");
    for (int i = 0; i < 3; ++i) {
      const int n = (second ? 3 : 0) + i;
      absl::StrAppend(&body, i ? "," : "", "{\"id\": \"tp", n,
                      "\", \"stars\": ", 1 + n % 5,
                      ", \"title\": \"T\", \"text\": \"Tekst ", n,
                      "\", \"language\": \"pl\", \"createdAt\": "
                      "\"2026-09-0",
                      9 - n,
                      "T10:00:00Z\", \"consumer\": "
                      "{\"displayName\": \"C\"}",
                      n == 4 ? ", \"companyReply\": {\"text\": \"Odpowiedz\", "
                               "\"createdAt\": \"2026-09-10T10:00:00Z\"}"
                             : "",
                      "}");
    }
    absl::StrAppend(&body, "]}");
    return HttpResponse::Json(body);
  });
  ASSERT_TRUE(server.ok());
  base = (*server)->Url("");
  if (!base.empty() && base.back() == '/') base.pop_back();
  opinia::v1::Collector c;
  c.set_kind(opinia::v1::TRUSTPILOT);
  c.set_endpoint((*server)->Url("/v1/business-units/b1/reviews"));
  (*c.mutable_credentials())["api_key"] = "tp-key";
  c.set_source("trustpilot");
  auto created = Create(c);
  ASSERT_TRUE(created.ok()) << created.status();
  auto run = Run(created->name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 6);
  EXPECT_EQ(Count("trustpilot"), 6);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].Header("apikey"), "tp-key");
  EXPECT_NE(seen[0].query.find("orderBy=createdat.desc"), std::string::npos);
  auto tp4 = Find("trustpilot", "tp4");
  ASSERT_TRUE(tp4.has_value());
  EXPECT_EQ(tp4->response_text, "Odpowiedz");
  EXPECT_EQ(tp4->status, opinia::v1::RESPONDED);
}

TEST_F(PlatformsTest, JsonFeedWithMappingPagingAndBearer) {
  auto server = HttpServer::Start([](const HttpRequest& r) {
    if (r.query == "p=2") {
      return HttpResponse::Json(
          R"({"data": [{"uid": "j3", "body": "Trzecia", "score": 3}]})");
    }
    return HttpResponse::Json(
        R"({"data": [{"uid": "j1", "body": "Pierwsza", "score": 5,
                      "who": {"name": "A"}},
                     {"uid": "j2", "body": "Druga", "score": 1}],
            "next": "?p=2"})");
  });
  ASSERT_TRUE(server.ok());
  opinia::v1::Collector c;
  c.set_kind(opinia::v1::JSON_FEED);
  c.set_endpoint((*server)->Url("/feed.json"));
  (*c.mutable_credentials())["bearer_token"] = "feed-token";
  c.set_source("shop-feed");
  (*c.mutable_mapping())["items"] = "data";
  (*c.mutable_mapping())["next_page"] = "next";
  (*c.mutable_mapping())["external_id"] = "uid";
  (*c.mutable_mapping())["text"] = "body";
  (*c.mutable_mapping())["rating"] = "score";
  (*c.mutable_mapping())["author"] = "who.name";
  auto created = Create(c);
  ASSERT_TRUE(created.ok()) << created.status();
  auto run = Run(created->name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 3);
  auto requests = (*server)->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer feed-token");
  EXPECT_EQ(requests[1].target, "/feed.json?p=2");
  auto j1 = Find("shop-feed", "j1");
  ASSERT_TRUE(j1.has_value());
  EXPECT_EQ(j1->rating, 5);
  // A feed is read in full each time; nothing changes on a re-run.
  auto again = Run(created->name());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created(), 0);
  EXPECT_EQ(again->unchanged(), 3);
}

TEST_F(PlatformsTest, CsvFeedWithBasicAuthAndRejectedRows) {
  auto server = HttpServer::Start([](const HttpRequest&) {
    return HttpResponse::Ok(
        "nr,opinia,ocena\r\n1,\"Dobre, polecam\",5\r\n2,Słabe,1\r\n,bez "
        "id,3\r\n",
        "text/csv");
  });
  ASSERT_TRUE(server.ok());
  opinia::v1::Collector c;
  c.set_kind(opinia::v1::CSV_FEED);
  c.set_endpoint((*server)->Url("/export.csv"));
  (*c.mutable_credentials())["username"] = "user";
  (*c.mutable_credentials())["password"] = "pass";
  c.set_source("csv-shop");
  (*c.mutable_mapping())["external_id"] = "nr";
  (*c.mutable_mapping())["text"] = "opinia";
  (*c.mutable_mapping())["rating"] = "ocena";
  auto created = Create(c);
  ASSERT_TRUE(created.ok()) << created.status();
  auto run = Run(created->name());
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->created(), 2);
  EXPECT_EQ(run->rejected(), 1);
  EXPECT_EQ((*server)->Requests()[0].Header("authorization"),
            "Basic dXNlcjpwYXNz");
  EXPECT_NE(Get(created->name()).state().last_error().find("external_id"),
            std::string::npos)
      << "a rejection is reported in the state";
}

}  // namespace
}  // namespace opinia::core::collectors
