// bench/replica_channel: the address list of --target, and a round_robin
// channel over two real opinia-server processes that spreads calls over
// both, fails over when one is SIGKILLed and uses it again once it is back
// on its port.
#include "bench/replica_channel.h"

#include <signal.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/api_helpers.h"
#include "tests/integration/server_process.h"

namespace opinia::bench {
namespace {

using ::testing::HasSubstr;
using testing::RawUnaryCall;
using testing::ServerProcess;

TEST(ParseReplicaTargetsTest, OneAddressIsPassedAsItIs) {
  for (const char* target :
       {"127.0.0.1:5001", "localhost:5001", "dns:///example.com:443",
        "unix:/tmp/opinia.sock"}) {
    auto parsed = ParseReplicaTargets(target, "--target");
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->target, target);
    EXPECT_EQ(parsed->replicas, 1);
    EXPECT_FALSE(parsed->round_robin);
  }
}

TEST(ParseReplicaTargetsTest, SeveralAddressesAreRoundRobin) {
  auto v4 = ParseReplicaTargets("127.0.0.1:5001, 127.0.0.1:5002,10.0.0.3:7",
                                "--target");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(v4->target, "ipv4:127.0.0.1:5001,127.0.0.1:5002,10.0.0.3:7");
  EXPECT_EQ(v4->replicas, 3);
  EXPECT_TRUE(v4->round_robin);

  auto v6 = ParseReplicaTargets("[::1]:5001,[::1]:5002", "--target");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->target, "ipv6:[::1]:5001,[::1]:5002");
  EXPECT_TRUE(v6->round_robin);
}

TEST(ParseReplicaTargetsTest, BadListsNameTheFlagAndTheAddress) {
  struct Case {
    const char* list;
    const char* culprit;
  };
  for (const Case& c : {Case{"127.0.0.1:1,localhost:2", "\"localhost:2\""},
                        Case{"127.0.0.1:1,[::1]:2", "\"[::1]:2\""},
                        Case{"127.0.0.1:1,127.0.0.1", "\"127.0.0.1\""},
                        Case{"127.0.0.1:1,127.0.0.1:99999", "99999"},
                        Case{"127.0.0.1:1,,127.0.0.1:2", "empty address"},
                        Case{"", "empty address"}}) {
    auto parsed = ParseReplicaTargets(c.list, "--stream-target");
    ASSERT_FALSE(parsed.ok()) << c.list;
    EXPECT_TRUE(absl::IsInvalidArgument(parsed.status())) << c.list;
    EXPECT_THAT(parsed.status().message(), HasSubstr("--stream-target"));
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.culprit));
  }
}

TEST(PeerAddressTest, DropsTheScheme) {
  EXPECT_EQ(PeerAddress("ipv4:127.0.0.1:5001"), "127.0.0.1:5001");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:5001"), "[::1]:5001");
  EXPECT_EQ(PeerAddress(""), "");
}

// Health checks need no key, so two servers with databases of their own
// serve them both; the answering address tells which replica took a call.
class RoundRobinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto* server : {&a_, &b_}) {
      auto started = ServerProcess::Start();
      ASSERT_TRUE(started.ok()) << started.status();
      *server = std::move(*started);
    }
    auto target = ParseReplicaTargets(
        absl::StrCat(a_->address(), ",", b_->address()), "--target");
    ASSERT_TRUE(target.ok()) << target.status();
    channel_ = NewReplicaChannel(*target);
  }

  // Calls Health/Check `n` times; the answers by replica address ("" counts
  // failed calls).
  std::map<std::string, int> Calls(int n) {
    std::map<std::string, int> by_replica;
    for (int i = 0; i < n; ++i) {
      std::string response;
      std::string peer;
      grpc::Status s = RawUnaryCall(channel_, "/grpc.health.v1.Health/Check",
                                    "", "", &response, &peer);
      ++by_replica[s.ok() ? PeerAddress(peer) : ""];
    }
    return by_replica;
  }

  // Calls until one succeeds on `address` or 10 s pass.
  bool AnswersFrom(const std::string& address) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      if (Calls(1).count(address) > 0) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  std::unique_ptr<ServerProcess> a_;
  std::unique_ptr<ServerProcess> b_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(RoundRobinTest, SpreadsCallsFailsOverAndComesBack) {
  // Both connected: calls alternate between the two.
  ASSERT_TRUE(AnswersFrom(a_->address()));
  ASSERT_TRUE(AnswersFrom(b_->address()));
  std::map<std::string, int> both = Calls(20);
  EXPECT_EQ(both[""], 0);
  EXPECT_GE(both[a_->address()], 8);
  EXPECT_GE(both[b_->address()], 8);

  // A killed: after at most a call or two that die with it, every call
  // goes to B.
  const std::string a_address = a_->address();
  ASSERT_TRUE(a_->Stop(SIGKILL).ok());
  ASSERT_TRUE(AnswersFrom(b_->address()));
  std::map<std::string, int> one = Calls(20);
  EXPECT_EQ(one[b_->address()], 20) << "failed: " << one[""];

  // A back on its port: the channel reconnects by itself and uses it again.
  a_->set_extra_args({absl::StrCat("--listen=", a_address)});
  ASSERT_TRUE(a_->Restart().ok());
  ASSERT_EQ(a_->address(), a_address);
  ASSERT_TRUE(AnswersFrom(a_address));
  std::map<std::string, int> again = Calls(20);
  EXPECT_EQ(again[""], 0);
  EXPECT_GE(again[a_address], 8);
  EXPECT_GE(again[b_->address()], 8);
}

}  // namespace
}  // namespace opinia::bench
