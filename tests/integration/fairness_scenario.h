// One tenant with slow and hanging endpoints against another tenant's
// calls, fetches and webhooks (issue 22, item 5), on a real server and real
// loopback HTTP servers. Shared by tenant_fairness_test (which asserts the
// bounds) and bench/tenant_fairness (which prints the numbers).
//
// Tenant A: `a_collectors` JSON-feed collectors (scheduled every 60 s, so
// the scheduler queues them at once, and each also run by RunCollector with
// a `run_deadline` deadline) on a feed that answers after `slow_feed`, and
// `a_webhooks` webhooks to a receiver that never answers, fed by A's
// alerts. Once A's fetches and POSTs are in flight, tenant B: ListReviews
// `list_calls` times, one due every `list_every` (from 8 client threads;
// a call's latency counts from when it was due), a scheduled collector on
// a feed that answers at once, and one ingested review whose alert goes to
// B's webhook.
#ifndef OPINIA_TESTS_INTEGRATION_FAIRNESS_SCENARIO_H_
#define OPINIA_TESTS_INTEGRATION_FAIRNESS_SCENARIO_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"
#include "tests/integration/server_process.h"
#include "tests/testing/http_server.h"

namespace opinia::testing {

// Extra server arguments for a server whose collectors and webhooks call
// loopback HTTP servers: the outbound address policy (issue 22 item 1,
// --outbound-allow=127.0.0.0/8,::1/128) when the server binary has it.
std::vector<std::string> LoopbackOutboundArgs();

// Answers of a loopback HTTP server that wait while the gate is closed
// (an endpoint that hangs until the test lets it go). Open() releases every
// waiting answer; the destructor opens it, so HTTP servers stop promptly.
class HttpGate {
 public:
  ~HttpGate() { Open(); }
  void Open();
  // Waits while closed (at most `limit`), then answers `response`.
  HttpResponse Hold(HttpResponse response,
                    absl::Duration limit = absl::Minutes(10));

 private:
  absl::Mutex mutex_;
  bool open_ ABSL_GUARDED_BY(mutex_) = false;
};

// A JSON feed page of `n` reviews "<prefix>1".."<prefix>n" and the mapping
// a JSON_FEED collector needs for it.
std::string FeedPage(const std::string& prefix, int n);
std::map<std::string, std::string> FeedMapping();

struct FairnessOptions {
  int a_collectors = 20;
  int a_webhooks = 8;
  absl::Duration slow_feed = absl::Seconds(5);
  absl::Duration run_deadline = absl::Seconds(1);
  int list_calls = 300;
  absl::Duration list_every = absl::Milliseconds(10);
  absl::Duration list_deadline = absl::Seconds(10);
  // How long to wait for B's webhook and B's collector before giving up.
  absl::Duration patience = absl::Seconds(30);
};

struct FairnessReport {
  // B's ListReviews, from due to answered, sorted.
  std::vector<absl::Duration> list_latency;
  int list_errors = 0;
  // B's ingest acknowledged -> its receiver got the POST.
  absl::Duration b_webhook = absl::InfiniteDuration();
  // B's scheduled collector created -> its first run succeeded.
  absl::Duration b_collector = absl::InfiniteDuration();
  // A's RunCollector calls: status codes, and the slowest answer.
  std::map<grpc::StatusCode, int> a_run_codes;
  absl::Duration a_run_slowest = absl::ZeroDuration();
  // What A's endpoints had received when B started.
  size_t a_feed_requests = 0;
  size_t a_webhook_posts = 0;

  // The p-th percentile (0..100) of list_latency.
  absl::Duration ListPercentile(double p) const;
  // The numbers, one per line.
  std::string Describe() const;
};

// Fails on setup errors only; the numbers are the caller's to judge.
absl::StatusOr<FairnessReport> RunFairnessScenario(
    ServerProcess& server, const FairnessOptions& options = {});

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_INTEGRATION_FAIRNESS_SCENARIO_H_
