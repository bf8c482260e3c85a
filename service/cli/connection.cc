#include "service/cli/connection.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "util/status_macros.h"

namespace opinia::cli {
namespace {

std::string EnvOr(const char* name, absl::string_view fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value)
                                            : std::string(fallback);
}

// The key file holds the secret alone on its first line.
absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  ASSIGN_OR_RETURN(auto content, ReadFile(path));
  std::string line = content.substr(0, content.find('\n'));
  return std::string(absl::StripAsciiWhitespace(line));
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Connection::Connection(std::string address, std::string key,
                       absl::Duration timeout,
                       std::shared_ptr<grpc::Channel> channel)
    : address_(std::move(address)),
      key_(std::move(key)),
      timeout_(timeout),
      channel_(std::move(channel)) {}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Create(
    const Args& args) {
  std::string address =
      args.GetOr("addr", EnvOr("OPINIA_ADDR", kDefaultAddress));

  std::string key;
  if (auto flag = args.Get("key")) {
    key = *flag;
  } else if (auto file = args.Get("key-file")) {
    ASSIGN_OR_RETURN(key, ReadKeyFile(*file));
  } else if (const std::string env = EnvOr("OPINIA_KEY", ""); !env.empty()) {
    key = env;
  } else if (const std::string env_file = EnvOr("OPINIA_KEY_FILE", "");
             !env_file.empty()) {
    ASSIGN_OR_RETURN(key, ReadKeyFile(env_file));
  }

  double seconds = 30;
  if (auto timeout = args.Get("timeout")) {
    if (!absl::SimpleAtod(*timeout, &seconds) || seconds <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--timeout must be a positive number of seconds, got '",
                       *timeout, "'"));
    }
  }

  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (auto ca = args.Get("tls-ca")) {
    ASSIGN_OR_RETURN(auto pem, ReadFile(*ca));
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = pem;
    credentials = grpc::SslCredentials(options);
  } else if (args.Has("tls")) {
    credentials = grpc::SslCredentials(grpc::SslCredentialsOptions());
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments channel_args;
  // Large list pages and analyses can exceed the 4 MiB default.
  channel_args.SetMaxReceiveMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(address, credentials, channel_args);
  return std::unique_ptr<Connection>(
      new Connection(std::move(address), std::move(key), absl::Seconds(seconds),
                     std::move(channel)));
}

std::unique_ptr<grpc::ClientContext> Connection::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!key_.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", key_));
  }
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(timeout_));
  return context;
}

std::string StatusCodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  if (index >= 0 && index < static_cast<int>(std::size(kNames))) {
    return kNames[index];
  }
  return absl::StrCat("CODE_", index);
}

int ReportRpcError(const grpc::Status& status, absl::string_view what,
                   const Connection& connection) {
  std::cerr << "error: " << what << ": " << StatusCodeName(status.error_code())
            << ": " << status.error_message() << "\n";
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED &&
      !connection.has_key()) {
    std::cerr << "hint: pass --key=SECRET or --key-file=PATH, or set "
                 "OPINIA_KEY\n";
  } else if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "hint: is opinia-server listening on " << connection.address()
              << "? (--addr or OPINIA_ADDR)\n";
  }
  return kExitRpcError;
}

int ReportUsageError(absl::string_view message) {
  std::cerr << "error: " << message << "\n";
  return kExitUsage;
}

}  // namespace opinia::cli
