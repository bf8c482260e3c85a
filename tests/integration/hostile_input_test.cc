// Hostile clients against the real server: malformed protobuf bytes,
// oversize messages, hundreds of idle connections, slow-loris streams and
// bursts beyond the per-key rate limit. After (and during) each, a healthy
// client with its own key is still served.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "gtest/gtest.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"

namespace opinia::testing {
namespace {

constexpr int kMaxMessageBytes = 1 << 20;
constexpr double kRateLimitRps = 20;

class HostileInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = ServerProcess::Start(
        {absl::StrCat("--max-message-bytes=", kMaxMessageBytes),
         absl::StrCat("--rate-limit-rps=", kRateLimitRps),
         absl::StrCat("--rate-limit-burst=", kRateLimitRps)});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    auto channel = server_->NewChannel();
    auto healthy = CreateTenantWithKey(channel, server_->admin_key(), "healthy");
    ASSERT_TRUE(healthy.ok()) << healthy.status();
    healthy_key_ = new std::string(healthy->key);
    auto hostile = CreateTenantWithKey(channel, server_->admin_key(), "hostile");
    ASSERT_TRUE(hostile.ok()) << hostile.status();
    hostile_key_ = new std::string(hostile->key);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete healthy_key_;
    delete hostile_key_;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->Alive()) << server_->Log();
  }
  void TearDown() override {
    EXPECT_TRUE(server_->Alive()) << "server died; log:\n" << server_->Log();
  }

  // One ingest + one read by the healthy client, each within `budget`.
  // Each call uses a fresh channel, like a new client would.
  static void ExpectHealthy(const std::string& what,
                            absl::Duration budget = absl::Seconds(5)) {
    static std::atomic<int> counter{0};
    auto channel = server_->NewChannel();
    auto stub = opinia::v1::ReviewService::NewStub(channel);
    opinia::v1::IngestReviewsRequest request;
    *request.add_reviews() =
        MakeReview(absl::StrCat("healthy-", counter.fetch_add(1)), 1);
    const absl::Time start = absl::Now();
    auto ctx = ContextWithKey(*healthy_key_);
    ctx->set_deadline(absl::ToChronoTime(start + budget));
    opinia::v1::IngestReviewsResponse response;
    grpc::Status s = stub->IngestReviews(ctx.get(), request, &response);
    ASSERT_TRUE(s.ok()) << what << ": healthy ingest failed: "
                        << s.error_code() << " " << s.error_message();
    ASSERT_EQ(response.results_size(), 1) << what;
    opinia::v1::GetReviewRequest get;
    get.set_name(response.results(0).name());
    opinia::v1::Review review;
    auto ctx2 = ContextWithKey(*healthy_key_);
    ctx2->set_deadline(absl::ToChronoTime(absl::Now() + budget));
    s = stub->GetReview(ctx2.get(), get, &review);
    ASSERT_TRUE(s.ok()) << what << ": healthy read failed: "
                        << s.error_message();
  }

  static ServerProcess* server_;
  static std::string* healthy_key_;
  static std::string* hostile_key_;
};

ServerProcess* HostileInputTest::server_ = nullptr;
std::string* HostileInputTest::healthy_key_ = nullptr;
std::string* HostileInputTest::hostile_key_ = nullptr;

TEST_F(HostileInputTest, MalformedProtobufBytesAreRefusedNotCrashing) {
  struct Case {
    const char* name;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"random bytes", std::string("\xff\xfe\xfd\xfc\x01\x02\x03\x80\x80", 9)},
      {"truncated varint", std::string("\x08\x80\x80\x80", 4)},
      {"length beyond end", std::string("\x0a\xff\xff\xff\x0f" "abc", 8)},
      {"field number zero", std::string("\x00\x01", 2)},
      {"end group without start", std::string("\x0c", 1)},
      {"deep nesting", std::string(2000, '\x0a')},
  };
  const std::vector<std::string> methods = {
      "/opinia.v1.ReviewService/IngestReviews",
      "/opinia.v1.ReviewService/GetReview",
      "/opinia.v1.ReviewService/AnalyzeText",
      "/opinia.v1.AdminService/CreateTenant",
  };
  auto channel = server_->NewChannel();
  for (const auto& method : methods) {
    for (const auto& c : cases) {
      std::string response;
      grpc::Status s =
          RawUnaryCall(channel, method, c.bytes, *hostile_key_, &response);
      EXPECT_FALSE(s.ok()) << method << " / " << c.name;
      // gRPC itself would say UNIMPLEMENTED; the server says what is wrong.
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << method << " / " << c.name << ": " << s.error_message();
    }
  }
  // A ReviewInput inside IngestReviewsRequest whose length runs past its end.
  std::string response;
  grpc::Status s = RawUnaryCall(
      channel, "/opinia.v1.ReviewService/IngestReviews",
      WireBytesField(1, std::string("\x12\x7f" "x", 3)), *hostile_key_,
      &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  // An unknown method stays UNIMPLEMENTED.
  s = RawUnaryCall(channel, "/opinia.v1.ReviewService/NoSuchMethod", "",
                   *hostile_key_, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  ExpectHealthy("after malformed bytes");
}

TEST_F(HostileInputTest, OversizeMessagesAreResourceExhausted) {
  auto channel = server_->NewChannel();
  for (int size : {kMaxMessageBytes + 1, 4 * kMaxMessageBytes}) {
    opinia::v1::IngestReviewsRequest request;
    auto* r = request.add_reviews();
    *r = MakeReview("oversize", 1);
    r->set_text(std::string(static_cast<size_t>(size), 'a'));
    std::string response;
    grpc::Status s =
        RawUnaryCall(channel, "/opinia.v1.ReviewService/IngestReviews",
                     request.SerializeAsString(), *hostile_key_, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << size << ": " << s.error_message();
  }
  ExpectHealthy("after oversize messages");
}

TEST_F(HostileInputTest, FiveHundredIdleConnectionsDoNotStarveOthers) {
  constexpr int kIdle = 500;
  std::vector<std::shared_ptr<grpc::Channel>> idle;
  idle.reserve(kIdle);
  for (int i = 0; i < kIdle; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("opinia.test.idle_connection", i);  // no subchannel sharing
    idle.push_back(grpc::CreateCustomChannel(
        server_->address(), grpc::InsecureChannelCredentials(), args));
  }
  int connected = 0;
  for (auto& c : idle) {
    if (c->WaitForConnected(std::chrono::system_clock::now() +
                            std::chrono::seconds(20))) {
      ++connected;
    }
  }
  EXPECT_EQ(connected, kIdle);
  ExpectHealthy("with 500 idle connections open");
  idle.clear();
  ExpectHealthy("after 500 idle connections closed");
}

TEST_F(HostileInputTest, SlowLorisStreamsDoNotBlockOtherClients) {
  // Their keys take 11 calls of the operator key's 20-call bucket.
  constexpr int kStreams = 10;
  constexpr int kSeconds = 3;
  struct Slow {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<opinia::v1::ReviewService::Stub> stub;
    opinia::v1::IngestSummary summary;
    std::unique_ptr<grpc::ClientWriter<opinia::v1::ReviewInput>> writer;
  };
  std::vector<Slow> slow(kStreams);
  auto channel = server_->NewChannel();
  // A stream's open and each of its messages take a token of its key's
  // rate limit, so each stream has a key of its own here: this test is
  // about connections held open, not about the rate limit.
  auto tenant = CreateTenant(channel, server_->admin_key(), "slow loris");
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  for (int i = 0; i < kStreams; ++i) {
    auto key = CreateKey(channel, server_->admin_key(), *tenant,
                         {opinia::v1::ROLE_INGEST});
    ASSERT_TRUE(key.ok()) << key.status();
    slow[i].context = ContextWithKey(key->secret);
    slow[i].context->set_deadline(std::chrono::system_clock::now() +
                                  std::chrono::seconds(60));
    slow[i].stub = opinia::v1::ReviewService::NewStub(channel);
    slow[i].writer = slow[i].stub->StreamIngestReviews(slow[i].context.get(),
                                                       &slow[i].summary);
  }
  // One item per stream per second, never half-closed; the healthy client
  // is served in between every round.
  for (int second = 0; second < kSeconds; ++second) {
    const absl::Time round = absl::Now();
    for (int i = 0; i < kStreams; ++i) {
      EXPECT_TRUE(slow[i].writer->Write(
          MakeReview(absl::StrCat("slow-", i, "-", second), second)))
          << "stream " << i;
    }
    ExpectHealthy(absl::StrCat("slow-loris round ", second));
    absl::SleepFor(absl::Seconds(1) - (absl::Now() - round));
  }
  for (auto& s : slow) s.context->TryCancel();
  for (auto& s : slow) (void)s.writer->Finish();
  ExpectHealthy("after slow-loris streams");
}

// Decodes google.rpc.Status bytes and returns RetryInfo.retry_delay, or -1.
absl::Duration RetryDelay(const std::string& status_bytes) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(status_bytes.data()),
      static_cast<int>(status_bytes.size()));
  while (uint32_t tag = in.ReadTag()) {
    if (tag != ((3 << 3) | 2)) {
      if (!google::protobuf::internal::WireFormatLite::SkipField(&in, tag)) break;
      continue;
    }
    std::string bytes;
    uint32_t len = 0;
    if (!in.ReadVarint32(&len) || !in.ReadString(&bytes, static_cast<int>(len))) break;
    google::protobuf::Any any;
    if (!any.ParseFromString(bytes) ||
        any.type_url() != "type.googleapis.com/google.rpc.RetryInfo") {
      continue;
    }
    google::protobuf::io::CodedInputStream info(
        reinterpret_cast<const uint8_t*>(any.value().data()),
        static_cast<int>(any.value().size()));
    if (info.ReadTag() != ((1 << 3) | 2)) return absl::Seconds(-1);
    std::string d;
    if (!info.ReadVarint32(&len) || !info.ReadString(&d, static_cast<int>(len))) {
      return absl::Seconds(-1);
    }
    google::protobuf::Duration delay;
    if (!delay.ParseFromString(d)) return absl::Seconds(-1);
    return absl::Seconds(delay.seconds()) + absl::Nanoseconds(delay.nanos());
  }
  return absl::Seconds(-1);
}

TEST_F(HostileInputTest, BurstBeyondRateLimitGetsRetryInfo) {
  auto channel = server_->NewChannel();
  auto stub = opinia::v1::ReviewService::NewStub(channel);
  constexpr int kBurst = 100;  // 5x the bucket, sent back to back
  int ok = 0;
  int limited = 0;
  absl::Duration last_delay = absl::ZeroDuration();
  for (int i = 0; i < kBurst; ++i) {
    opinia::v1::ListReviewsRequest request;
    request.set_page_size(1);
    opinia::v1::ListReviewsResponse response;
    grpc::Status s =
        stub->ListReviews(ContextWithKey(*hostile_key_).get(), request, &response);
    if (s.ok()) {
      ++ok;
      continue;
    }
    ASSERT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << s.error_message();
    ++limited;
    const absl::Duration delay = RetryDelay(s.error_details());
    ASSERT_GT(delay, absl::ZeroDuration()) << "call " << i << ": no RetryInfo";
    EXPECT_LE(delay, absl::Seconds(1.0 / kRateLimitRps) + absl::Milliseconds(1));
    last_delay = delay;
    if (i % 25 == 0) ExpectHealthy(absl::StrCat("during burst, call ", i));
  }
  EXPECT_GT(limited, 0);
  // The bucket (20) plus what refilled while the burst ran.
  EXPECT_GE(ok, static_cast<int>(kRateLimitRps));
  EXPECT_LT(ok, kBurst);
  // Waiting as long as the server said is enough. Calls after the burst's
  // last refusal may have taken tokens that refilled meanwhile (a slow
  // machine, a sanitizer build), so empty the bucket again first and wait
  // for the delay of that refusal.
  opinia::v1::ListReviewsRequest request;
  opinia::v1::ListReviewsResponse response;
  grpc::Status s;
  for (int i = 0; i < 2 * kBurst; ++i) {
    s = stub->ListReviews(ContextWithKey(*hostile_key_).get(), request,
                          &response);
    if (!s.ok()) break;
  }
  ASSERT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  last_delay = RetryDelay(s.error_details());
  ASSERT_GT(last_delay, absl::ZeroDuration());
  absl::SleepFor(last_delay);
  s = stub->ListReviews(ContextWithKey(*hostile_key_).get(), request,
                        &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace opinia::testing
