// Revocation reaches open streams: a StreamAlerts or StreamIngestReviews
// opened with a key ends within 1 s when the key is revoked (RevokeApiKey,
// or in the database as another replica would), its tenant is deleted, or
// the role the stream needs is removed; and nothing is delivered or stored
// on it after that. Tenant deletion and role changes have no API method
// yet, so those tests change the server's database directly, through their
// own SQLite connection, as an operator's tool or another replica would.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

constexpr absl::Duration kPromptly = absl::Seconds(1);

// Text the analyzer ranks P1, so every such review raises an alert.
opinia::v1::ReviewInput UrgentReview(const std::string& external_id) {
  opinia::v1::ReviewInput review;
  review.set_source("allegro");
  review.set_external_id(external_id);
  review.set_text(absl::StrCat("Zamówienie ", external_id,
                               " nie dotarło. Oszustwo! Zgłaszam sprawę do "
                               "UOKiK i do prawnika."));
  return review;
}

std::string IdOf(const std::string& name) {
  return name.substr(name.find('/') + 1);
}

class RevocationTest : public ServerTest {
 protected:
  // A fresh tenant, its admin key (all roles) and a second key with
  // `roles`, whose streams the tests end.
  void SetUp() override {
    ServerTest::SetUp();
    const TenantWithKey tenant = NewTenant("revocation shop");
    tenant_ = tenant.tenant;
    admin_key_ = tenant.key;
    auto key = CreateKey(channel_, admin_key_, tenant_,
                         {opinia::v1::ROLE_INGEST, opinia::v1::ROLE_READ});
    ASSERT_TRUE(key.ok()) << key.status();
    key_ = *key;
  }

  // Runs `sql` on the server's database in its own connection ('?' in
  // `sql` is replaced by `arg`, quoted).
  void ExecSql(const std::string& sql, const std::string& arg = "") {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(server_->db_path().c_str(), &db,
                              SQLITE_OPEN_READWRITE, nullptr),
              SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    char* error = nullptr;
    const std::string statement =
        absl::StrReplaceAll(sql, {{"?", absl::StrCat("'", arg, "'")}});
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << statement << ": " << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  void RevokeThroughApi() {
    auto stub = opinia::v1::AdminService::NewStub(channel_);
    opinia::v1::RevokeApiKeyRequest request;
    request.set_name(key_.name);
    opinia::v1::ApiKey revoked;
    ASSERT_TRUE(stub->RevokeApiKey(ContextWithKey(admin_key_).get(), request,
                                   &revoked)
                    .ok());
    ASSERT_TRUE(revoked.revoked());
  }

  // The tenant's stored reviews (total_size of ListReviews).
  int64_t StoredReviews() {
    auto stub = opinia::v1::ReviewService::NewStub(channel_);
    opinia::v1::ListReviewsRequest request;
    request.set_page_size(1);
    opinia::v1::ListReviewsResponse response;
    grpc::Status status =
        stub->ListReviews(ContextWithKey(admin_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.total_size();
  }

  // Polls until the tenant has `n` reviews (the first stream batch is
  // committed), at most 30 s.
  void AwaitStoredReviews(int64_t n) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (StoredReviews() < n && absl::Now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(StoredReviews(), n);
  }

  // Opens StreamAlerts with key_ and waits until it delivers the alert of
  // a review ingested after it opened (so the stream is fully set up).
  struct AlertStream {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<opinia::v1::AlertService::Stub> stub;
    std::unique_ptr<grpc::ClientReader<opinia::v1::AlertEvent>> reader;
  };
  // A stream without a token starts "from now" once the server has set it
  // up, which may be after an ingest sent just after the open (the server
  // runs them in parallel): so an urgent review every 100 ms until the
  // stream reads one, not a single one.
  AlertStream OpenLiveAlertStream() {
    AlertStream s;
    s.context = ContextWithKey(key_.secret);
    s.stub = opinia::v1::AlertService::NewStub(channel_);
    s.reader = s.stub->StreamAlerts(s.context.get(), {});
    std::atomic<bool> live{false};
    const int stream = ++opened_;
    std::thread ingests([&] {
      for (int i = 0; !live; ++i) {
        auto ingested =
            Ingest(channel_, admin_key_,
                   {UrgentReview(absl::StrCat("before-", stream, "-", i))});
        EXPECT_TRUE(ingested.ok()) << ingested.status();
        for (int j = 0; j < 10 && !live; ++j) {
          absl::SleepFor(absl::Milliseconds(10));
        }
      }
    });
    opinia::v1::AlertEvent event;
    const bool read = s.reader->Read(&event);
    live = true;
    ingests.join();
    EXPECT_TRUE(read) << "the alert stream ended before its first alert";
    EXPECT_NE(event.alert().review(), "");
    return s;
  }
  int opened_ = 0;

  // Reads until the stream ends; expects it within kPromptly of `since`,
  // with `code`, and no alert of a review named `not_after` on the way.
  void ExpectAlertStreamEnds(AlertStream& s, absl::Time since,
                             grpc::StatusCode code,
                             const std::string& not_after = "") {
    opinia::v1::AlertEvent event;
    while (s.reader->Read(&event)) {
      EXPECT_NE(event.alert().review(), not_after)
          << "an alert created after the revocation was delivered";
    }
    ExpectEndedPromptly(s.reader->Finish(), since, code);
  }

  // `status`, the stream's end, has `code` and came within kPromptly.
  static void ExpectEndedPromptly(const grpc::Status& status, absl::Time since,
                                  grpc::StatusCode code) {
    const absl::Duration took = absl::Now() - since;
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_LT(took, kPromptly);
    std::printf("stream ended %s after the change: %s\n",
                absl::FormatDuration(took).c_str(),
                status.error_message().c_str());
  }

  // An ingest stream of key_ with one batch (500) committed and `pending`
  // more messages sent but not yet stored (a batch is stored when full).
  struct IngestStream {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<opinia::v1::ReviewService::Stub> stub;
    opinia::v1::IngestSummary summary;
    std::unique_ptr<grpc::ClientWriter<opinia::v1::ReviewInput>> writer;
  };
  IngestStream OpenIngestStreamWithOneBatchStored(int pending) {
    IngestStream s;
    s.context = ContextWithKey(key_.secret);
    s.stub = opinia::v1::ReviewService::NewStub(channel_);
    s.writer = s.stub->StreamIngestReviews(s.context.get(), &s.summary);
    for (int i = 0; i < 500 + pending; ++i) {
      EXPECT_TRUE(s.writer->Write(MakeReview(absl::StrCat("s-", i), i)));
    }
    AwaitStoredReviews(500);
    return s;
  }

  // Finishing without half-closing waits for the server to end the call.
  void ExpectIngestStreamEnds(IngestStream& s, absl::Time since,
                              grpc::StatusCode code) {
    ExpectEndedPromptly(s.writer->Finish(), since, code);
    // The messages of the unfinished batch were not stored, and nothing
    // comes later.
    EXPECT_EQ(StoredReviews(), 500);
  }

  std::string tenant_;
  std::string admin_key_;
  CreatedKey key_;
};

TEST_F(RevocationTest, RevokeApiKeyEndsAlertStreamsBeforeItAnswers) {
  AlertStream s = OpenLiveAlertStream();
  RevokeThroughApi();
  const absl::Time revoked = absl::Now();
  // An alert raised now must not reach the revoked key's stream.
  auto after = Ingest(channel_, admin_key_, {UrgentReview("after")});
  ASSERT_TRUE(after.ok()) << after.status();
  ExpectAlertStreamEnds(s, revoked, grpc::StatusCode::UNAUTHENTICATED,
                        after->results(0).name());
}

TEST_F(RevocationTest, KeyRevokedInTheDatabaseEndsAlertStreams) {
  AlertStream s = OpenLiveAlertStream();
  ExecSql("UPDATE api_keys SET revoked = 1 WHERE id = ?", IdOf(key_.name));
  ExpectAlertStreamEnds(s, absl::Now(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RevocationTest, DeletedTenantEndsAlertStreamsAndRefusesItsKeys) {
  AlertStream s = OpenLiveAlertStream();
  // Only the tenant row, as a tool that does not know the schema would:
  // its keys then name a tenant that is gone.
  ExecSql("DELETE FROM tenants WHERE id = ?", IdOf(tenant_));
  ExpectAlertStreamEnds(s, absl::Now(), grpc::StatusCode::UNAUTHENTICATED);
  auto stub = opinia::v1::ReviewService::NewStub(channel_);
  opinia::v1::ListReviewsRequest request;
  opinia::v1::ListReviewsResponse response;
  const grpc::Status status =
      stub->ListReviews(ContextWithKey(key_.secret).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "the API key's tenant no longer exists");
}

TEST_F(RevocationTest, RemovedReadRoleEndsAlertStreamsPermissionDenied) {
  AlertStream s = OpenLiveAlertStream();
  ExecSql("UPDATE api_keys SET roles = 1 WHERE id = ?",  // ingest only
          IdOf(key_.name));
  ExpectAlertStreamEnds(s, absl::Now(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RevocationTest, RevokeApiKeyEndsIngestStreamsAndStoresNothingMore) {
  IngestStream s = OpenIngestStreamWithOneBatchStored(/*pending=*/100);
  RevokeThroughApi();
  const absl::Time revoked = absl::Now();
  for (int i = 0; i < 1000; ++i) {
    if (!s.writer->Write(MakeReview(absl::StrCat("late-", i), i))) break;
  }
  ExpectIngestStreamEnds(s, revoked, grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RevocationTest, KeyRevokedInTheDatabaseEndsIngestStreams) {
  IngestStream s = OpenIngestStreamWithOneBatchStored(/*pending=*/10);
  ExecSql("UPDATE api_keys SET revoked = 1 WHERE id = ?", IdOf(key_.name));
  ExpectIngestStreamEnds(s, absl::Now(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RevocationTest, RemovedIngestRoleEndsIngestStreamsPermissionDenied) {
  IngestStream s = OpenIngestStreamWithOneBatchStored(/*pending=*/10);
  ExecSql("UPDATE api_keys SET roles = 2 WHERE id = ?",  // read only
          IdOf(key_.name));
  ExpectIngestStreamEnds(s, absl::Now(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace opinia::testing
