// AlertService, InsightsService and CollectorService are placeholders:
// they demand a valid key first, then answer UNIMPLEMENTED naming the issue.
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/service/rpc/rpc_fixture.h"

namespace opinia::rpc {
namespace {

using grpc::StatusCode;

class PlannedServicesTest : public testing::RpcTest {};

TEST_F(PlannedServicesTest, AuthenticateThenUnimplementedNamingTheIssue) {
  auto alerts = opinia::v1::AlertService::NewStub(channel_);
  auto insights = opinia::v1::InsightsService::NewStub(channel_);
  auto collectors = opinia::v1::CollectorService::NewStub(channel_);
  struct Case {
    const char* name;
    const char* issue;
    std::function<grpc::Status(const std::string&)> call;
  } cases[] = {
      {"GetReputationSummary", "insights",
       [&](const std::string& key) {
         opinia::v1::ReputationSummary out;
         return insights->GetReputationSummary(Ctx(key).get(), {}, &out);
       }},
      {"GetTrends", "insights",
       [&](const std::string& key) {
         opinia::v1::Trends out;
         return insights->GetTrends(Ctx(key).get(), {}, &out);
       }},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.call("").error_code(), StatusCode::UNAUTHENTICATED) << c.name;
    EXPECT_EQ(c.call("opk_wrong").error_code(), StatusCode::UNAUTHENTICATED)
        << c.name;
    grpc::Status s = c.call(a_.all);
    EXPECT_EQ(s.error_code(), StatusCode::UNIMPLEMENTED) << c.name;
    EXPECT_NE(s.error_message().find(std::string("the ") + c.issue + " issue"),
              std::string::npos)
        << c.name << ": " << s.error_message();
  }
}

}  // namespace
}  // namespace opinia::rpc
