// The gateway's parts without a server: JSON and query parsing, the error
// mapping, the security rules, the route table, the OpenAPI document and
// the embedded files.
#include <functional>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "opinia/v1/admin.pb.h"
#include "opinia/v1/alerts.pb.h"
#include "opinia/v1/collectors.pb.h"
#include "opinia/v1/insights.pb.h"
#include "opinia/v1/reviews.pb.h"
#include "service/http/embedded.h"
#include "service/http/json_codec.h"
#include "service/http/openapi.h"
#include "service/http/routes.h"
#include "service/http/security.h"
#include "service/http/static_files.h"
#include "service/rpc/rate_limiter.h"

namespace opinia::http {
namespace {

namespace pb = google::protobuf;
using ::testing::HasSubstr;

const std::vector<std::string> kServices = {
    "opinia.v1.ReviewService", "opinia.v1.AdminService",
    "opinia.v1.AlertService", "opinia.v1.InsightsService",
    "opinia.v1.CollectorService"};

// The services' descriptors are in the generated pool only when their files
// are linked in (the server links them through its services).
[[maybe_unused]] const bool kProtosLinked =
    opinia::v1::SummaryRequest::descriptor() != nullptr &&
    opinia::v1::Collector::descriptor() != nullptr;

std::string MessageOf(const absl::Status& status) {
  return std::string(status.message());
}

TEST(ParseJsonBodyTest, NamesTheUnknownFieldWithItsPath) {
  opinia::v1::IngestReviewsRequest request;
  absl::Status s = ParseJsonBody(
      R"({"reviews":[{"source":"a"},{"source":"b","colour":1}]})", &request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(s), "reviews[1].colour: unknown field");

  opinia::v1::CreateTenantRequest tenant;
  s = ParseJsonBody(R"({"display_name":"Shop"})", &tenant);
  EXPECT_EQ(MessageOf(s), "display_name: unknown field");
}

TEST(ParseJsonBodyTest, NamesTheFieldOfABadValue) {
  opinia::v1::ListAlertsRequest request;
  absl::Status s = ParseJsonBody(R"({"priorities":["P1","PX"]})", &request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(s), HasSubstr("priorities[1]: invalid value \"PX\""));

  opinia::v1::IngestReviewsRequest ingest;
  s = ParseJsonBody(R"({"reviews":[{"create_time":"yesterday"}]})", &ingest);
  EXPECT_THAT(MessageOf(s), HasSubstr("reviews[0].create_time: "));
  s = ParseJsonBody(R"({"reviews":[{"rating":"five"}]})", &ingest);
  EXPECT_THAT(MessageOf(s), HasSubstr("reviews[0].rating: "));
}

TEST(ParseJsonBodyTest, RefusesTextThatIsNotJsonOrNotUtf8) {
  opinia::v1::AnalyzeTextRequest request;
  absl::Status s = ParseJsonBody("{\"text\":\"caf\xe9\"}", &request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageOf(s), HasSubstr("not valid JSON"));
  EXPECT_THAT(MessageOf(s), HasSubstr("UTF-8"));
  s = ParseJsonBody(R"({"text": )", &request);
  EXPECT_THAT(MessageOf(s), HasSubstr("not valid JSON"));
  s = ParseJsonBody("[1, 2]", &request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParseJsonBodyTest, EmptyBodyIsAnEmptyMessageAndCamelCaseIsAccepted) {
  opinia::v1::AnalyzeTextRequest request;
  request.set_text("left over");
  EXPECT_TRUE(ParseJsonBody("  \n", &request).ok());
  EXPECT_EQ(request.text(), "");
  opinia::v1::IngestReviewsRequest ingest;
  ASSERT_TRUE(ParseJsonBody(R"({"reviews":[{"externalId":"x1"}],
                                "request_id":"r"})",
                            &ingest)
                  .ok());
  EXPECT_EQ(ingest.reviews(0).external_id(), "x1");
  EXPECT_EQ(ingest.request_id(), "r");
}

TEST(ParseQueryTest, RepeatedEnumsTimestampsNumbersAndText) {
  opinia::v1::ListReviewsRequest request;
  const std::multimap<std::string, std::string> params = {
      {"priorities", "P1"},
      {"priorities", "P2"},
      {"statuses", "NEW"},
      {"start_time", "2024-05-01T10:00:00Z"},
      {"page_size", "25"},
      {"query", "zwrot pieniędzy"},
      {"show_deleted", "true"},
      {"orderBy", "create_time asc"}};
  ASSERT_TRUE(ParseQuery(params, &request).ok());
  ASSERT_EQ(request.priorities_size(), 2);
  EXPECT_EQ(request.priorities(0), opinia::v1::P1);
  EXPECT_EQ(request.priorities(1), opinia::v1::P2);
  ASSERT_EQ(request.statuses_size(), 1);
  EXPECT_EQ(request.start_time().seconds(),
            absl::ToUnixSeconds(absl::FromCivil(
                absl::CivilSecond(2024, 5, 1, 10, 0, 0), absl::UTCTimeZone())));
  EXPECT_EQ(request.page_size(), 25);
  EXPECT_EQ(request.query(), "zwrot pieniędzy");
  EXPECT_TRUE(request.show_deleted());
  EXPECT_EQ(request.order_by(), "create_time asc");
}

TEST(ParseQueryTest, NestedFieldsByDottedPathAndWellKnownTypes) {
  opinia::v1::UpdateTenantSettingsRequest request;
  ASSERT_TRUE(ParseQuery({{"settings.sla_policy.p1", "1800s"},
                          {"settings.volume_spike_k", "2.5"},
                          {"update_mask", "slaPolicy.p1,volumeSpikeK"}},
                         &request)
                  .ok());
  EXPECT_EQ(request.settings().sla_policy().p1().seconds(), 1800);
  EXPECT_DOUBLE_EQ(request.settings().volume_spike_k(), 2.5);
  ASSERT_EQ(request.update_mask().paths_size(), 2);
  EXPECT_EQ(request.update_mask().paths(0), "sla_policy.p1");
}

TEST(ParseQueryTest, RefusalsNameTheParameter) {
  opinia::v1::ListReviewsRequest list;
  EXPECT_THAT(MessageOf(ParseQuery({{"colour", "red"}}, &list)),
              HasSubstr("query parameter \"colour\""));
  EXPECT_THAT(MessageOf(ParseQuery({{"query", "a"}, {"query", "b"}}, &list)),
              HasSubstr("\"query\": given more than once"));
  EXPECT_THAT(MessageOf(ParseQuery({{"priorities", "PX"}}, &list)),
              HasSubstr("priorities[0]: invalid value \"PX\""));
  EXPECT_THAT(MessageOf(ParseQuery({{"show_deleted", "maybe"}}, &list)),
              HasSubstr("show_deleted"));
  EXPECT_THAT(MessageOf(ParseQuery({{"start_time", "May 1st"}}, &list)),
              HasSubstr("start_time"));
  opinia::v1::IngestReviewsRequest ingest;
  EXPECT_THAT(MessageOf(ParseQuery({{"reviews.source", "a"}}, &ingest)),
              HasSubstr("\"reviews\" has no fields to name after it"));
  opinia::v1::ReviewInput input;
  EXPECT_THAT(MessageOf(ParseQuery({{"attributes", "a"}}, &input)),
              HasSubstr("map field \"attributes\""));
  opinia::v1::CreateAlertRuleRequest rule;
  EXPECT_THAT(MessageOf(ParseQuery({{"rule", "x"}}, &rule)),
              HasSubstr("\"rule\" is a message; set its fields as rule.FIELD"));
}

TEST(PrintJsonTest, ProtoNamesZeroValuesEnumNamesInt64AsStrings) {
  opinia::v1::Webhook webhook;
  webhook.set_delivered(12345678901234);
  webhook.set_state(opinia::v1::HEALTHY);
  const std::string json = PrintJson(webhook);
  EXPECT_THAT(json, HasSubstr("\"delivered\":\"12345678901234\""));
  EXPECT_THAT(json, HasSubstr("\"state\":\"HEALTHY\""));
  EXPECT_THAT(json, HasSubstr("\"last_error\":\"\""));  // zero value, proto name
  EXPECT_THAT(json, HasSubstr("\"dead_lettered\":\"0\""));
  EXPECT_EQ(json.find('\n'), std::string::npos);  // one line (SSE data)
}

TEST(ErrorMappingTest, HttpStatusOfEveryCode) {
  const std::pair<grpc::StatusCode, int> cases[] = {
      {grpc::StatusCode::INVALID_ARGUMENT, 400},
      {grpc::StatusCode::FAILED_PRECONDITION, 400},
      {grpc::StatusCode::OUT_OF_RANGE, 400},
      {grpc::StatusCode::UNAUTHENTICATED, 401},
      {grpc::StatusCode::PERMISSION_DENIED, 403},
      {grpc::StatusCode::NOT_FOUND, 404},
      {grpc::StatusCode::ALREADY_EXISTS, 409},
      {grpc::StatusCode::ABORTED, 409},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, 429},
      {grpc::StatusCode::CANCELLED, 499},
      {grpc::StatusCode::UNIMPLEMENTED, 501},
      {grpc::StatusCode::UNAVAILABLE, 503},
      {grpc::StatusCode::DEADLINE_EXCEEDED, 504},
      {grpc::StatusCode::INTERNAL, 500},
      {grpc::StatusCode::UNKNOWN, 500},
      {grpc::StatusCode::DATA_LOSS, 500},
  };
  for (const auto& [code, http] : cases) {
    EXPECT_EQ(HttpStatusOf(code), http) << code;
  }
}

TEST(ErrorMappingTest, StatusBodyAndRetryAfterFromTheRateLimitersError) {
  // What the server's rate limiter sends: RetryInfo of 1.2 s -> 2 s.
  HttpError error = ErrorFromGrpc(rpc::RateLimitedStatus(absl::Milliseconds(1200)));
  EXPECT_EQ(error.http_status, 429);
  ASSERT_TRUE(error.retry_after_seconds.has_value());
  EXPECT_EQ(*error.retry_after_seconds, 2);
  pb::Struct body;
  ASSERT_TRUE(pb::util::JsonStringToMessage(error.body, &body).ok())
      << error.body;
  EXPECT_EQ(body.fields().at("code").number_value(), 8);
  EXPECT_THAT(body.fields().at("message").string_value(),
              HasSubstr("rate limit"));
  const auto& details = body.fields().at("details").list_value();
  ASSERT_EQ(details.values_size(), 1);
  EXPECT_EQ(details.values(0).struct_value().fields().at("@type").string_value(),
            "type.googleapis.com/google.rpc.RetryInfo");
  EXPECT_EQ(details.values(0)
                .struct_value()
                .fields()
                .at("retry_delay")
                .string_value(),
            "1.200s");

  // Under a second still says 1 (Retry-After is whole seconds).
  EXPECT_EQ(ErrorFromGrpc(rpc::RateLimitedStatus(absl::Milliseconds(30)))
                .retry_after_seconds,
            1);
}

TEST(ErrorMappingTest, PlainStatusBecomesCodeAndMessage) {
  const HttpError error = ErrorFromGrpc(
      grpc::Status(grpc::StatusCode::NOT_FOUND, "reviews/9: not found"));
  EXPECT_EQ(error.http_status, 404);
  EXPECT_FALSE(error.retry_after_seconds.has_value());
  EXPECT_EQ(error.body,
            R"({"code":5,"message":"reviews/9: not found","details":[]})");
  EXPECT_EQ(GatewayError(413, grpc::StatusCode::RESOURCE_EXHAUSTED, "big").body,
            R"({"code":8,"message":"big","details":[]})");
}

TEST(SecurityTest, AllowedOrigins) {
  auto origins = ParseAllowedOrigins(
      " https://App.example , http://localhost:3000,https://[::1]:8443");
  ASSERT_TRUE(origins.ok()) << origins.status();
  EXPECT_EQ(*origins, (std::set<std::string>{"https://app.example",
                                             "http://localhost:3000",
                                             "https://[::1]:8443"}));
  EXPECT_TRUE(ParseAllowedOrigins("")->empty());
  for (const char* bad : {"*", "https://*.example", "app.example",
                          "https://app.example/", "ftp://app.example",
                          "https://app.example:99999", "https://a.example/x"}) {
    EXPECT_EQ(ParseAllowedOrigins(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(SecurityTest, KeyParameters) {
  EXPECT_EQ(KeyParameter({{"page_size", "1"}, {"resume_token", "x"},
                          {"page_token", "y"}}),
            std::nullopt);
  for (const char* name :
       {"key", "api_key", "access_token", "token", "KEY", "Authorization"}) {
    EXPECT_EQ(KeyParameter({{"a", "1"}, {name, "opk_secret"}}), name);
  }
}

TEST(SecurityTest, JudgeOrigin) {
  const std::set<std::string> allowed = {"https://app.example"};
  EXPECT_EQ(JudgeOrigin("", "", "http", "127.0.0.1:8080", allowed),
            OriginVerdict::kSameOrigin);
  EXPECT_EQ(JudgeOrigin("http://127.0.0.1:8080", "same-origin", "http",
                        "127.0.0.1:8080", allowed),
            OriginVerdict::kSameOrigin);
  EXPECT_EQ(JudgeOrigin("https://127.0.0.1:8080", "", "http", "127.0.0.1:8080",
                        allowed),
            OriginVerdict::kRefused);  // another scheme is another origin
  EXPECT_EQ(JudgeOrigin("https://evil.example", "cross-site", "http",
                        "127.0.0.1:8080", allowed),
            OriginVerdict::kRefused);
  EXPECT_EQ(JudgeOrigin("null", "", "http", "127.0.0.1:8080", allowed),
            OriginVerdict::kRefused);
  EXPECT_EQ(JudgeOrigin("", "cross-site", "http", "127.0.0.1:8080", allowed),
            OriginVerdict::kRefused);
  EXPECT_EQ(JudgeOrigin("https://APP.example", "cross-site", "http",
                        "127.0.0.1:8080", allowed),
            OriginVerdict::kAllowed);
}

TEST(SecurityTest, LoggablePathEscapesControlBytes) {
  EXPECT_EQ(LoggablePath("/v1/a b\nc%"), "/v1/a%20b%0Ac%25");
  EXPECT_EQ(LoggablePath(std::string(500, 'x')).size(), 203u);
}

TEST(RouteTableTest, EveryMethodOfEveryServiceHasItsRoute) {
  auto table = RouteTable::ForServices(kServices);
  ASSERT_TRUE(table.ok()) << table.status();
  size_t methods = 0;
  for (const std::string& name : kServices) {
    const pb::ServiceDescriptor* service =
        pb::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i, ++methods) {
      const pb::MethodDescriptor* method = service->method(i);
      const Route* route = table->Find("/v1/" + service->name() + "/" +
                                       method->name());
      ASSERT_NE(route, nullptr) << method->full_name();
      EXPECT_EQ(route->method, method);
      EXPECT_EQ(route->grpc_method,
                "/" + service->full_name() + "/" + method->name());
    }
  }
  EXPECT_EQ(table->routes().size(), methods);

  const Route* get = table->Find("/v1/ReviewService/GetReview");
  EXPECT_TRUE(get->get && get->post);
  const Route* ingest = table->Find("/v1/ReviewService/IngestReviews");
  EXPECT_TRUE(!ingest->get && ingest->post);
  EXPECT_EQ(ingest->allow, "POST, OPTIONS");
  const Route* stream = table->Find("/v1/AlertService/StreamAlerts");
  EXPECT_EQ(stream->kind, RouteKind::kServerStream);
  EXPECT_TRUE(stream->get && !stream->post);
  EXPECT_EQ(SseEventName(*stream->method), "alert");
  EXPECT_EQ(table->Find("/v1/ReviewService/StreamIngestReviews")->kind,
            RouteKind::kClientStream);
  EXPECT_EQ(table->Find("/v1/ReviewService/Nope"), nullptr);
  EXPECT_EQ(RouteTable::ForServices({"opinia.v1.NoService"}).status().code(),
            absl::StatusCode::kNotFound);
}

// Calls `fn` on every object in `value`, depth first.
void ForEachObject(const pb::Value& value,
                   const std::function<void(const pb::Struct&)>& fn) {
  if (value.has_struct_value()) {
    fn(value.struct_value());
    for (const auto& [key, child] : value.struct_value().fields()) {
      ForEachObject(child, fn);
    }
  } else if (value.has_list_value()) {
    for (const pb::Value& child : value.list_value().values()) {
      ForEachObject(child, fn);
    }
  }
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = RouteTable::ForServices(kServices);
    ASSERT_TRUE(table.ok());
    table_ = *std::move(table);
    const auto descriptors = ApiDescriptorSet();
    ASSERT_EQ(descriptors.size(), 1u);
    doc_ = OpenApiDocument(table_, descriptors[0].data);
    // It also survives its own printing (what /v1/openapi.json serves).
    ASSERT_TRUE(pb::util::JsonStringToMessage(StructToJson(doc_), &printed_).ok());
  }

  const pb::Struct& Schema(const std::string& name) {
    return doc_.fields().at("components").struct_value().fields().at(
        "schemas").struct_value().fields().at(name).struct_value();
  }
  const pb::Struct& Property(const std::string& message,
                             const std::string& field) {
    return Schema(message).fields().at("properties").struct_value().fields().at(
        field).struct_value();
  }

  RouteTable table_;
  pb::Struct doc_;
  pb::Struct printed_;
};

TEST_F(OpenApiTest, EveryRouteIsAPathWithItsOperations) {
  EXPECT_EQ(doc_.fields().at("openapi").string_value(), "3.0.3");
  const auto& paths = doc_.fields().at("paths").struct_value().fields();
  EXPECT_EQ(paths.size(), table_.routes().size());
  std::set<std::string> operation_ids;
  for (const Route& route : table_.routes()) {
    ASSERT_EQ(paths.count(route.path), 1u) << route.path;
    const auto& ops = paths.at(route.path).struct_value().fields();
    EXPECT_EQ(ops.count("get") != 0, route.get) << route.path;
    EXPECT_EQ(ops.count("post") != 0, route.post) << route.path;
    for (const auto& [method, op] : ops) {
      const auto& fields = op.struct_value().fields();
      EXPECT_TRUE(operation_ids.insert(fields.at("operationId").string_value())
                      .second);
      EXPECT_EQ(fields.at("responses").struct_value().fields().count("200"), 1u);
    }
  }
  const auto& sse = paths.at("/v1/AlertService/StreamAlerts")
                        .struct_value().fields().at("get").struct_value();
  const std::string text = StructToJson(sse);
  EXPECT_THAT(text, HasSubstr("text/event-stream"));
  EXPECT_THAT(text, HasSubstr("\"Last-Event-ID\""));
  EXPECT_THAT(text, HasSubstr("\"priorities\""));
  EXPECT_THAT(StructToJson(paths.at("/v1/ReviewService/StreamIngestReviews")
                               .struct_value()),
              HasSubstr("application/x-ndjson"));
  // GET parameters: repeated enums explode, timestamps are date-time.
  const std::string list = StructToJson(
      paths.at("/v1/ReviewService/ListReviews").struct_value());
  EXPECT_THAT(list, HasSubstr("\"explode\": true"));
  EXPECT_THAT(list, HasSubstr("\"start_time\""));
}

TEST_F(OpenApiTest, EveryReferenceResolves) {
  const auto& schemas = doc_.fields().at("components").struct_value().fields()
                            .at("schemas").struct_value().fields();
  int refs = 0;
  pb::Value root;
  *root.mutable_struct_value() = doc_;
  ForEachObject(root, [&](const pb::Struct& object) {
    auto it = object.fields().find("$ref");
    if (it == object.fields().end()) return;
    ++refs;
    const std::string& ref = it->second.string_value();
    ASSERT_TRUE(absl::StartsWith(ref, "#/components/schemas/")) << ref;
    EXPECT_EQ(schemas.count(ref.substr(21)), 1u) << ref;
  });
  EXPECT_GT(refs, 100);
  // Every message a route takes or returns has its schema.
  for (const Route& route : table_.routes()) {
    EXPECT_EQ(schemas.count(route.method->input_type()->full_name()), 1u)
        << route.path;
    EXPECT_EQ(schemas.count(route.method->output_type()->full_name()), 1u);
  }
  EXPECT_EQ(schemas.count("google.rpc.Status"), 1u);
}

TEST_F(OpenApiTest, Proto3JsonTypes) {
  const auto& delivered = Property("opinia.v1.Webhook", "delivered").fields();
  EXPECT_EQ(delivered.at("type").string_value(), "string");
  EXPECT_EQ(delivered.at("format").string_value(), "int64");
  const auto& priority = Schema("opinia.v1.Priority").fields();
  EXPECT_EQ(priority.at("type").string_value(), "string");
  std::set<std::string> values;
  for (const auto& v : priority.at("enum").list_value().values()) {
    values.insert(v.string_value());
  }
  EXPECT_EQ(values.count("P1"), 1u);
  EXPECT_EQ(values.count("PRIORITY_UNSPECIFIED"), 1u);
  const auto& created = Property("opinia.v1.Alert", "create_time").fields();
  EXPECT_EQ(created.at("format").string_value(), "date-time");
  EXPECT_EQ(Property("opinia.v1.SlaPolicy", "p1").fields().at("type")
                .string_value(),
            "string");
  EXPECT_EQ(Property("opinia.v1.UpdateReviewRequest", "update_mask")
                .fields().at("type").string_value(),
            "string");
  const auto& attributes =
      Property("opinia.v1.ReviewInput", "attributes").fields();
  EXPECT_EQ(attributes.at("type").string_value(), "object");
  EXPECT_EQ(attributes.at("additionalProperties").struct_value().fields()
                .at("type").string_value(),
            "string");
  const auto& priorities =
      Property("opinia.v1.ListReviewsRequest", "priorities").fields();
  EXPECT_EQ(priorities.at("type").string_value(), "array");
  EXPECT_EQ(priorities.at("items").struct_value().fields().at("$ref")
                .string_value(),
            "#/components/schemas/opinia.v1.Priority");
}

TEST_F(OpenApiTest, CommentsOfTheProtosAreDescriptions) {
  EXPECT_THAT(Property("opinia.v1.ListReviewsRequest", "page_size")
                  .fields().at("description").string_value(),
              HasSubstr("at most 1,000"));
  EXPECT_THAT(Schema("opinia.v1.AlertEvent").fields().at("description")
                  .string_value(),
              HasSubstr("durable alert event log"));
  // A described $ref is wrapped (siblings of $ref are ignored in 3.0).
  const auto& sla = Property("opinia.v1.TenantSettings", "time_zone").fields();
  EXPECT_THAT(sla.at("description").string_value(), HasSubstr("IANA"));
}

TEST(StaticFilesTest, NamesAndTypes) {
  const StaticFiles files(DashboardFiles());
  const EmbeddedFile* index = files.ForPath("/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->name, "index.html");
  EXPECT_EQ(files.ForPath("/assets/index.html"), index);
  EXPECT_EQ(index->etag.size(), 32u);
  EXPECT_THAT(std::string(index->data), HasSubstr("<html"));
  EXPECT_EQ(files.ForPath("/assets/none.js"), nullptr);
  EXPECT_EQ(files.ForPath("/index.html"), nullptr);
  EXPECT_TRUE(StaticFiles::Serves("/assets/x"));
  EXPECT_FALSE(StaticFiles::Serves("/v1/openapi.json"));
  EXPECT_EQ(StaticFiles::ContentType("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("i18n/pl.JSON"), "application/json");
  EXPECT_EQ(StaticFiles::ContentType("app.js"),
            "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("logo.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentType("ding.ogg"), "audio/ogg");
  EXPECT_EQ(StaticFiles::ContentType("README"), "application/octet-stream");
}

}  // namespace
}  // namespace opinia::http
