#include "tests/integration/api_helpers.h"

#include <grpcpp/generic/generic_stub.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/unknown_field_set.h"
#include "tests/integration/server_process.h"

namespace opinia::testing {

absl::Status ToAbsl(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

absl::StatusOr<std::string> CreateTenant(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& operator_key, const std::string& display_name) {
  auto stub = opinia::v1::AdminService::NewStub(channel);
  opinia::v1::CreateTenantRequest request;
  request.mutable_tenant()->set_display_name(display_name);
  opinia::v1::Tenant tenant;
  auto context = ContextWithKey(operator_key);
  grpc::Status status = stub->CreateTenant(context.get(), request, &tenant);
  if (!status.ok()) return ToAbsl(status);
  return tenant.name();
}

absl::StatusOr<CreatedKey> CreateKey(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& admin_key,
    const std::string& tenant, const std::vector<opinia::v1::Role>& roles) {
  auto stub = opinia::v1::AdminService::NewStub(channel);
  opinia::v1::CreateApiKeyRequest request;
  request.mutable_api_key()->set_tenant(tenant);
  request.mutable_api_key()->set_display_name("integration test");
  for (auto role : roles) request.mutable_api_key()->add_roles(role);
  opinia::v1::CreateApiKeyResponse response;
  auto context = ContextWithKey(admin_key);
  grpc::Status status = stub->CreateApiKey(context.get(), request, &response);
  if (!status.ok()) return ToAbsl(status);
  if (response.secret().empty()) return absl::InternalError("empty secret");
  return CreatedKey{response.api_key().name(), response.secret()};
}

absl::StatusOr<TenantWithKey> CreateTenantWithKey(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& operator_key, const std::string& display_name) {
  auto tenant = CreateTenant(channel, operator_key, display_name);
  if (!tenant.ok()) return tenant.status();
  auto key = CreateKey(channel, operator_key, *tenant,
                       {opinia::v1::ROLE_INGEST, opinia::v1::ROLE_READ,
                        opinia::v1::ROLE_RESPOND, opinia::v1::ROLE_ADMIN});
  if (!key.ok()) return key.status();
  return TenantWithKey{*tenant, key->secret};
}

opinia::v1::ReviewInput MakeReview(const std::string& external_id, int i,
                                   const std::string& source) {
  static const char* const kTexts[] = {
      "Przesyłka dotarła szybko, produkt zgodny z opisem. Polecam!",
      "Towar uszkodzony, sprzedawca nie odpowiada na wiadomości.",
      "Średnio. Cena w porządku, ale opakowanie było zgniecione.",
      "Great quality, fast delivery, would buy again.",
      "Die Lieferung war pünktlich, aber die Qualität ist schlecht.",
  };
  opinia::v1::ReviewInput review;
  review.set_source(source);
  review.set_external_id(external_id);
  review.set_subject_id(absl::StrCat("product-", i % 7));
  review.set_author_name(absl::StrCat("Klient ", i));
  review.set_rating(1 + i % 5);
  review.set_text(absl::StrCat(kTexts[i % 5], " #", i));
  // Distinct times, some equal in pairs, so ordering ties are exercised too.
  review.mutable_create_time()->set_seconds(1767225600 + 60 * (i / 2));
  return review;
}

absl::StatusOr<opinia::v1::IngestSummary> StreamIngest(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    const std::vector<opinia::v1::ReviewInput>& reviews) {
  auto stub = opinia::v1::ReviewService::NewStub(channel);
  auto context = ContextWithKey(key);
  opinia::v1::IngestSummary summary;
  auto writer = stub->StreamIngestReviews(context.get(), &summary);
  for (const auto& r : reviews) {
    if (!writer->Write(r)) break;  // Finish says why
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) return ToAbsl(status);
  return summary;
}

absl::StatusOr<opinia::v1::Review> GetReview(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    const std::string& name) {
  auto stub = opinia::v1::ReviewService::NewStub(channel);
  opinia::v1::GetReviewRequest request;
  request.set_name(name);
  opinia::v1::Review review;
  grpc::Status status =
      stub->GetReview(ContextWithKey(key).get(), request, &review);
  if (!status.ok()) return ToAbsl(status);
  return review;
}

absl::StatusOr<opinia::v1::IngestReviewsResponse> Ingest(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    const std::vector<opinia::v1::ReviewInput>& reviews) {
  auto stub = opinia::v1::ReviewService::NewStub(channel);
  opinia::v1::IngestReviewsRequest request;
  for (const auto& r : reviews) *request.add_reviews() = r;
  opinia::v1::IngestReviewsResponse response;
  auto context = ContextWithKey(key);
  grpc::Status status = stub->IngestReviews(context.get(), request, &response);
  if (!status.ok()) return ToAbsl(status);
  if (response.results_size() != static_cast<int>(reviews.size())) {
    return absl::InternalError(
        absl::StrCat(response.results_size(), " results for ", reviews.size()));
  }
  return response;
}

absl::StatusOr<std::vector<std::string>> ListAllNames(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    const std::vector<int>& page_sizes, const std::string& order_by,
    int max_pages) {
  auto stub = opinia::v1::ReviewService::NewStub(channel);
  std::vector<std::string> names;
  opinia::v1::ListReviewsRequest request;
  request.set_order_by(order_by);
  for (int page = 0; page < max_pages; ++page) {
    request.set_page_size(page_sizes[page % page_sizes.size()]);
    opinia::v1::ListReviewsResponse response;
    auto context = ContextWithKey(key);
    grpc::Status status = stub->ListReviews(context.get(), request, &response);
    if (!status.ok()) return ToAbsl(status);
    if (response.reviews_size() > request.page_size()) {
      return absl::InternalError(
          absl::StrCat("page of ", response.reviews_size(), " for page_size ",
                       request.page_size()));
    }
    for (const auto& r : response.reviews()) names.push_back(r.name());
    if (response.next_page_token().empty()) return names;
    request.set_page_token(response.next_page_token());
  }
  return absl::InternalError("too many pages");
}

int HealthStatus(const std::shared_ptr<grpc::Channel>& channel) {
  std::string response;
  const grpc::Status status = RawUnaryCall(
      channel, "/grpc.health.v1.Health/Check", "", "", &response);
  if (!status.ok()) return -1;
  google::protobuf::UnknownFieldSet fields;
  if (!fields.ParseFromString(response) || fields.field_count() != 1) {
    return -1;
  }
  return static_cast<int>(fields.field(0).varint());
}

bool WaitForHealth(const std::shared_ptr<grpc::Channel>& channel, int want,
                   absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (HealthStatus(channel) == want) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

std::pair<int, int> HealthTransitionsLogged(const std::string& log) {
  const auto count = [&log](const std::string& what) {
    int n = 0;
    for (size_t at = log.find(what); at != std::string::npos;
         at = log.find(what, at + what.size())) {
      ++n;
    }
    return n;
  };
  return {count("database unreachable; health NOT_SERVING"),
          count("database reachable again; health SERVING")};
}

grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method, const std::string& request,
                          const std::string& key, std::string* response,
                          std::string* peer) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  auto context = ContextWithKey(key);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  auto call = stub.PrepareUnaryCall(context.get(), method, request_buffer, &cq);
  call->StartCall();
  grpc::ByteBuffer response_buffer;
  grpc::Status status;
  call->Finish(&response_buffer, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  if (!cq.Next(&tag, &ok) || !ok) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "completion queue failed");
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (peer != nullptr) *peer = context->peer();
  response->clear();
  if (status.ok()) {
    std::vector<grpc::Slice> slices;
    (void)response_buffer.Dump(&slices);
    for (const auto& s : slices) {
      response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return status;
}

std::string WireBytesField(int field_number, const std::string& payload) {
  std::string out(1, static_cast<char>((field_number << 3) | 2));
  size_t n = payload.size();
  do {
    uint8_t byte = n & 0x7F;
    n >>= 7;
    out += static_cast<char>(byte | (n ? 0x80 : 0));
  } while (n);
  return out + payload;
}

grpc::Status CreateWebhook(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& key, const std::string& url,
                           opinia::v1::Webhook* created) {
  auto stub = opinia::v1::AlertService::NewStub(channel);
  opinia::v1::CreateWebhookRequest request;
  request.mutable_webhook()->set_url(url);
  request.mutable_webhook()->set_secret("0123456789abcdef0123456789abcdef");
  return stub->CreateWebhook(ContextWithKey(key).get(), request, created);
}

grpc::Status CreateAlertOnEveryReview(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& key,
    opinia::v1::AlertRule* created) {
  auto stub = opinia::v1::AlertService::NewStub(channel);
  opinia::v1::CreateAlertRuleRequest request;
  request.mutable_rule()->set_display_name("every rated review");
  request.mutable_rule()->set_enabled(true);
  request.mutable_rule()->set_max_rating(5);
  return stub->CreateAlertRule(ContextWithKey(key).get(), request, created);
}

grpc::Status CreateCollector(const std::shared_ptr<grpc::Channel>& channel,
                             const std::string& key,
                             opinia::v1::Collector* created) {
  auto stub = opinia::v1::CollectorService::NewStub(channel);
  opinia::v1::CreateCollectorRequest request;
  auto* c = request.mutable_collector();
  c->set_kind(opinia::v1::GOOGLE_BUSINESS_PROFILE);
  c->set_endpoint(
      "https://mybusiness.googleapis.com/v4/accounts/1/locations/2/reviews");
  (*c->mutable_credentials())["bearer_token"] = "token";
  c->set_source("google");
  c->set_poll_interval_seconds(0);
  return stub->CreateCollector(ContextWithKey(key).get(), request, created);
}

}  // namespace opinia::testing
