// Collector management: validation naming fields, credentials input-only,
// tenant isolation, roles, update masks.
#include <string>

#include "gtest/gtest.h"
#include "tests/service/core/collectors/collector_env.h"

namespace opinia::core::collectors {
namespace {

using opinia::v1::Collector;
using testing::CollectorEnv;

class CrudTest : public CollectorEnv {
 protected:
  static Collector Valid() {
    Collector c;
    c.set_kind(opinia::v1::GOOGLE_BUSINESS_PROFILE);
    c.set_endpoint(
        "https://mybusiness.googleapis.com/v4/accounts/1/locations/2/reviews");
    (*c.mutable_credentials())["bearer_token"] = "secret-token";
    c.set_source("google");
    c.set_poll_interval_seconds(3600);
    return c;
  }
  absl::StatusOr<Collector> Create(const Collector& c,
                                   const Principal* who = nullptr) {
    opinia::v1::CreateCollectorRequest req;
    *req.mutable_collector() = c;
    return collectors_->Create(who ? *who : admin_, req);
  }
};

TEST_F(CrudTest, ValidationNamesTheField) {
  const struct {
    const char* name;
    std::function<void(Collector&)> change;
    const char* field;
  } cases[] = {
      {"no kind", [](Collector& c) { c.clear_kind(); }, "collector.kind"},
      {"ftp", [](Collector& c) { c.set_endpoint("ftp://x/reviews"); },
       "collector.endpoint"},
      {"no host", [](Collector& c) { c.set_endpoint("https:///reviews"); },
       "collector.endpoint"},
      {"gbp not reviews",
       [](Collector& c) { c.set_endpoint("https://x/v4/accounts/1"); },
       "collector.endpoint"},
      {"no source", [](Collector& c) { c.clear_source(); }, "collector.source"},
      {"poll too often", [](Collector& c) { c.set_poll_interval_seconds(5); },
       "collector.poll_interval_seconds"},
      {"poll negative", [](Collector& c) { c.set_poll_interval_seconds(-1); },
       "collector.poll_interval_seconds"},
      {"gbp without token",
       [](Collector& c) { c.mutable_credentials()->clear(); },
       "collector.credentials[\"bearer_token\"]"},
      {"unknown credential",
       [](Collector& c) { (*c.mutable_credentials())["password"] = "x"; },
       "collector.credentials[\"password\"]"},
      {"mapping on a platform",
       [](Collector& c) { (*c.mutable_mapping())["text"] = "x"; },
       "collector.mapping"},
      {"feed without mapping",
       [](Collector& c) {
         c.set_kind(opinia::v1::JSON_FEED);
         c.mutable_credentials()->clear();
       },
       "collector.mapping"},
      {"trustpilot without api_key",
       [](Collector& c) {
         c.set_kind(opinia::v1::TRUSTPILOT);
         c.mutable_credentials()->clear();
       },
       "collector.credentials[\"api_key\"]"},
  };
  for (const auto& c : cases) {
    Collector in = Valid();
    c.change(in);
    auto s = Create(in).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(s.message().find(c.field), std::string::npos)
        << c.name << ": " << s;
  }
  EXPECT_TRUE(Create(Valid()).ok());
}

TEST_F(CrudTest, CredentialsAreNeverReturned) {
  auto created = Create(Valid());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->credentials().empty());
  EXPECT_EQ(created->DebugString().find("secret-token"), std::string::npos);
  EXPECT_EQ(Get(created->name()).DebugString().find("secret-token"),
            std::string::npos);
  auto list = collectors_->List(admin_, {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->collectors_size(), 1);
  EXPECT_EQ(list->DebugString().find("secret-token"), std::string::npos);
  EXPECT_TRUE(list->collectors(0).state().has_next_run_time());
}

TEST_F(CrudTest, TenantIsolationAndRoles) {
  auto created = Create(Valid());
  ASSERT_TRUE(created.ok());
  const Principal other{"k2", "shop-b", core::kRoleAdmin};
  opinia::v1::GetCollectorRequest get;
  get.set_name(created->name());
  EXPECT_EQ(collectors_->Get(other, get).status().code(),
            absl::StatusCode::kNotFound);
  auto other_list = collectors_->List(other, {});
  ASSERT_TRUE(other_list.ok());
  EXPECT_EQ(other_list->collectors_size(), 0);
  opinia::v1::RunCollectorRequest run;
  run.set_name(created->name());
  EXPECT_EQ(collectors_->Run(other, run).status().code(),
            absl::StatusCode::kNotFound);
  const Principal reader{"k3", "shop-a", core::kRoleRead};
  EXPECT_EQ(collectors_->Get(reader, get).status().code(),
            absl::StatusCode::kPermissionDenied);
  const Principal op{"k4", "", core::kRoleAdmin};
  EXPECT_EQ(Create(Valid(), &op).status().code(),
            absl::StatusCode::kPermissionDenied);
  get.set_name("collectors/x");
  EXPECT_EQ(collectors_->Get(admin_, get).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CrudTest, UpdateMaskAndDelete) {
  auto created = Create(Valid());
  ASSERT_TRUE(created.ok());
  opinia::v1::UpdateCollectorRequest up;
  up.mutable_collector()->set_name(created->name());
  up.mutable_collector()->set_poll_interval_seconds(0);
  up.mutable_collector()->set_source("ignored");
  up.mutable_update_mask()->add_paths("poll_interval_seconds");
  auto updated = collectors_->Update(admin_, up);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->poll_interval_seconds(), 0);
  EXPECT_EQ(updated->source(), "google") << "outside the mask";
  EXPECT_FALSE(updated->state().has_next_run_time());
  up.mutable_update_mask()->set_paths(0, "colour");
  auto bad = collectors_->Update(admin_, up);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("update_mask"), std::string::npos);
  up.mutable_update_mask()->set_paths(0, "credentials");
  bad = collectors_->Update(admin_, up);
  EXPECT_NE(bad.status().message().find("bearer_token"), std::string::npos)
      << "credentials cleared: validated like on create";

  opinia::v1::DeleteCollectorRequest del;
  del.set_name(created->name());
  EXPECT_TRUE(collectors_->Delete(admin_, del).ok());
  EXPECT_EQ(collectors_->Delete(admin_, del).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace opinia::core::collectors
