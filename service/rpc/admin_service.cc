#include "service/rpc/admin_service.h"

#include "service/rpc/call.h"

namespace opinia::rpc {

using core::Principal;

grpc::ServerUnaryReactor* AdminServiceImpl::CreateTenant(
    grpc::CallbackServerContext* context,
    const opinia::v1::CreateTenantRequest* request,
    opinia::v1::Tenant* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return deps_.admin->CreateTenant(p, *request);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListTenants(
    grpc::CallbackServerContext* context,
    const opinia::v1::ListTenantsRequest* request,
    opinia::v1::ListTenantsResponse* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return deps_.admin->ListTenants(p, *request);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreateApiKey(
    grpc::CallbackServerContext* context,
    const opinia::v1::CreateApiKeyRequest* request,
    opinia::v1::CreateApiKeyResponse* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return deps_.admin->CreateApiKey(p, *request);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListApiKeys(
    grpc::CallbackServerContext* context,
    const opinia::v1::ListApiKeysRequest* request,
    opinia::v1::ListApiKeysResponse* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return deps_.admin->ListApiKeys(p, *request);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::RevokeApiKey(
    grpc::CallbackServerContext* context,
    const opinia::v1::RevokeApiKeyRequest* request,
    opinia::v1::ApiKey* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return deps_.admin->RevokeApiKey(p, *request);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::RescoreReviews(
    grpc::CallbackServerContext* context,
    const opinia::v1::RescoreReviewsRequest* request,
    opinia::v1::RescoreReviewsResponse* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return deps_.ingestor->Rescore(p, *request);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::GetTenantSettings(
    grpc::CallbackServerContext* context,
    const opinia::v1::GetTenantSettingsRequest* request,
    opinia::v1::TenantSettings* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return deps_.settings->Get(p, *request);
  });
}

grpc::ServerUnaryReactor* AdminServiceImpl::UpdateTenantSettings(
    grpc::CallbackServerContext* context,
    const opinia::v1::UpdateTenantSettingsRequest* request,
    opinia::v1::TenantSettings* response) {
  return Respond(context, deps_, response, [this, request](const Principal& p) {
    return deps_.settings->Update(p, *request);
  });
}

}  // namespace opinia::rpc
