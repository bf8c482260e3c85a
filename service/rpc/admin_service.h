// AdminService: tenants, API keys, rescoring. Thin: authentication here;
// who may call what in core/auth/authorization.h, the tenant scoping of
// operator and tenant keys in core::Admin / core::Ingestor.
#ifndef OPINIA_SERVICE_RPC_ADMIN_SERVICE_H_
#define OPINIA_SERVICE_RPC_ADMIN_SERVICE_H_

#include "opinia/v1/admin.grpc.pb.h"
#include "service/rpc/deps.h"

namespace opinia::rpc {

class AdminServiceImpl final : public opinia::v1::AdminService::CallbackService {
 public:
  explicit AdminServiceImpl(Deps deps) : deps_(deps) {}

  grpc::ServerUnaryReactor* CreateTenant(
      grpc::CallbackServerContext* context,
      const opinia::v1::CreateTenantRequest* request,
      opinia::v1::Tenant* response) override;
  grpc::ServerUnaryReactor* ListTenants(
      grpc::CallbackServerContext* context,
      const opinia::v1::ListTenantsRequest* request,
      opinia::v1::ListTenantsResponse* response) override;
  grpc::ServerUnaryReactor* CreateApiKey(
      grpc::CallbackServerContext* context,
      const opinia::v1::CreateApiKeyRequest* request,
      opinia::v1::CreateApiKeyResponse* response) override;
  grpc::ServerUnaryReactor* ListApiKeys(
      grpc::CallbackServerContext* context,
      const opinia::v1::ListApiKeysRequest* request,
      opinia::v1::ListApiKeysResponse* response) override;
  grpc::ServerUnaryReactor* RevokeApiKey(
      grpc::CallbackServerContext* context,
      const opinia::v1::RevokeApiKeyRequest* request,
      opinia::v1::ApiKey* response) override;
  grpc::ServerUnaryReactor* RescoreReviews(
      grpc::CallbackServerContext* context,
      const opinia::v1::RescoreReviewsRequest* request,
      opinia::v1::RescoreReviewsResponse* response) override;
  grpc::ServerUnaryReactor* GetTenantSettings(
      grpc::CallbackServerContext* context,
      const opinia::v1::GetTenantSettingsRequest* request,
      opinia::v1::TenantSettings* response) override;
  grpc::ServerUnaryReactor* UpdateTenantSettings(
      grpc::CallbackServerContext* context,
      const opinia::v1::UpdateTenantSettingsRequest* request,
      opinia::v1::TenantSettings* response) override;
  grpc::ServerUnaryReactor* GetCallerApiKey(
      grpc::CallbackServerContext* context,
      const opinia::v1::GetCallerApiKeyRequest* request,
      opinia::v1::ApiKey* response) override;

 private:
  const Deps deps_;
};

}  // namespace opinia::rpc

#endif  // OPINIA_SERVICE_RPC_ADMIN_SERVICE_H_
