// Per-tenant and per-key limits against the real server: each over-limit
// answer has its status and names its limit (the server flag). Webhooks
// and collectors per tenant are FAILED_PRECONDITION (delete one first);
// streams per key and per tenant and the rate limit, which also covers
// stream opens and the messages of ingest streams, RESOURCE_EXHAUSTED.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

// `status` has `code` and its message names the limit's flag.
void ExpectLimit(const grpc::Status& status, grpc::StatusCode code,
                 const std::string& flag, const std::string& what) {
  EXPECT_EQ(status.error_code(), code) << what << ": " << status.error_message();
  EXPECT_NE(status.error_message().find(flag), std::string::npos)
      << what << ": " << status.error_message();
}

grpc::Status NewWebhook(const std::shared_ptr<grpc::Channel>& channel,
                        const std::string& key, int i,
                        opinia::v1::Webhook* created = nullptr) {
  opinia::v1::Webhook webhook;
  // A name, not an address: nothing is sent (no alert is raised here).
  return CreateWebhook(channel, key,
                       absl::StrCat("https://hooks.example.com/opinia/", i),
                       created != nullptr ? created : &webhook);
}

grpc::Status NewCollector(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& key) {
  opinia::v1::Collector collector;
  return CreateCollector(channel, key, &collector);
}

// A server with its defaults: they protect a fresh install.
class DefaultLimitsTest : public ServerTest {};

TEST_F(DefaultLimitsTest, TwentyWebhooksPerTenantThenFailedPrecondition) {
  auto channel = server_->NewChannel();
  auto shop = CreateTenantWithKey(channel, server_->admin_key(), "hooks");
  ASSERT_TRUE(shop.ok()) << shop.status();
  opinia::v1::Webhook first;
  for (int i = 0; i < 20; ++i) {
    grpc::Status s = NewWebhook(channel, shop->key, i, i == 0 ? &first : nullptr);
    ASSERT_TRUE(s.ok()) << i << ": " << s.error_message();
  }
  ExpectLimit(NewWebhook(channel, shop->key, 20),
              grpc::StatusCode::FAILED_PRECONDITION,
              "--max-webhooks-per-tenant=20", "21st webhook");
  // Another tenant has its own 20.
  auto other = CreateTenantWithKey(channel, server_->admin_key(), "other");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_TRUE(NewWebhook(channel, other->key, 0).ok());
  // Deleting one makes room for one.
  auto stub = opinia::v1::AlertService::NewStub(channel);
  opinia::v1::DeleteWebhookRequest del;
  del.set_name(first.name());
  opinia::v1::DeleteResponse deleted;
  ASSERT_TRUE(stub->DeleteWebhook(ContextWithKey(shop->key).get(), del, &deleted)
                  .ok());
  EXPECT_TRUE(NewWebhook(channel, shop->key, 21).ok());
  EXPECT_EQ(NewWebhook(channel, shop->key, 22).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(DefaultLimitsTest, HundredCollectorsPerTenantThenFailedPrecondition) {
  auto channel = server_->NewChannel();
  auto shop = CreateTenantWithKey(channel, server_->admin_key(), "collectors");
  ASSERT_TRUE(shop.ok()) << shop.status();
  for (int i = 0; i < 100; ++i) {
    grpc::Status s = NewCollector(channel, shop->key);
    ASSERT_TRUE(s.ok()) << i << ": " << s.error_message();
  }
  ExpectLimit(NewCollector(channel, shop->key),
              grpc::StatusCode::FAILED_PRECONDITION,
              "--max-collectors-per-tenant=100", "101st collector");
}

// A server with small stream limits and a small rate limit.
constexpr double kRps = 20;
constexpr double kBurst = 10;

class LimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = ServerProcess::Start(
        {"--max-streams-per-key=3", "--max-streams-per-tenant=5",
         absl::StrCat("--rate-limit-rps=", kRps),
         absl::StrCat("--rate-limit-burst=", kBurst)});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    channel_ = server_->NewChannel();
    // Each test has a tenant of its own: a fresh token bucket per key.
    auto shop = CreateTenantWithKey(channel_, server_->admin_key(), "limits");
    ASSERT_TRUE(shop.ok()) << shop.status();
    shop_ = *shop;
  }

  struct Stream {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<opinia::v1::AlertService::Stub> stub;
    std::unique_ptr<grpc::ClientReader<opinia::v1::AlertEvent>> reader;
    bool finished = false;
    // The call's status (once; later calls return the first).
    grpc::Status Finish() {
      if (!finished) status = reader->Finish();
      finished = true;
      return status;
    }
    // A test that failed half way leaves no call open (gRPC aborts on a
    // reader destroyed before Finish).
    ~Stream() {
      if (reader != nullptr && !finished) {
        context->TryCancel();
        (void)Finish();
      }
    }
    Stream() = default;
    Stream(Stream&&) = default;
    Stream& operator=(Stream&&) = default;
    grpc::Status status;
  };
  // `deadline`: how long an admitted stream stays open.
  Stream Open(const std::string& key,
              absl::Duration deadline = absl::Seconds(30)) {
    Stream s;
    s.context = ContextWithKey(key);
    s.context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    s.stub = opinia::v1::AlertService::NewStub(channel_);
    s.reader = s.stub->StreamAlerts(s.context.get(), {});
    return s;
  }

  // Alerts for every open stream of the tenant until `s` reads one: then
  // `s` is admitted and watched. A stream without a token starts "from
  // now" once the server has set it up, which may be after an ingest sent
  // just after the open (the server runs them in parallel): so an alert
  // every 100 ms, not one.
  void ExpectAdmitted(Stream& s, const std::string& what) {
    std::atomic<bool> admitted{false};
    std::thread alerts([&] {
      while (!admitted) {
        opinia::v1::ReviewInput review;
        review.set_source("allegro");
        review.set_external_id(absl::StrCat("alert-", ++alerts_));
        review.set_text("Oszustwo! Zgłaszam sprawę do UOKiK i do prawnika.");
        auto ingested = Ingest(channel_, shop_.key, {review});
        EXPECT_TRUE(ingested.ok()) << ingested.status();
        for (int i = 0; i < 10 && !admitted; ++i) {
          absl::SleepFor(absl::Milliseconds(10));
        }
      }
    });
    opinia::v1::AlertEvent event;
    const bool read = s.reader->Read(&event);
    admitted = true;
    alerts.join();
    ASSERT_TRUE(read) << what << ": " << s.Finish().error_message();
  }

  void ExpectRefused(Stream& s, grpc::StatusCode code, const std::string& flag,
                     const std::string& what) {
    opinia::v1::AlertEvent event;
    EXPECT_FALSE(s.reader->Read(&event)) << what;
    ExpectLimit(s.Finish(), code, flag, what);
  }

  static void Close(Stream& s) {
    s.context->TryCancel();
    (void)s.Finish();
  }

  static inline std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  TenantWithKey shop_;
  int alerts_ = 0;
};

TEST_F(LimitsTest, StreamsPerKeyAndPerTenant) {
  std::vector<Stream> streams;
  for (int i = 0; i < 3; ++i) {
    streams.push_back(Open(shop_.key));
    ExpectAdmitted(streams.back(), absl::StrCat("stream ", i));
  }
  Stream fourth = Open(shop_.key);
  ExpectRefused(fourth, grpc::StatusCode::RESOURCE_EXHAUSTED,
                "--max-streams-per-key", "4th stream of a key");

  // The tenant's other keys share its 5.
  auto second = CreateKey(channel_, server_->admin_key(), shop_.tenant,
                          {opinia::v1::ROLE_READ});
  ASSERT_TRUE(second.ok()) << second.status();
  for (int i = 3; i < 5; ++i) {
    streams.push_back(Open(second->secret));
    ExpectAdmitted(streams.back(), absl::StrCat("stream ", i));
  }
  Stream sixth = Open(second->secret);
  ExpectRefused(sixth, grpc::StatusCode::RESOURCE_EXHAUSTED,
                "--max-streams-per-tenant", "6th stream of a tenant");

  // A stream that ends makes room (once the server has seen it end):
  // refused streams end at once, an admitted one at its deadline.
  Close(streams.front());
  streams.erase(streams.begin());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  grpc::Status last;
  while (absl::Now() < deadline) {
    Stream again = Open(shop_.key, absl::Milliseconds(300));
    opinia::v1::AlertEvent event;
    while (again.reader->Read(&event)) {
    }
    last = again.Finish();
    if (last.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) break;
  }
  EXPECT_NE(last.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << last.error_message();
  for (Stream& s : streams) Close(s);
}

TEST_F(LimitsTest, RateLimitCoversStreamOpens) {
  // A key without the read role: every open takes a token and is then
  // refused (PERMISSION_DENIED), so all of them end at once. Once the
  // bucket and what refills meanwhile are used up, opens are refused by
  // the rate limit instead, at once, not queued.
  auto key = CreateKey(channel_, shop_.key, shop_.tenant,
                       {opinia::v1::ROLE_INGEST});
  ASSERT_TRUE(key.ok()) << key.status();
  constexpr int kOpens = 5 * kBurst;
  std::vector<Stream> streams;
  for (int i = 0; i < kOpens; ++i) streams.push_back(Open(key->secret));
  int denied = 0;
  int rate_limited = 0;
  for (Stream& s : streams) {
    opinia::v1::AlertEvent event;
    EXPECT_FALSE(s.reader->Read(&event));
    const grpc::Status status = s.Finish();
    if (status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      ++denied;
      continue;
    }
    ExpectLimit(status, grpc::StatusCode::RESOURCE_EXHAUSTED,
                "--rate-limit-rps", "open beyond the rate");
    ++rate_limited;
  }
  EXPECT_GE(denied, kBurst);  // the bucket's tokens
  EXPECT_GT(rate_limited, 0);
  std::printf("%d of %d stream opens refused by the rate limit\n",
              rate_limited, kOpens);
}

TEST_F(LimitsTest, IngestStreamsGoNoFasterThanTheRateLimit) {
  constexpr int kMessages = 60;
  auto stub = opinia::v1::ReviewService::NewStub(channel_);
  opinia::v1::IngestSummary summary;
  auto context = ContextWithKey(shop_.key);
  const absl::Time start = absl::Now();
  auto writer = stub->StreamIngestReviews(context.get(), &summary);
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE(writer->Write(MakeReview(absl::StrCat("paced-", i), i)));
  }
  ASSERT_TRUE(writer->WritesDone());
  const grpc::Status status = writer->Finish();
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(status.ok()) << status.error_message();
  // Paced, not refused: every message stored.
  EXPECT_EQ(summary.created(), kMessages);
  // One token per message (and the open) beyond the bucket, at kRps.
  const absl::Duration least = absl::Seconds((kMessages - kBurst) / kRps);
  EXPECT_GE(took, least * 0.9) << "the stream outran the rate limit";
  std::printf("%d messages at --rate-limit-rps=%g took %s\n", kMessages, kRps,
              absl::FormatDuration(took).c_str());
}

}  // namespace
}  // namespace opinia::testing
