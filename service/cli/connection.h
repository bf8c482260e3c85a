// How the CLI reaches the server: address, API key, TLS and per-call
// deadlines, resolved from flags and the environment, plus the one place
// where a failed RPC becomes an error message and an exit code.
#ifndef OPINIA_SERVICE_CLI_CONNECTION_H_
#define OPINIA_SERVICE_CLI_CONNECTION_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/cli/args.h"

namespace opinia::cli {

inline constexpr char kDefaultAddress[] = "127.0.0.1:50051";

// The whole file at `path`; INVALID_ARGUMENT "cannot read PATH".
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Exit codes of every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRpcError = 1;  // the server answered an error
inline constexpr int kExitUsage = 2;     // bad flags, unreadable file
inline constexpr int kExitPartial = 3;   // ingest: some items were rejected

// A channel plus the credentials to put on each call. Thread-compatible.
class Connection {
 public:
  // Address: --addr, else $OPINIA_ADDR, else 127.0.0.1:50051.
  // Key: --key, else --key-file, else $OPINIA_KEY, else $OPINIA_KEY_FILE
  // (the file holds the secret on its first line, like the server's
  // bootstrap key file). TLS: --tls (system roots) or --tls-ca=PATH.
  // Deadline per call: --timeout seconds (default 30).
  // Returns INVALID_ARGUMENT for an unreadable key/CA file or bad timeout.
  static absl::StatusOr<std::unique_ptr<Connection>> Create(const Args& args);

  // A fresh context carrying `authorization: Bearer <key>` and the deadline.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const std::string& address() const { return address_; }
  bool has_key() const { return !key_.empty(); }

 private:
  Connection(std::string address, std::string key, absl::Duration timeout,
             std::shared_ptr<grpc::Channel> channel);

  std::string address_;
  std::string key_;
  absl::Duration timeout_;
  std::shared_ptr<grpc::Channel> channel_;
};

// "NOT_FOUND", "UNAVAILABLE", ... for a gRPC status code.
std::string StatusCodeName(grpc::StatusCode code);

// Prints "error: <what>: CODE: message" (and a hint for common causes) to
// stderr and returns kExitRpcError.
int ReportRpcError(const grpc::Status& status, absl::string_view what,
                   const Connection& connection);

// Prints "error: message" to stderr and returns kExitUsage.
int ReportUsageError(absl::string_view message);

// One unary call of a generated stub method on `connection` with a fresh
// context (Connection::NewContext), e.g.
//   Call(**connection, &AlertService::Stub::GetAlertRule, "GetAlertRule",
//        request, &rule)
// True when it succeeded; else false after ReportRpcError naming `what`
// (the command then exits with kExitRpcError).
template <typename Stub, typename Request, typename Response>
bool Call(const Connection& connection,
          grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                       Response*),
          absl::string_view what, const Request& request, Response* response) {
  Stub stub(connection.channel());
  const std::unique_ptr<grpc::ClientContext> context = connection.NewContext();
  const grpc::Status status = (stub.*method)(context.get(), request, response);
  if (status.ok()) return true;
  ReportRpcError(status, what, connection);
  return false;
}

// Call on a new connection made from `args` (Connection::Create), for a
// command that makes one call: 0 (kExitOk) with `*response` filled; else
// the command's exit code, after ReportUsageError for a bad connection flag
// or ReportRpcError for the call.
template <typename Stub, typename Request, typename Response>
int CallOnce(const Args& args,
             grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                          Response*),
             absl::string_view what, const Request& request,
             Response* response) {
  auto connection = Connection::Create(args);
  if (!connection.ok()) return ReportUsageError(connection.status().message());
  return Call(**connection, method, what, request, response) ? kExitOk
                                                             : kExitRpcError;
}

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_CONNECTION_H_
