#include "service/http/json_codec.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "service/rpc/google_rpc_status.pb.h"

namespace opinia::http {
namespace {

namespace pb = google::protobuf;

// json_util's messages, e.g. "(reviews[0]) foo: Cannot find field." or
// "(priorities[1]): invalid value \"PX\" for type ...", as
// "reviews[0].foo: unknown field" / "priorities[1]: invalid value ...";
// a syntax error ("Unexpected token.\n<excerpt>\n^") keeps its first line.
std::string FieldError(absl::string_view raw) {
  absl::string_view line = raw.substr(0, raw.find('\n'));
  if (absl::ConsumePrefix(&line, "(")) {
    const size_t close = line.find(')');
    if (close != absl::string_view::npos) {
      std::string path(line.substr(0, close));
      absl::string_view rest = line.substr(close + 1);
      if (!absl::ConsumePrefix(&rest, ":")) {
        // " foo: Cannot find field."
        const size_t colon = rest.find(':');
        absl::string_view field =
            absl::StripAsciiWhitespace(rest.substr(0, colon));
        if (!path.empty()) path.push_back('.');
        absl::StrAppend(&path, field);
        rest = colon == absl::string_view::npos ? "" : rest.substr(colon + 1);
      }
      rest = absl::StripAsciiWhitespace(rest);
      if (absl::StartsWith(rest, "Cannot find field")) rest = "unknown field";
      if (path.empty()) return std::string(rest);
      return absl::StrCat(path, ": ", rest);
    }
  }
  line = absl::StripAsciiWhitespace(absl::StripPrefix(line, ":"));
  // A top-level field: "foo: Cannot find field."
  if (absl::ConsumeSuffix(&line, ": Cannot find field.")) {
    return absl::StrCat(line, ": unknown field");
  }
  return absl::StrCat("request body is not valid JSON for this method: ",
                      line);
}

bool IsWrapper(const pb::Descriptor* type) {
  return type->file()->name() == "google/protobuf/wrappers.proto";
}

// A message type whose JSON form is a string (Timestamp, Duration,
// FieldMask) or a scalar (the wrappers), so that a parameter can set it.
bool IsScalarLike(const pb::Descriptor* type) {
  const std::string& name = type->full_name();
  return name == "google.protobuf.Timestamp" ||
         name == "google.protobuf.Duration" ||
         name == "google.protobuf.FieldMask" || IsWrapper(type);
}

// One query value as the JSON value of `field`: bools as JSON booleans
// (when they are "true" or "false"; anything else goes to the parser as a
// string, which refuses it naming the field), everything else as a string
// (proto3 JSON accepts numbers as strings; enums by name).
pb::Value QueryValue(const pb::FieldDescriptor* field, const std::string& v) {
  pb::Value value;
  bool is_bool = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_BOOL;
  if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE &&
      IsWrapper(field->message_type())) {
    is_bool = field->message_type()->full_name() == "google.protobuf.BoolValue";
  }
  if (is_bool && (v == "true" || v == "false")) {
    value.set_bool_value(v == "true");
  } else {
    value.set_string_value(v);
  }
  return value;
}

const pb::FieldDescriptor* FindField(const pb::Descriptor* type,
                                     absl::string_view name) {
  const pb::FieldDescriptor* field = type->FindFieldByName(std::string(name));
  if (field == nullptr) {
    field = type->FindFieldByCamelcaseName(std::string(name));
  }
  return field;
}

absl::Status SetQueryParameter(const pb::Descriptor* type,
                               const std::string& key,
                               const std::vector<std::string>& values,
                               pb::Struct* root) {
  const std::vector<absl::string_view> path = absl::StrSplit(key, '.');
  pb::Struct* target = root;
  for (size_t i = 0; i < path.size(); ++i) {
    const pb::FieldDescriptor* field = FindField(type, path[i]);
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter \"", key, "\": ", type->full_name(),
                       " has no field \"", path[i], "\""));
    }
    const bool last = i + 1 == path.size();
    if (field->is_map()) {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter \"", key, "\": map field \"",
                       field->name(),
                       "\" cannot be set in the URL; send a JSON body with "
                       "POST"));
    }
    const bool message = field->cpp_type() ==
                         pb::FieldDescriptor::CPPTYPE_MESSAGE;
    if (!last) {
      if (!message || field->is_repeated() ||
          IsScalarLike(field->message_type())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "query parameter \"", key, "\": \"", field->name(),
            "\" has no fields to name after it"));
      }
      pb::Value& next = (*target->mutable_fields())[field->name()];
      target = next.mutable_struct_value();
      type = field->message_type();
      continue;
    }
    if (message && !IsScalarLike(field->message_type())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "query parameter \"", key, "\": \"", field->name(),
          "\" is a message; set its fields as ", key, ".FIELD"));
    }
    pb::Value& slot = (*target->mutable_fields())[field->name()];
    if (field->is_repeated()) {
      for (const std::string& v : values) {
        *slot.mutable_list_value()->add_values() = QueryValue(field, v);
      }
    } else {
      if (values.size() > 1) {
        return absl::InvalidArgumentError(
            absl::StrCat("query parameter \"", key,
                         "\": given more than once for a single field"));
      }
      slot = QueryValue(field, values.front());
    }
  }
  return absl::OkStatus();
}

pb::util::JsonPrintOptions PrintOptions() {
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  return options;
}

std::string StatusJson(google::rpc::Status status) {
  std::string json;
  if (!pb::util::MessageToJsonString(status, &json, PrintOptions()).ok()) {
    // A detail of a type this binary does not know: without details.
    status.clear_details();
    json.clear();
    (void)pb::util::MessageToJsonString(status, &json, PrintOptions());
  }
  return json;
}

}  // namespace

absl::Status ParseJsonBody(absl::string_view body, pb::Message* message) {
  message->Clear();
  if (absl::StripAsciiWhitespace(body).empty()) return absl::OkStatus();
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const pb::util::Status parsed =
      pb::util::JsonStringToMessage(pb::StringPiece(body.data(), body.size()),
                                    message, options);
  if (parsed.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(FieldError(parsed.message().ToString()));
}

absl::Status ParseQuery(const std::multimap<std::string, std::string>& params,
                        pb::Message* message) {
  message->Clear();
  if (params.empty()) return absl::OkStatus();
  pb::Struct root;
  for (auto it = params.begin(); it != params.end();) {
    const std::string& key = it->first;
    std::vector<std::string> values;
    for (; it != params.end() && it->first == key; ++it) {
      values.push_back(it->second);
    }
    const absl::Status set =
        SetQueryParameter(message->GetDescriptor(), key, values, &root);
    if (!set.ok()) return set;
  }
  std::string json;
  if (pb::util::Status s = pb::util::MessageToJsonString(root, &json);
      !s.ok()) {
    return absl::InternalError(
        absl::StrCat("query as JSON: ", s.message().ToString()));
  }
  return ParseJsonBody(json, message);
}

std::string PrintJson(const pb::Message& message) {
  std::string json;
  const pb::util::Status printed =
      pb::util::MessageToJsonString(message, &json, PrintOptions());
  if (!printed.ok()) return "{}";  // only for types this binary lacks
  return json;
}

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

HttpError ErrorFromGrpc(const grpc::Status& status) {
  HttpError error;
  error.http_status = HttpStatusOf(status.error_code());
  google::rpc::Status rich;
  if (status.error_details().empty() ||
      !rich.ParseFromString(status.error_details()) ||
      rich.code() != status.error_code()) {
    rich.Clear();
    rich.set_code(status.error_code());
    rich.set_message(status.error_message());
  }
  for (const pb::Any& detail : rich.details()) {
    google::rpc::RetryInfo retry;
    if (detail.Is<google::rpc::RetryInfo>() && detail.UnpackTo(&retry)) {
      const double seconds = retry.retry_delay().seconds() +
                             retry.retry_delay().nanos() / 1e9;
      error.retry_after_seconds =
          std::max<int64_t>(1, static_cast<int64_t>(std::ceil(seconds)));
    }
  }
  error.body = StatusJson(std::move(rich));
  return error;
}

HttpError GatewayError(int http_status, grpc::StatusCode code,
                       std::string message, const pb::Message* detail) {
  google::rpc::Status status;
  status.set_code(code);
  status.set_message(std::move(message));
  if (detail != nullptr) status.add_details()->PackFrom(*detail);
  return HttpError{http_status, StatusJson(std::move(status)), std::nullopt};
}

}  // namespace opinia::http
