// tenant_fairness: what tenant B sees while tenant A's 20 collectors wait on
// a 5 s feed and A's 8 webhooks on a receiver that never answers (issue 22,
// item 5): B's ListReviews p50/p99, B's webhook delay and B's scheduled
// collector's first run. A real opinia-server (the build's, or
// $OPINIA_SERVER_BINARY) and real loopback HTTP servers; the scenario is the
// one tenant_fairness_test asserts on (tests/integration/fairness_scenario.h).
//
// Run: build/bench/opinia_tenant_fairness [--runs=N]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "tests/integration/fairness_scenario.h"
#include "tests/integration/server_process.h"

int main(int argc, char** argv) {
  int runs = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!absl::StartsWith(arg, "--runs=") ||
        !absl::SimpleAtoi(arg.substr(7), &runs) || runs < 1) {
      std::fprintf(stderr, "usage: %s [--runs=N]\n", argv[0]);
      return 2;
    }
  }
  using opinia::testing::ServerProcess;
  std::printf("server: %s\n", opinia::testing::ServerBinaryPath().c_str());
  for (int run = 1; run <= runs; ++run) {
    auto server = ServerProcess::Start(opinia::testing::LoopbackOutboundArgs());
    if (!server.ok()) {
      std::fprintf(stderr, "server: %s\n", server.status().ToString().c_str());
      return 1;
    }
    auto report = opinia::testing::RunFairnessScenario(**server);
    if (!report.ok()) {
      std::fprintf(stderr, "scenario: %s\n",
                   report.status().ToString().c_str());
      return 1;
    }
    std::printf("run %d\n%s", run, report->Describe().c_str());
    std::fflush(stdout);
  }
  return 0;
}
