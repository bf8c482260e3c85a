// One gRPC channel over several opinia-server replicas, for the tools that
// drive servers from outside (opinia-load, opinia-alert-tail,
// alert_latency): `--target=127.0.0.1:5001,127.0.0.1:5002,127.0.0.1:5003`
// becomes the channel target `ipv4:127.0.0.1:5001,127.0.0.1:5002,...` with
// gRPC's `round_robin` load-balancing policy, so calls are spread over every
// replica that is up, and a replica that is down (killed, restarting) is
// skipped until it accepts connections again. A single address is passed
// to gRPC as it is (any target gRPC knows: host:port, dns:///, unix:).
#ifndef OPINIA_BENCH_REPLICA_CHANNEL_H_
#define OPINIA_BENCH_REPLICA_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace opinia::bench {

struct ReplicaTarget {
  std::string target;        // the channel target for grpc::CreateChannel
  int replicas = 1;          // addresses in it
  bool round_robin = false;  // several addresses: round_robin over them
};

// Parses a comma-separated list of addresses. Several addresses must each
// be an IPv4 literal HOST:PORT or an [IPv6]:PORT, all of one family (what
// gRPC's ipv4:/ipv6: targets take). INVALID_ARGUMENT naming `flag` (e.g.
// "--target") and the offending address otherwise.
absl::StatusOr<ReplicaTarget> ParseReplicaTargets(absl::string_view list,
                                                  absl::string_view flag);

// Channel arguments for clients that must survive server restarts: reconnect
// after 100 ms and back off to at most 500 ms (gRPC's default climbs to two
// minutes), and with several replicas the round_robin service config.
void SetReplicaChannelArgs(const ReplicaTarget& target,
                           grpc::ChannelArguments* args);

// An insecure channel to `target` with `args` plus SetReplicaChannelArgs.
std::shared_ptr<grpc::Channel> NewReplicaChannel(
    const ReplicaTarget& target,
    grpc::ChannelArguments args = grpc::ChannelArguments());

// A context for a call over such a channel: `authorization: Bearer <key>`
// (none when `key` is empty), the deadline (none when zero), and
// wait_for_ready. A call without wait_for_ready fails at once while no
// replica is connected, and then nothing polls the sockets gRPC is
// reconnecting on until its backup poller runs 5 s later: a client failing
// fast in a loop took 3-7 s to see a restarted server. Waiting calls poll
// them, go to the first replica that is ready, and fail only at their
// deadline.
std::unique_ptr<grpc::ClientContext> NewCallContext(
    const std::string& key, absl::Duration deadline = absl::ZeroDuration());

// Parses `list` like ParseReplicaTargets; on bad input prints the error as
// "<program>: <message>" and exits with status 2 (for the tools' flags).
ReplicaTarget ReplicaTargetsOrExit(absl::string_view list,
                                   absl::string_view flag,
                                   absl::string_view program);

// "127.0.0.1:5001" from a ClientContext::peer() such as
// "ipv4:127.0.0.1:5001" (the scheme dropped), for per-replica counts.
std::string PeerAddress(absl::string_view peer);

}  // namespace opinia::bench

#endif  // OPINIA_BENCH_REPLICA_CHANNEL_H_
