#include "service/rpc/admin_service.h"

#include "service/rpc/call.h"

namespace opinia::rpc {

OPINIA_UNARY_HANDLER(AdminServiceImpl, CreateTenant, CreateTenantRequest,
                     Tenant, deps_.admin->CreateTenant(caller, *request))
OPINIA_UNARY_HANDLER(AdminServiceImpl, ListTenants, ListTenantsRequest,
                     ListTenantsResponse,
                     deps_.admin->ListTenants(caller, *request))
OPINIA_UNARY_HANDLER(AdminServiceImpl, CreateApiKey, CreateApiKeyRequest,
                     CreateApiKeyResponse,
                     deps_.admin->CreateApiKey(caller, *request))
OPINIA_UNARY_HANDLER(AdminServiceImpl, ListApiKeys, ListApiKeysRequest,
                     ListApiKeysResponse,
                     deps_.admin->ListApiKeys(caller, *request))
OPINIA_UNARY_HANDLER(AdminServiceImpl, RevokeApiKey, RevokeApiKeyRequest,
                     ApiKey, deps_.admin->RevokeApiKey(caller, *request))
OPINIA_UNARY_HANDLER(AdminServiceImpl, RescoreReviews, RescoreReviewsRequest,
                     RescoreReviewsResponse,
                     deps_.ingestor->Rescore(caller, *request))
OPINIA_UNARY_HANDLER(AdminServiceImpl, GetTenantSettings,
                     GetTenantSettingsRequest, TenantSettings,
                     deps_.settings->Get(caller, *request))
OPINIA_UNARY_HANDLER(AdminServiceImpl, UpdateTenantSettings,
                     UpdateTenantSettingsRequest, TenantSettings,
                     deps_.settings->Update(caller, *request))
OPINIA_UNARY_HANDLER(AdminServiceImpl, GetCallerApiKey, GetCallerApiKeyRequest,
                     ApiKey, deps_.admin->GetCallerApiKey(caller, *request))

}  // namespace opinia::rpc
