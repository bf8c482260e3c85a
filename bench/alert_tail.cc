// opinia-alert-tail: a StreamAlerts subscriber that survives server
// restarts, for scripts/chaos.sh. It resumes with the last resume_token it
// received after every broken stream, and appends each alert's name to
// --out as it arrives. With --list it instead prints the names of every
// alert ListAlerts knows (one per line), for the comparison.
//
// Several --target addresses (replicas on one database) make one channel
// with gRPC's round_robin policy: each new stream goes to a replica that is
// up, so after its replica is killed the subscriber resumes with its last
// token on whichever replica answers. Every stream's end is logged to
// stderr with the replica that served it, and the summary counts streams
// per replica.
//
//   opinia-alert-tail --target=127.0.0.1:PORT --key=KEY --out=alerts.txt
//       (runs until SIGTERM/SIGINT)
//   opinia-alert-tail --target=127.0.0.1:A,127.0.0.1:B,127.0.0.1:C --key=KEY
//       --out=alerts.txt
//   opinia-alert-tail --target=127.0.0.1:PORT --key=KEY --list
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "bench/replica_channel.h"
#include "grpcpp/grpcpp.h"
#include "opinia/v1/alerts.grpc.pb.h"

ABSL_FLAG(std::string, target, "",
          "HOST:PORT of the server; several, comma separated (IP literals): "
          "round_robin over replicas");
ABSL_FLAG(std::string, key, "", "Tenant key with ROLE_READ");
ABSL_FLAG(std::string, out, "", "Append alert names here (tail mode)");
ABSL_FLAG(bool, list, false, "Print every alert name from ListAlerts");

namespace {

std::mutex g_mutex;
grpc::ClientContext* g_current = nullptr;  // guarded by g_mutex
bool g_stop = false;                        // guarded by g_mutex

// HH:MM:SS.mmm, local time: log lines to set beside scripts/chaos.sh's.
std::string WallClock() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      now.time_since_epoch())
                      .count() %
                  1000;
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03d", buf, static_cast<int>(ms));
  return out;
}

int List(opinia::v1::AlertService::Stub* stub, const std::string& key) {
  std::string token;
  do {
    opinia::v1::ListAlertsRequest request;
    request.set_page_size(1000);
    request.set_page_token(token);
    opinia::v1::ListAlertsResponse response;
    auto ctx = opinia::bench::NewCallContext(key, absl::Seconds(60));
    grpc::Status s = stub->ListAlerts(ctx.get(), request, &response);
    if (!s.ok()) {
      std::fprintf(stderr, "opinia-alert-tail: ListAlerts: %s\n",
                   s.error_message().c_str());
      return 1;
    }
    for (const auto& a : response.alerts()) std::printf("%s\n", a.name().c_str());
    token = response.next_page_token();
  } while (!token.empty());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string key = absl::GetFlag(FLAGS_key);
  // SIGTERM/SIGINT go to the stopper thread below: blocked before gRPC
  // starts its threads, which inherit the mask (else one of them takes the
  // signal and the process dies without its last log lines).
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  // Reconnects quickly after a server restart; round_robin over replicas.
  auto channel =
      opinia::bench::NewReplicaChannel(opinia::bench::ReplicaTargetsOrExit(
          absl::GetFlag(FLAGS_target), "--target", "opinia-alert-tail"));
  auto stub = opinia::v1::AlertService::NewStub(channel);
  if (absl::GetFlag(FLAGS_list)) return List(stub.get(), key);

  std::thread stopper([&stop] {
    int sig = 0;
    sigwait(&stop, &sig);
    std::lock_guard<std::mutex> lock(g_mutex);
    g_stop = true;
    if (g_current != nullptr) g_current->TryCancel();
  });
  stopper.detach();

  std::ofstream out(absl::GetFlag(FLAGS_out), std::ios::app);
  std::string token;
  int64_t received = 0;
  int streams = 0;
  std::map<std::string, int> streams_by_replica;  // that delivered an alert
  std::string last_alert_at = "-";
  while (true) {
    // Waits for a ready replica (see NewCallContext); no deadline.
    auto ctx = opinia::bench::NewCallContext(key);
    {
      std::lock_guard<std::mutex> lock(g_mutex);
      if (g_stop) break;
      g_current = ctx.get();
    }
    opinia::v1::StreamAlertsRequest request;
    request.set_resume_token(token);
    auto reader = stub->StreamAlerts(ctx.get(), request);
    ++streams;
    opinia::v1::AlertEvent event;
    int64_t in_stream = 0;
    while (reader->Read(&event)) {
      out << event.alert().name() << "\n";
      out.flush();
      token = event.resume_token();
      ++received;
      ++in_stream;
      last_alert_at = WallClock();
    }
    grpc::Status s = reader->Finish();
    const std::string replica = opinia::bench::PeerAddress(ctx->peer());
    if (in_stream > 0) ++streams_by_replica[replica];
    // Calls that never reached a replica are not logged.
    if (!replica.empty()) {
      std::fprintf(stderr,
                   "opinia-alert-tail: %s stream %d on %s ended (code %d) "
                   "after %lld alerts; last alert at %s\n",
                   WallClock().c_str(), streams, replica.c_str(),
                   s.error_code(), static_cast<long long>(in_stream),
                   last_alert_at.c_str());
    }
    {
      std::lock_guard<std::mutex> lock(g_mutex);
      g_current = nullptr;
      if (g_stop) break;
    }
    if (s.error_code() != grpc::StatusCode::UNAVAILABLE &&
        s.error_code() != grpc::StatusCode::CANCELLED &&
        s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED &&
        !s.ok()) {
      std::fprintf(stderr, "opinia-alert-tail: StreamAlerts: %d %s\n",
                   s.error_code(), s.error_message().c_str());
    }
    // The server is restarting: try again soon, with the last token.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::printf("opinia-alert-tail: %lld alerts over %d streams\n",
              static_cast<long long>(received), streams);
  if (!streams_by_replica.empty()) {
    std::printf("streams that delivered alerts, by replica:");
    for (const auto& [replica, n] : streams_by_replica) {
      std::printf(" %s=%d", replica.c_str(), n);
    }
    std::printf("\n");
  }
  return 0;
}
