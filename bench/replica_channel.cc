#include "bench/replica_channel.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace opinia::bench {
namespace {

enum class Family { kIpv4, kIpv6, kOther };

// The family of an IP-literal "HOST:PORT" / "[HOST]:PORT"; kOther for a
// name, a missing or bad port, or anything else.
Family AddressFamily(absl::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) return Family::kOther;
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 ||
      port > 65535) {
    return Family::kOther;
  }
  std::string host(address.substr(0, colon));
  unsigned char buf[16];
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    return inet_pton(AF_INET6, host.c_str(), buf) == 1 ? Family::kIpv6
                                                       : Family::kOther;
  }
  return inet_pton(AF_INET, host.c_str(), buf) == 1 ? Family::kIpv4
                                                    : Family::kOther;
}

}  // namespace

absl::StatusOr<ReplicaTarget> ParseReplicaTargets(absl::string_view list,
                                                  absl::string_view flag) {
  std::vector<std::string> addresses;
  for (absl::string_view a : absl::StrSplit(list, ',')) {
    a = absl::StripAsciiWhitespace(a);
    if (a.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": empty address in \"", list, "\""));
    }
    addresses.emplace_back(a);
  }
  ReplicaTarget out;
  out.replicas = static_cast<int>(addresses.size());
  if (addresses.size() == 1) {
    out.target = addresses[0];
    return out;
  }
  const Family family = AddressFamily(addresses[0]);
  for (const std::string& a : addresses) {
    if (AddressFamily(a) == Family::kOther || AddressFamily(a) != family) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag,
          ": with several addresses each must be an IP literal "
          "HOST:PORT (IPv4) or [HOST]:PORT (IPv6), all of one family; got \"",
          a, "\""));
    }
  }
  out.target = absl::StrCat(family == Family::kIpv4 ? "ipv4:" : "ipv6:",
                            absl::StrJoin(addresses, ","));
  out.round_robin = true;
  return out;
}

void SetReplicaChannelArgs(const ReplicaTarget& target,
                           grpc::ChannelArguments* args) {
  args->SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args->SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  // Not GRPC_ARG_MIN_RECONNECT_BACKOFF_MS: gRPC uses it as the deadline of
  // each connection attempt, and at 100 ms a server that has just started
  // (busy loading models) had its handshakes cut off for seconds.
  if (target.round_robin) {
    args->SetServiceConfigJSON(
        R"({"loadBalancingConfig":[{"round_robin":{}}]})");
  }
}

std::shared_ptr<grpc::Channel> NewReplicaChannel(const ReplicaTarget& target,
                                                 grpc::ChannelArguments args) {
  SetReplicaChannelArgs(target, &args);
  return grpc::CreateCustomChannel(target.target,
                                   grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<grpc::ClientContext> NewCallContext(const std::string& key,
                                                    absl::Duration deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!key.empty()) context->AddMetadata("authorization", "Bearer " + key);
  if (deadline > absl::ZeroDuration()) {
    context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  }
  context->set_wait_for_ready(true);
  return context;
}

ReplicaTarget ReplicaTargetsOrExit(absl::string_view list,
                                   absl::string_view flag,
                                   absl::string_view program) {
  absl::StatusOr<ReplicaTarget> target = ParseReplicaTargets(list, flag);
  if (!target.ok()) {
    std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(program.size()),
                 program.data(),
                 std::string(target.status().message()).c_str());
    std::exit(2);
  }
  return *std::move(target);
}

std::string PeerAddress(absl::string_view peer) {
  for (const char* scheme : {"ipv4:", "ipv6:"}) {
    if (absl::ConsumePrefix(&peer, scheme)) break;
  }
  return std::string(peer);
}

}  // namespace opinia::bench
