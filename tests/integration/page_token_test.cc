// Page tokens are tamper-evident: one character changed, a token cut short
// or one issued to another tenant is INVALID_ARGUMENT naming page_token,
// never some other page; a token still works after a restart on the same
// database.
#include <csignal>
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "opinia/v1/admin.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace opinia::testing {
namespace {

// One list RPC: returns the status of a call with `page_size` 1 and
// `token`, and the next page's token.
using ListFn =
    std::function<grpc::Status(const std::string& token, std::string* next)>;

// Calls `method` of `Service` on a fresh channel to `server` with `key`.
template <typename Service, typename Request, typename Response>
ListFn Lister(const ServerProcess* server,
              grpc::Status (Service::Stub::*method)(grpc::ClientContext*,
                                                     const Request&,
                                                     Response*),
              const std::string& key) {
  return [server, method, key](const std::string& token, std::string* next) {
    auto stub = Service::NewStub(server->NewChannel());
    Request request;
    request.set_page_size(1);
    request.set_page_token(token);
    Response response;
    grpc::Status s =
        ((*stub).*method)(ContextWithKey(key).get(), request, &response);
    *next = response.next_page_token();
    return s;
  };
}

class PageTokenTest : public ServerTest {
 protected:
  ListFn ListReviews(const std::string& key) {
    return Lister<opinia::v1::ReviewService>(
        server_.get(), &opinia::v1::ReviewService::Stub::ListReviews, key);
  }

  // A second-page token of `list`.
  static std::string FirstToken(const ListFn& list) {
    std::string next;
    grpc::Status s = list("", &next);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_FALSE(next.empty());
    return next;
  }

  static void ExpectRefused(const ListFn& list, const std::string& token,
                            const std::string& what) {
    std::string next;
    grpc::Status s = list(token, &next);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << what << ": " << token;
    EXPECT_EQ(s.error_message().rfind("page_token: ", 0), 0u)
        << what << ": " << s.error_message();
  }
};

TEST_F(PageTokenTest, ChangedCutForeignAndRestartedTokens) {
  const TenantWithKey shop = NewTenant("paged a");
  const TenantWithKey other = NewTenant("paged b");
  for (const TenantWithKey* t : {&shop, &other}) {
    auto ingested =
        Ingest(channel_, t->key,
               {MakeReview("r1", 1), MakeReview("r2", 2), MakeReview("r3", 3)});
    ASSERT_TRUE(ingested.ok()) << ingested.status();
  }
  const std::vector<std::pair<std::string, ListFn>> lists = {
      {"ListReviews", ListReviews(shop.key)},
      {"ListTenants",
       Lister<opinia::v1::AdminService>(
           server_.get(), &opinia::v1::AdminService::Stub::ListTenants,
           operator_key())},
      {"ListApiKeys",
       Lister<opinia::v1::AdminService>(
           server_.get(), &opinia::v1::AdminService::Stub::ListApiKeys,
           operator_key())}};
  std::vector<std::string> tokens;
  for (const auto& [name, list] : lists) {
    SCOPED_TRACE(name);
    const std::string token = FirstToken(list);
    tokens.push_back(token);
    for (size_t i = 0; i < token.size(); ++i) {
      std::string changed = token;
      changed[i] = token[i] == 'A' ? 'B' : 'A';
      ExpectRefused(list, changed, "character " + std::to_string(i));
    }
    ExpectRefused(list, token.substr(0, token.size() - 1), "cut short");
    std::string next;
    grpc::Status s = list(token, &next);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  // Another tenant's token, for the same query otherwise.
  ExpectRefused(ListReviews(shop.key), FirstToken(ListReviews(other.key)),
                "other tenant");

  // Replicas on one database (here: the same server restarted) share the
  // key, so tokens stay good.
  ASSERT_TRUE(server_->Stop(SIGTERM).ok());
  ASSERT_TRUE(server_->Restart().ok());
  for (size_t i = 0; i < lists.size(); ++i) {
    std::string next;
    grpc::Status s = lists[i].second(tokens[i], &next);
    EXPECT_TRUE(s.ok()) << lists[i].first << ": " << s.error_message();
  }
}

}  // namespace
}  // namespace opinia::testing
