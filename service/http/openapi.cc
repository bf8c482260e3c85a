#include "service/http/openapi.h"

#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"

namespace opinia::http {
namespace {

namespace pb = google::protobuf;

// Field numbers of descriptor.proto used in SourceCodeInfo paths.
constexpr int kFileMessage = 4, kFileEnum = 5, kFileService = 6;
constexpr int kMessageField = 2, kMessageNested = 3, kMessageEnum = 4;
constexpr int kEnumValue = 2, kServiceMethod = 2;

// Comments of the protos by the full name of what they describe (enum
// values as "<enum full name>.<VALUE>").
class Comments {
 public:
  explicit Comments(absl::string_view descriptor_set) {
    pb::FileDescriptorSet set;
    if (descriptor_set.empty() ||
        !set.ParseFromArray(descriptor_set.data(),
                            static_cast<int>(descriptor_set.size()))) {
      return;
    }
    for (const pb::FileDescriptorProto& file : set.file()) {
      std::map<std::vector<int>, std::string> names;
      const std::string prefix =
          file.package().empty() ? "" : file.package() + ".";
      for (int i = 0; i < file.message_type_size(); ++i) {
        AddMessage(file.message_type(i), prefix, {kFileMessage, i}, &names);
      }
      for (int i = 0; i < file.enum_type_size(); ++i) {
        AddEnum(file.enum_type(i), prefix, {kFileEnum, i}, &names);
      }
      for (int i = 0; i < file.service_size(); ++i) {
        const pb::ServiceDescriptorProto& service = file.service(i);
        const std::string name = prefix + service.name();
        names[{kFileService, i}] = name;
        for (int j = 0; j < service.method_size(); ++j) {
          names[{kFileService, i, kServiceMethod, j}] =
              name + "." + service.method(j).name();
        }
      }
      for (const auto& location : file.source_code_info().location()) {
        auto it = names.find(
            std::vector<int>(location.path().begin(), location.path().end()));
        if (it == names.end()) continue;
        std::string text = location.leading_comments().empty()
                               ? location.trailing_comments()
                               : location.leading_comments();
        std::vector<std::string> lines;
        for (absl::string_view line : absl::StrSplit(text, '\n')) {
          line = absl::StripAsciiWhitespace(line);
          if (!line.empty()) lines.emplace_back(line);
        }
        if (!lines.empty()) by_name_[it->second] = absl::StrJoin(lines, " ");
      }
    }
  }

  // "" when there is none.
  std::string Of(const std::string& full_name) const {
    auto it = by_name_.find(full_name);
    return it == by_name_.end() ? "" : it->second;
  }

 private:
  static void AddMessage(const pb::DescriptorProto& message,
                         const std::string& prefix, std::vector<int> path,
                         std::map<std::vector<int>, std::string>* names) {
    const std::string name = prefix + message.name();
    (*names)[path] = name;
    for (int i = 0; i < message.field_size(); ++i) {
      std::vector<int> p = path;
      p.insert(p.end(), {kMessageField, i});
      (*names)[p] = name + "." + message.field(i).name();
    }
    for (int i = 0; i < message.nested_type_size(); ++i) {
      std::vector<int> p = path;
      p.insert(p.end(), {kMessageNested, i});
      AddMessage(message.nested_type(i), name + ".", p, names);
    }
    for (int i = 0; i < message.enum_type_size(); ++i) {
      std::vector<int> p = path;
      p.insert(p.end(), {kMessageEnum, i});
      AddEnum(message.enum_type(i), name + ".", p, names);
    }
  }

  static void AddEnum(const pb::EnumDescriptorProto& type,
                      const std::string& prefix, std::vector<int> path,
                      std::map<std::vector<int>, std::string>* names) {
    const std::string name = prefix + type.name();
    (*names)[path] = name;
    for (int i = 0; i < type.value_size(); ++i) {
      std::vector<int> p = path;
      p.insert(p.end(), {kEnumValue, i});
      (*names)[p] = name + "." + type.value(i).name();
    }
  }

  std::map<std::string, std::string> by_name_;
};

pb::Value Str(absl::string_view s) {
  pb::Value v;
  v.set_string_value(std::string(s));
  return v;
}

pb::Value Bool(bool b) {
  pb::Value v;
  v.set_bool_value(b);
  return v;
}

// A JSON object built field by field.
class Obj {
 public:
  Obj& Set(const std::string& key, pb::Value value) {
    (*s_.mutable_fields())[key] = std::move(value);
    return *this;
  }
  Obj& Set(const std::string& key, absl::string_view value) {
    return Set(key, Str(value));
  }
  Obj& Set(const std::string& key, const char* value) {
    return Set(key, Str(value));
  }
  Obj& Set(const std::string& key, Obj value) {
    return Set(key, value.value());
  }
  // Sets `key` only when `text` is not empty.
  Obj& Describe(absl::string_view text, const std::string& key = "description") {
    if (!text.empty()) Set(key, Str(text));
    return *this;
  }
  pb::Value value() const {
    pb::Value v;
    *v.mutable_struct_value() = s_;
    return v;
  }
  const pb::Struct& fields() const { return s_; }

 private:
  pb::Struct s_;
};

pb::Value List(std::vector<pb::Value> items) {
  pb::Value v;
  for (pb::Value& item : items) {
    *v.mutable_list_value()->add_values() = std::move(item);
  }
  return v;
}

Obj Ref(const std::string& full_name) {
  return Obj().Set("$ref", "#/components/schemas/" + full_name);
}

Obj TypeSchema(absl::string_view type, absl::string_view format = "") {
  Obj o;
  o.Set("type", type);
  if (!format.empty()) o.Set("format", format);
  return o;
}

// Collects the schemas of messages and enums as the fields reach them.
class SchemaBuilder {
 public:
  explicit SchemaBuilder(const Comments* comments) : comments_(comments) {}

  // A reference to `type` (its schema is added to components), or the
  // inline schema of a well-known type.
  Obj MessageSchema(const pb::Descriptor* type) {
    const std::string& name = type->full_name();
    if (name == "google.protobuf.Timestamp") {
      return TypeSchema("string", "date-time")
          .Set("description", "RFC 3339, e.g. \"2024-05-01T12:00:00Z\"");
    }
    if (name == "google.protobuf.Duration") {
      return TypeSchema("string")
          .Set("pattern", "^-?[0-9]+(\\.[0-9]{1,9})?s$")
          .Set("description", "seconds with an \"s\", e.g. \"3600s\"");
    }
    if (name == "google.protobuf.FieldMask") {
      return TypeSchema("string").Set(
          "description", "comma-separated field paths, e.g. \"sentiment,urgency.priority\"");
    }
    if (name == "google.protobuf.Any") {
      return TypeSchema("object")
          .Set("properties",
               Obj().Set("@type", TypeSchema("string").Set(
                                      "description",
                                      "type URL, e.g. type.googleapis.com/"
                                      "google.rpc.RetryInfo")))
          .Set("additionalProperties", Bool(true));
    }
    if (name == "google.protobuf.Struct") {
      return TypeSchema("object").Set("additionalProperties", Bool(true));
    }
    if (name == "google.protobuf.Value") return Obj();
    if (name == "google.protobuf.ListValue") {
      return TypeSchema("array").Set("items", Obj());
    }
    if (name == "google.protobuf.Empty") return TypeSchema("object");
    if (type->file()->name() == "google/protobuf/wrappers.proto") {
      return FieldSchema(type->FindFieldByName("value"))
          .Set("nullable", Bool(true));
    }
    if (done_.insert(name).second) {
      Obj properties;
      for (int i = 0; i < type->field_count(); ++i) {
        const pb::FieldDescriptor* field = type->field(i);
        Obj schema = FieldSchema(field);
        const std::string comment = comments_->Of(field->full_name());
        if (!comment.empty()) {
          // Siblings of a $ref are ignored in OpenAPI 3.0: wrap it.
          if (schema.fields().fields().count("$ref") != 0) {
            schema = Obj().Set("allOf", List({schema.value()}));
          }
          schema.Set("description", comment);
        }
        properties.Set(field->name(), schema);
      }
      Obj schema = TypeSchema("object").Set("properties", properties);
      schema.Describe(comments_->Of(name));
      schemas_.Set(name, schema);
    }
    return Ref(name);
  }

  Obj EnumSchema(const pb::EnumDescriptor* type) {
    const std::string& name = type->full_name();
    if (done_.insert(name).second) {
      std::vector<pb::Value> values;
      std::vector<std::string> described;
      for (int i = 0; i < type->value_count(); ++i) {
        const std::string& value = type->value(i)->name();
        values.push_back(Str(value));
        const std::string comment = comments_->Of(name + "." + value);
        if (!comment.empty()) described.push_back(value + ": " + comment);
      }
      std::string description = comments_->Of(name);
      if (!described.empty()) {
        if (!description.empty()) description += " ";
        absl::StrAppend(&description, absl::StrJoin(described, "; "));
      }
      schemas_.Set(name, TypeSchema("string")
                             .Set("enum", List(std::move(values)))
                             .Describe(description));
    }
    return Ref(name);
  }

  // The schema of one field's value (an array for a repeated field, an
  // object for a map).
  Obj FieldSchema(const pb::FieldDescriptor* field) {
    if (field->is_map()) {
      return TypeSchema("object").Set(
          "additionalProperties",
          SingleSchema(field->message_type()->FindFieldByName("value")));
    }
    Obj single = SingleSchema(field);
    if (field->is_repeated()) {
      return TypeSchema("array").Set("items", single);
    }
    return single;
  }

  const Obj& schemas() const { return schemas_; }

 private:
  Obj SingleSchema(const pb::FieldDescriptor* field) {
    switch (field->type()) {
      case pb::FieldDescriptor::TYPE_DOUBLE:
        return TypeSchema("number", "double");
      case pb::FieldDescriptor::TYPE_FLOAT:
        return TypeSchema("number", "float");
      case pb::FieldDescriptor::TYPE_INT32:
      case pb::FieldDescriptor::TYPE_SINT32:
      case pb::FieldDescriptor::TYPE_SFIXED32:
        return TypeSchema("integer", "int32");
      case pb::FieldDescriptor::TYPE_UINT32:
      case pb::FieldDescriptor::TYPE_FIXED32:
        return TypeSchema("integer", "int64").Set("minimum", [] {
          pb::Value v;
          v.set_number_value(0);
          return v;
        }());
      // 64-bit integers are strings in proto3 JSON.
      case pb::FieldDescriptor::TYPE_INT64:
      case pb::FieldDescriptor::TYPE_SINT64:
      case pb::FieldDescriptor::TYPE_SFIXED64:
        return TypeSchema("string", "int64");
      case pb::FieldDescriptor::TYPE_UINT64:
      case pb::FieldDescriptor::TYPE_FIXED64:
        return TypeSchema("string", "uint64");
      case pb::FieldDescriptor::TYPE_BOOL:
        return TypeSchema("boolean");
      case pb::FieldDescriptor::TYPE_STRING:
        return TypeSchema("string");
      case pb::FieldDescriptor::TYPE_BYTES:
        return TypeSchema("string", "byte");
      case pb::FieldDescriptor::TYPE_ENUM:
        return EnumSchema(field->enum_type());
      case pb::FieldDescriptor::TYPE_MESSAGE:
      case pb::FieldDescriptor::TYPE_GROUP:
        return MessageSchema(field->message_type());
    }
    return Obj();
  }

  const Comments* comments_;
  std::set<std::string> done_;
  Obj schemas_;
};

// Can a query parameter set `field` (a scalar, an enum, a string-valued
// well-known type, or a repeated one of them)?
bool QueryScalar(const pb::FieldDescriptor* field) {
  if (field->is_map()) return false;
  if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) return true;
  const std::string& name = field->message_type()->full_name();
  return name == "google.protobuf.Timestamp" ||
         name == "google.protobuf.Duration" ||
         name == "google.protobuf.FieldMask";
}

// The query parameters of a GET route: every field a parameter can set,
// nested singular messages by dotted paths (three levels deep at most).
void AddQueryParameters(const pb::Descriptor* type, const std::string& prefix,
                        int depth, SchemaBuilder* schemas,
                        const Comments& comments,
                        std::vector<pb::Value>* out) {
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    const std::string name = prefix + field->name();
    if (QueryScalar(field)) {
      Obj parameter;
      parameter.Set("name", name).Set("in", "query");
      parameter.Set("schema", schemas->FieldSchema(field));
      if (field->is_repeated()) {
        parameter.Set("style", "form").Set("explode", Bool(true));
      }
      parameter.Describe(comments.Of(field->full_name()));
      out->push_back(parameter.value());
    } else if (!field->is_repeated() && !field->is_map() && depth < 3) {
      AddQueryParameters(field->message_type(), name + ".", depth + 1,
                         schemas, comments, out);
    }
  }
}

Obj JsonContent(Obj schema) {
  return Obj().Set("application/json", Obj().Set("schema", std::move(schema)));
}

Obj ErrorResponses(SchemaBuilder* schemas, Obj responses) {
  const pb::Descriptor* status =
      pb::DescriptorPool::generated_pool()->FindMessageTypeByName(
          "google.rpc.Status");
  Obj error = Obj().Set(
      "description",
      "An error: the HTTP status follows the gRPC code (400 "
      "INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE; 401; 403; 404; "
      "409; 429 with Retry-After; 499; 501; 503; 504; 500), the body is a "
      "google.rpc.Status naming the field at fault");
  if (status != nullptr) {
    error.Set("content", JsonContent(schemas->MessageSchema(status)));
  }
  return responses.Set("default", error);
}

Obj Operation(const Route& route, const std::string& suffix,
              const Comments& comments) {
  const pb::MethodDescriptor& method = *route.method;
  Obj op;
  op.Set("operationId",
         absl::StrCat(method.service()->name(), "_", method.name(), suffix));
  op.Set("tags", List({Str(method.service()->name())}));
  op.Set("summary", absl::StrCat(method.service()->name(), ".",
                                 method.name()));
  op.Describe(comments.Of(method.full_name()));
  return op;
}

}  // namespace

pb::Struct OpenApiDocument(const RouteTable& routes,
                           absl::string_view descriptor_set) {
  const Comments comments(descriptor_set);
  SchemaBuilder schemas(&comments);
  Obj paths;
  for (const Route& route : routes.routes()) {
    const pb::MethodDescriptor& method = *route.method;
    Obj item;
    Obj ok = Obj().Set("description", "OK");
    switch (route.kind) {
      case RouteKind::kUnary: {
        ok.Set("content", JsonContent(schemas.MessageSchema(
                              method.output_type())));
        Obj post = Operation(route, "", comments);
        post.Set("requestBody",
                 Obj().Set("description",
                           "The request message as JSON (proto3 JSON "
                           "mapping; an empty body is an empty message)")
                     .Set("content", JsonContent(schemas.MessageSchema(
                                         method.input_type()))));
        post.Set("responses", ErrorResponses(&schemas, Obj().Set("200", ok)));
        item.Set("post", post);
        if (route.get) {
          std::vector<pb::Value> parameters;
          AddQueryParameters(method.input_type(), "", 0, &schemas, comments,
                             &parameters);
          Obj get = Operation(route, "_GET", comments);
          get.Set("parameters", List(std::move(parameters)));
          get.Set("responses", ErrorResponses(&schemas, Obj().Set("200", ok)));
          item.Set("get", get);
        }
        break;
      }
      case RouteKind::kServerStream: {
        // The request comes as query parameters; its schema is listed too.
        schemas.MessageSchema(method.input_type());
        std::vector<pb::Value> parameters;
        AddQueryParameters(method.input_type(), "", 0, &schemas, comments,
                           &parameters);
        parameters.push_back(
            Obj().Set("name", "Last-Event-ID")
                .Set("in", "header")
                .Set("schema", TypeSchema("string"))
                .Set("description",
                     "The id of the last event received (a resume token); "
                     "wins over the resume_token parameter")
                .value());
        ok.Set("description",
               absl::StrCat(
                   "Server-Sent Events: each message as `id: <resume_token>`, "
                   "`event: ", SseEventName(method), "`, `data: <",
                   method.output_type()->full_name(),
                   " as JSON>`; a `: ping` comment every 15 s of silence"));
        ok.Set("content",
               Obj().Set("text/event-stream",
                         Obj().Set("schema",
                                   TypeSchema("string").Set(
                                       "x-event-data",
                                       schemas.MessageSchema(
                                           method.output_type())))));
        Obj get = Operation(route, "", comments);
        get.Set("parameters", List(std::move(parameters)));
        get.Set("responses", ErrorResponses(&schemas, Obj().Set("200", ok)));
        item.Set("get", get);
        break;
      }
      case RouteKind::kClientStream:
      case RouteKind::kBidiStream: {
        ok.Set("content", JsonContent(schemas.MessageSchema(
                              method.output_type())));
        Obj post = Operation(route, "", comments);
        post.Set("requestBody",
                 Obj().Set("required", Bool(true))
                     .Set("description",
                          absl::StrCat("Newline-delimited JSON: one ",
                                       method.input_type()->full_name(),
                                       " per line"))
                     .Set("content",
                          Obj().Set("application/x-ndjson",
                                    Obj().Set("schema",
                                              schemas.MessageSchema(
                                                  method.input_type())))));
        post.Set("responses", ErrorResponses(&schemas, Obj().Set("200", ok)));
        item.Set("post", post);
        break;
      }
    }
    paths.Set(route.path, item);
  }
  Obj document;
  document.Set("openapi", "3.0.3");
  document.Set(
      "info",
      Obj().Set("title", "Opinia JSON API")
          .Set("version", "v1")
          .Set("description",
               "Every RPC of the opinia.v1 gRPC services as JSON over HTTP: "
               "POST /v1/{Service}/{Method} with the request message as "
               "JSON, GET with query parameters for the read-only methods "
               "(Get*, List*), Server-Sent Events for streams. Same API keys "
               "(Authorization: Bearer), roles, limits and errors as gRPC."));
  document.Set("paths", paths);
  document.Set(
      "components",
      Obj().Set("schemas", schemas.schemas())
          .Set("securitySchemes",
               Obj().Set("bearer", Obj().Set("type", "http").Set(
                                       "scheme", "bearer"))));
  document.Set("security", List({Obj().Set("bearer", List({})).value()}));
  return document.fields();
}

std::string StructToJson(const pb::Struct& value) {
  // Deterministic serialization sorts map keys; the printer keeps that
  // order.
  std::string bytes;
  {
    pb::io::StringOutputStream raw(&bytes);
    pb::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    value.SerializeToCodedStream(&out);
  }
  std::unique_ptr<pb::util::TypeResolver> resolver(
      pb::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com", pb::DescriptorPool::generated_pool()));
  pb::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  if (!pb::util::BinaryToJsonString(resolver.get(),
                                    "type.googleapis.com/google.protobuf.Struct",
                                    bytes, &json, options)
           .ok()) {
    return "{}";
  }
  return json;
}

}  // namespace opinia::http
