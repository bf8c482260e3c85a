#include "service/http/routes.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"

namespace opinia::http {

bool IsReadOnly(const google::protobuf::MethodDescriptor& method) {
  return absl::StartsWith(method.name(), "Get") ||
         absl::StartsWith(method.name(), "List");
}

std::string SseEventName(const google::protobuf::MethodDescriptor& method) {
  absl::string_view name = method.output_type()->name();
  if (name != "Event") absl::ConsumeSuffix(&name, "Event");
  return absl::AsciiStrToLower(name);
}

absl::StatusOr<RouteTable> RouteTable::ForServices(
    const std::vector<std::string>& service_names) {
  RouteTable table;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& name : service_names) {
    const google::protobuf::ServiceDescriptor* service =
        pool->FindServiceByName(name);
    if (service == nullptr) {
      return absl::NotFoundError(absl::StrCat("no service ", name));
    }
    table.services_.push_back(service);
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      Route route;
      route.path = absl::StrCat("/v1/", service->name(), "/", method->name());
      route.grpc_method =
          absl::StrCat("/", service->full_name(), "/", method->name());
      route.method = method;
      if (method->client_streaming() && method->server_streaming()) {
        route.kind = RouteKind::kBidiStream;
        route.post = true;
      } else if (method->server_streaming()) {
        route.kind = RouteKind::kServerStream;
        route.get = true;
      } else if (method->client_streaming()) {
        route.kind = RouteKind::kClientStream;
        route.post = true;
      } else {
        route.kind = RouteKind::kUnary;
        route.post = true;
        route.get = IsReadOnly(*method);
      }
      route.allow = route.get && route.post ? "GET, HEAD, POST, OPTIONS"
                    : route.get             ? "GET, HEAD, OPTIONS"
                                            : "POST, OPTIONS";
      table.by_path_.emplace(route.path, table.routes_.size());
      table.routes_.push_back(std::move(route));
    }
  }
  return table;
}

const Route* RouteTable::Find(absl::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : &routes_[it->second];
}

}  // namespace opinia::http
