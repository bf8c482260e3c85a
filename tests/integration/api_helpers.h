// Small helpers over the generated stubs shared by the integration tests:
// tenant/key setup, review builders, paging through ListReviews.
#ifndef OPINIA_TESTS_INTEGRATION_API_HELPERS_H_
#define OPINIA_TESTS_INTEGRATION_API_HELPERS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "opinia/v1/admin.grpc.pb.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/collectors.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"

namespace opinia::testing {

// Converts a failed gRPC status into an absl one with the same code.
absl::Status ToAbsl(const grpc::Status& status);

// Creates a tenant with the operator key; returns "tenants/{id}".
absl::StatusOr<std::string> CreateTenant(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& operator_key, const std::string& display_name);

// Creates a key for `tenant` with `roles`; returns {name, secret}.
struct CreatedKey {
  std::string name;
  std::string secret;
};
absl::StatusOr<CreatedKey> CreateKey(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& admin_key,
    const std::string& tenant, const std::vector<opinia::v1::Role>& roles);

// A tenant plus one key holding all four tenant roles.
struct TenantWithKey {
  std::string tenant;
  std::string key;
};
absl::StatusOr<TenantWithKey> CreateTenantWithKey(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& operator_key, const std::string& display_name);

// A valid review; `i` varies the text and the create time (minutes apart).
opinia::v1::ReviewInput MakeReview(const std::string& external_id, int i,
                                   const std::string& source = "allegro");

// Ingests `reviews` in one call.
absl::StatusOr<opinia::v1::IngestReviewsResponse> Ingest(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    const std::vector<opinia::v1::ReviewInput>& reviews);

// Sends `reviews` on one StreamIngestReviews call; its summary.
absl::StatusOr<opinia::v1::IngestSummary> StreamIngest(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    const std::vector<opinia::v1::ReviewInput>& reviews);

// GetReview of `name` with `key`.
absl::StatusOr<opinia::v1::Review> GetReview(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    const std::string& name);

// Every review name, following next_page_token with the given page sizes in
// turn (cycled). Fails on an error or after `max_pages` pages.
absl::StatusOr<std::vector<std::string>> ListAllNames(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    const std::vector<int>& page_sizes, const std::string& order_by = "",
    int max_pages = 100000);

// Calls a unary method ("/pkg.Service/Method") with raw request bytes, so a
// test can send what a generated stub would refuse to build (invalid UTF-8).
// `key` empty: no authorization header. `peer`, when given, receives the
// address that answered (ClientContext::peer(), e.g. "ipv4:127.0.0.1:PORT").
grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method, const std::string& request,
                          const std::string& key, std::string* response,
                          std::string* peer = nullptr);

// grpc.health.v1.HealthCheckResponse.status of service "" (1 SERVING,
// 2 NOT_SERVING); -1 when the call fails.
int HealthStatus(const std::shared_ptr<grpc::Channel>& channel);
// Polls HealthStatus every 100 ms until it is `want`; false after `timeout`.
bool WaitForHealth(const std::shared_ptr<grpc::Channel>& channel, int want,
                   absl::Duration timeout);
// How many times a server's `log` says health went NOT_SERVING (the
// database unreachable) and SERVING again: {down, up}.
std::pair<int, int> HealthTransitionsLogged(const std::string& log);

// Protobuf wire encoding of one length-delimited field.
std::string WireBytesField(int field_number, const std::string& payload);

// Creates a webhook to `url` (a host name that is never resolved unless an
// alert is raised) with a 32-byte secret.
grpc::Status CreateWebhook(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& key, const std::string& url,
                           opinia::v1::Webhook* created);
// Creates an enabled alert rule that raises an alert for every rated
// review (max_rating 5).
grpc::Status CreateAlertOnEveryReview(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    opinia::v1::AlertRule* created);

// Creates a Google Business Profile collector that only runs on
// RunCollector (poll_interval_seconds 0).
grpc::Status CreateCollector(const std::shared_ptr<grpc::Channel>& channel,
                             const std::string& key,
                             opinia::v1::Collector* created);

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_INTEGRATION_API_HELPERS_H_
