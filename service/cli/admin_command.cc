// `opinia tenants create|list`, `opinia keys create|list|revoke`.
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "opinia/v1/admin.grpc.pb.h"
#include "service/cli/command.h"
#include "service/cli/connection.h"
#include "service/cli/format.h"
#include "service/cli/table.h"

namespace opinia::cli {
namespace {

using opinia::v1::AdminService;

std::string RoleText(const opinia::v1::ApiKey& key) {
  std::vector<std::string> roles;
  for (int r : key.roles()) {
    std::string name = opinia::v1::Role_Name(static_cast<opinia::v1::Role>(r));
    if (name.rfind("ROLE_", 0) == 0) name = name.substr(5);
    roles.push_back(absl::AsciiStrToLower(name));
  }
  return roles.empty() ? "-" : absl::StrJoin(roles, ",");
}

int RunTenantsCreate(const Args& args,
                     const std::vector<std::string>& operands) {
  if (!operands.empty())
    return ReportUsageError("tenants create takes no operands");
  auto name = args.Get("name");
  if (!name || name->empty()) {
    return ReportUsageError("tenants create needs --name=DISPLAY_NAME");
  }
  opinia::v1::CreateTenantRequest request;
  request.set_tenant_id(args.GetOr("id", ""));
  request.mutable_tenant()->set_display_name(*name);
  request.mutable_tenant()->set_time_zone(args.GetOr("time-zone", ""));
  opinia::v1::Tenant tenant;
  if (int rc = CallOnce(args, &AdminService::Stub::CreateTenant, "CreateTenant",
                        request, &tenant)) {
    return rc;
  }
  PrintJsonOr(args, tenant, [&] {
    std::cout << "created " << tenant.name() << " (" << tenant.display_name()
              << ", " << tenant.time_zone() << ")\n";
  });
  return kExitOk;
}

int RunTenantsList(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty())
    return ReportUsageError("tenants list takes no operands");
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  opinia::v1::ListTenantsRequest request;
  request.set_page_size(1000);
  Table table(
      {{"NAME"}, {"DISPLAY NAME", 40}, {"TIME ZONE"}, {"CREATED (UTC)"}});
  do {
    opinia::v1::ListTenantsResponse response;
    if (!Call(**connection, &AdminService::Stub::ListTenants, "ListTenants",
              request, &response)) {
      return kExitRpcError;
    }
    for (const auto& t : response.tenants()) {
      if (args.Has("json")) {
        std::cout << ToJsonLine(t) << "\n";
      } else {
        table.AddRow({t.name(), t.display_name(), t.time_zone(),
                      ShortTime(t.create_time())});
      }
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  if (!args.Has("json")) table.Print(std::cout, 0);
  return kExitOk;
}

int RunKeysCreate(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty())
    return ReportUsageError("keys create takes no operands");
  opinia::v1::CreateApiKeyRequest request;
  auto* key = request.mutable_api_key();
  if (auto tenant = args.Get("tenant"))
    key->set_tenant(QualifyName("tenants", *tenant));
  key->set_display_name(args.GetOr("name", ""));
  auto roles = args.Get("roles");
  if (!roles || roles->empty()) {
    return ReportUsageError(
        "keys create needs --roles=ingest,read,respond,admin");
  }
  std::vector<opinia::v1::Role> role_list;
  std::string bad;
  if (!ParseEnumList(*roles, opinia::v1::Role_Parse, &role_list, &bad,
                     "ROLE_")) {
    return ReportUsageError(absl::StrCat("--roles: unknown role '", bad,
                                         "' (ingest, read, respond, admin)"));
  }
  for (auto role : role_list) key->add_roles(role);
  opinia::v1::CreateApiKeyResponse response;
  if (int rc = CallOnce(args, &AdminService::Stub::CreateApiKey, "CreateApiKey",
                        request, &response)) {
    return rc;
  }
  if (args.Has("secret-only")) {
    std::cout << response.secret() << "\n";
  } else if (args.Has("json")) {
    std::cout << ToJsonLine(response) << "\n";
  } else {
    const auto& k = response.api_key();
    std::cout << "created " << k.name() << " for "
              << (k.tenant().empty() ? "(operator)" : k.tenant()) << ", roles "
              << RoleText(k) << "\n"
              << "secret: " << response.secret() << "\n"
              << "The secret is shown only now; store it (e.g. export "
                 "OPINIA_KEY=...).\n";
  }
  return kExitOk;
}

int RunKeysList(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("keys list takes no operands");
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  opinia::v1::ListApiKeysRequest request;
  if (auto tenant = args.Get("tenant")) {
    request.set_tenant(QualifyName("tenants", *tenant));
  }
  request.set_page_size(1000);
  Table table({{"NAME"},
               {"TENANT"},
               {"ROLES"},
               {"DISPLAY NAME", 30},
               {"CREATED (UTC)"},
               {"REVOKED"}});
  do {
    opinia::v1::ListApiKeysResponse response;
    if (!Call(**connection, &AdminService::Stub::ListApiKeys, "ListApiKeys",
              request, &response)) {
      return kExitRpcError;
    }
    for (const auto& k : response.api_keys()) {
      if (args.Has("json")) {
        std::cout << ToJsonLine(k) << "\n";
      } else {
        table.AddRow({k.name(), k.tenant().empty() ? "(operator)" : k.tenant(),
                      RoleText(k), k.display_name(), ShortTime(k.create_time()),
                      k.revoked() ? "yes" : "no"});
      }
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  if (!args.Has("json")) table.Print(std::cout, 0);
  return kExitOk;
}

int RunKeysRevoke(const Args& args, const std::vector<std::string>& operands) {
  if (operands.size() != 1)
    return ReportUsageError("usage: opinia keys revoke NAME");
  opinia::v1::RevokeApiKeyRequest request;
  request.set_name(QualifyName("apiKeys", operands[0]));
  opinia::v1::ApiKey key;
  if (int rc = CallOnce(args, &AdminService::Stub::RevokeApiKey, "RevokeApiKey",
                        request, &key)) {
    return rc;
  }
  PrintJsonOr(args, key,
              [&] { std::cout << "revoked " << key.name() << "\n"; });
  return kExitOk;
}

int RunKeysWhoami(const Args& args, const std::vector<std::string>& operands) {
  if (!operands.empty()) return ReportUsageError("keys whoami takes no operands");
  opinia::v1::ApiKey key;
  if (int rc = CallOnce(args, &AdminService::Stub::GetCallerApiKey,
                        "GetCallerApiKey", opinia::v1::GetCallerApiKeyRequest(),
                        &key)) {
    return rc;
  }
  PrintJsonOr(args, key, [&] {
    std::cout << key.name() << "  "
              << (key.tenant().empty() ? "(operator)" : key.tenant()) << "  "
              << RoleText(key) << "\n";
  });
  return kExitOk;
}

}  // namespace

std::vector<Command> AdminCommands() {
  return {
      {{"tenants", "create"},
       "",
       "create a tenant (operator key)",
       {{"name", "DISPLAY_NAME", "the tenant's display name (required)"},
        {"id", "ID", "tenant id (default: generated)"},
        {"time-zone", "IANA",
         "time zone for SLAs and trends (default Europe/Warsaw)"}},
       RunTenantsCreate},
      {{"tenants", "list"},
       "",
       "list tenants (operator key)",
       {},
       RunTenantsList},
      {{"keys", "create"},
       "",
       "create an API key and print its secret (shown once)",
       {{"tenant", "tenants/ID",
         "the key's tenant (operator keys must name one)"},
        {"roles", "ingest,read,respond,admin", "the key's roles (required)"},
        {"name", "TEXT", "display name"},
        {"secret-only", "", "print only the secret (for scripts)"}},
       RunKeysCreate},
      {{"keys", "list"},
       "",
       "list API keys (never their secrets)",
       {{"tenant", "tenants/ID", "only this tenant's keys (operator keys)"}},
       RunKeysList},
      {{"keys", "revoke"},
       "NAME",
       "revoke an API key (NAME: apiKeys/ID or ID)",
       {},
       RunKeysRevoke},
      {{"keys", "whoami"},
       "",
       "the key in use: its name, tenant and roles (any key)",
       {},
       RunKeysWhoami},
  };
}

}  // namespace opinia::cli
