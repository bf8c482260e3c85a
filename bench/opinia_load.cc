// opinia-load: a load generator for opinia-server that talks to it only
// through the generated gRPC stubs, like any outside client.
//
// It ingests real review texts (the labelled TSV files of ../shared/data, or
// --file) with N concurrent clients, B reviews per IngestReviews call, at a
// target rate or flat out, for a duration, and prints throughput, latency
// percentiles, errors by status code and the server's RSS before/after.
// External ids carry a run id, so every acknowledged review is CREATED work.
//
//   opinia-load --spawn=build/service/server/opinia-server --db=/tmp/l.db
//       --clients=4 --batch=100 --duration=60
//   opinia-load --target=127.0.0.1:50051 --key-file=data/admin.key
//       --server-pid=$(pidof opinia-server) --clients=16 --batch=1
//   opinia-load --target=127.0.0.1:5001,127.0.0.1:5002,127.0.0.1:5003
//       --key-file=admin.key --server-pid=PID1,PID2,PID3
//
// Several --target addresses (replicas on one PostgreSQL database) are one
// gRPC channel per client with the round_robin policy: calls are spread over
// the replicas that are up, and a killed replica is skipped until it is
// back. A call that fails with UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED,
// RESOURCE_EXHAUSTED, CANCELLED or UNKNOWN (a replica killed under it, the
// database restarting) is sent again with the same reviews: ingest is
// idempotent per (source, external_id), so what the failed call stored
// comes back UNCHANGED. The summary counts calls per replica that answered.
//
// --ack-log=FILE appends one acknowledged external id per line (written only
// after the server answered OK for it), which scripts/chaos.sh compares with
// the database after crashes.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/replica_channel.h"
#include "grpcpp/grpcpp.h"
#include "opinia/v1/admin.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "util/spawn.h"

ABSL_FLAG(std::string, target, "",
          "HOST:PORT of a running server (or use --spawn); several, comma "
          "separated (IP literals), spread calls over replicas with gRPC's "
          "round_robin");
ABSL_FLAG(std::string, spawn, "",
          "Path of opinia-server: start it on 127.0.0.1:0 with --db, run the "
          "load, stop it with SIGTERM");
ABSL_FLAG(std::string, db, "",
          "With --spawn: the database file (its directory holds the key and "
          "ready files). Also: report this file's size and its -wal's");
ABSL_FLAG(std::string, server_args, "",
          "With --spawn: extra server flags, separated by spaces");
ABSL_FLAG(std::string, key_file, "",
          "Operator key file: a fresh tenant and ingest key are created");
ABSL_FLAG(std::string, key, "", "Use this tenant key (roles ingest, read)");
ABSL_FLAG(std::string, file, "",
          "Review texts: TSV files (lang, label, stars, text), comma "
          "separated; default: every *.tsv of --data-dir");
ABSL_FLAG(std::string, data_dir, OPINIA_DEFAULT_DATA_DIR,
          "Directory of labelled TSV files");
ABSL_FLAG(int, clients, 4, "Concurrent clients (one channel each)");
ABSL_FLAG(int, batch, 100, "Reviews per IngestReviews call");
ABSL_FLAG(double, rate, 0,
          "Target reviews/s over all clients; 0 = as fast as possible");
ABSL_FLAG(int, duration, 30, "Seconds to run");
ABSL_FLAG(int, warmup, 0,
          "Seconds at the start not counted in latency/throughput");
ABSL_FLAG(std::string, run_id, "",
          "Prefix of external ids; default: time-based, unique per run");
ABSL_FLAG(std::string, server_pid, "",
          "Server pid(s), comma separated, for RSS and CPU (from /proc; "
          "summed over replicas)");
ABSL_FLAG(int, sample_every, 0,
          "Print throughput, RSS and DB size every N seconds (0 = only at "
          "the end)");
ABSL_FLAG(std::string, ack_log, "",
          "Append acknowledged external ids (one per line) to this file");
ABSL_FLAG(int, deadline_ms, 30000, "Per-call deadline");
ABSL_FLAG(bool, stop_on_error, false, "Exit at the first failed call");
ABSL_FLAG(bool, create_key_only, false,
          "With --key-file: create the tenant and key, print the key's "
          "secret alone on stdout and exit (for scripts)");

namespace {

using Clock = std::chrono::steady_clock;

struct Text {
  std::string text;
  int stars = 0;
  std::string lang;
};

std::vector<Text> LoadTexts(const std::vector<std::string>& files) {
  std::vector<Text> texts;
  for (const auto& path : files) {
    std::ifstream in(path);
    if (!in) {
      std::fprintf(stderr, "opinia-load: cannot read %s\n", path.c_str());
      std::exit(2);
    }
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
      if (header) {
        header = false;
        continue;
      }
      std::vector<std::string> cols = absl::StrSplit(line, absl::MaxSplits('\t', 3));
      if (cols.size() < 4 || cols[3].empty()) continue;
      Text t;
      t.lang = cols[0];
      t.stars = std::atoi(cols[2].c_str());
      t.text = std::move(cols[3]);
      texts.push_back(std::move(t));
    }
  }
  return texts;
}

std::vector<std::string> TextFiles() {
  if (!absl::GetFlag(FLAGS_file).empty()) {
    return absl::StrSplit(absl::GetFlag(FLAGS_file), ',', absl::SkipEmpty());
  }
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(
           absl::GetFlag(FLAGS_data_dir), ec)) {
    if (e.path().extension() == ".tsv") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return std::string(absl::StripAsciiWhitespace(line));
}

int64_t RssKb(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return -1;
}

// User + system CPU seconds the process has used (/proc/PID/stat), -1 when
// unknown.
double CpuSeconds(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // Fields after the parenthesised command name; utime and stime are the
  // 14th and 15th fields of the line.
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::vector<std::string> fields = absl::StrSplit(
      absl::string_view(stat).substr(paren + 2), ' ', absl::SkipEmpty());
  if (fields.size() < 13) return -1;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return (std::atof(fields[11].c_str()) + std::atof(fields[12].c_str())) /
         ticks;
}

// Sums over the server processes (replicas); -1 when none is known.
int64_t RssKb(const std::vector<int>& pids) {
  int64_t sum = -1;
  for (int pid : pids) {
    const int64_t kb = RssKb(pid);
    if (kb >= 0) sum = std::max<int64_t>(sum, 0) + kb;
  }
  return sum;
}

double CpuSeconds(const std::vector<int>& pids) {
  double sum = -1;
  for (int pid : pids) {
    const double s = CpuSeconds(pid);
    if (s >= 0) sum = std::max(sum, 0.0) + s;
  }
  return sum;
}

std::vector<int> ParsePids(const std::string& list) {
  std::vector<int> pids;
  for (absl::string_view p : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    int pid = 0;
    if (!absl::SimpleAtoi(p, &pid) || pid <= 0) {
      std::fprintf(stderr, "opinia-load: --server-pid: not a pid: \"%s\"\n",
                   std::string(p).c_str());
      std::exit(2);
    }
    pids.push_back(pid);
  }
  return pids;
}

// This process's user + system CPU seconds (all threads).
double OwnCpuSeconds() {
  struct rusage u;
  if (getrusage(RUSAGE_SELF, &u) != 0) return -1;
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec / 1e6;
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

std::string DbSizes(const std::string& db) {
  if (db.empty()) return "";
  return absl::StrCat(" db=", FileSize(db) >> 20, "MiB wal=",
                      FileSize(db + "-wal") >> 20, "MiB");
}

// The spawned server, when --spawn is given.
struct Spawned {
  pid_t pid = -1;
  std::string address;
  std::string key_file;
};

Spawned SpawnServer(const std::string& binary, const std::string& db) {
  if (db.empty()) {
    std::fprintf(stderr, "opinia-load: --spawn needs --db\n");
    std::exit(2);
  }
  const std::string dir =
      std::filesystem::absolute(db).parent_path().string();
  std::filesystem::create_directories(dir);
  Spawned s;
  s.key_file = dir + "/admin.key";
  const std::string ready = dir + "/opinia-load.ready";
  std::filesystem::remove(ready);
  std::vector<std::string> args = {binary, "--listen=127.0.0.1:0",
                                   "--db=" + db,
                                   "--bootstrap-admin-key-file=" + s.key_file,
                                   "--ready-file=" + ready};
  for (absl::string_view a : absl::StrSplit(absl::GetFlag(FLAGS_server_args),
                                            ' ', absl::SkipEmpty())) {
    args.emplace_back(a);
  }
  const std::string log = dir + "/opinia-server.log";
  absl::StatusOr<pid_t> pid = opinia::SpawnLogged(std::move(args), log);
  if (!pid.ok()) {
    std::fprintf(stderr, "opinia-load: %s\n",
                 std::string(pid.status().message()).c_str());
    std::exit(2);
  }
  s.pid = *pid;
  absl::StatusOr<std::string> address =
      opinia::AwaitReadyFile(ready, s.pid, absl::Seconds(120));
  if (!address.ok()) {
    std::fprintf(stderr, "opinia-load: server did not start; see %s\n",
                 log.c_str());
    std::exit(2);
  }
  s.address = *std::move(address);
  std::printf("spawned opinia-server pid %d on %s (log %s)\n", s.pid,
              s.address.c_str(), log.c_str());
  return s;
}

// Calls wait for a ready replica (see NewCallContext) until the deadline.
std::unique_ptr<grpc::ClientContext> Context(const std::string& key,
                                             int deadline_ms) {
  return opinia::bench::NewCallContext(key, absl::Milliseconds(deadline_ms));
}

// Creates a tenant and a key with ingest+read roles; returns the secret.
std::string BootstrapKey(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& operator_key,
                         const std::string& run_id) {
  auto admin = opinia::v1::AdminService::NewStub(channel);
  opinia::v1::CreateTenantRequest treq;
  treq.mutable_tenant()->set_display_name("opinia-load " + run_id);
  opinia::v1::Tenant tenant;
  grpc::Status s =
      admin->CreateTenant(Context(operator_key, 30000).get(), treq, &tenant);
  if (!s.ok()) {
    std::fprintf(stderr, "opinia-load: CreateTenant: %s\n",
                 s.error_message().c_str());
    std::exit(2);
  }
  opinia::v1::CreateApiKeyRequest kreq;
  kreq.mutable_api_key()->set_tenant(tenant.name());
  kreq.mutable_api_key()->add_roles(opinia::v1::ROLE_INGEST);
  kreq.mutable_api_key()->add_roles(opinia::v1::ROLE_READ);
  kreq.mutable_api_key()->set_display_name("opinia-load");
  opinia::v1::CreateApiKeyResponse kresp;
  s = admin->CreateApiKey(Context(operator_key, 30000).get(), kreq, &kresp);
  if (!s.ok()) {
    std::fprintf(stderr, "opinia-load: CreateApiKey: %s\n",
                 s.error_message().c_str());
    std::exit(2);
  }
  std::fprintf(stderr, "tenant %s, key %s\n", tenant.name().c_str(),
               kresp.api_key().name().c_str());
  return kresp.secret();
}

constexpr const char* kSources[] = {"storefront", "google", "allegro",
                                    "ceneo", "trustpilot"};

// Per-client results; merged at the end.
struct Stats {
  std::vector<int64_t> latency_us;  // successful calls after warm-up
  std::map<std::string, int64_t> errors;  // status code name -> calls
  std::map<std::string, int64_t> by_replica;  // answering address -> calls
  int64_t resent = 0;  // calls that repeated a failed call's reviews
  int64_t outcomes[5] = {0, 0, 0, 0, 0};  // by IngestResult::Outcome
  int64_t calls = 0;
};

// Counters the sampler reads while clients run.
std::atomic<int64_t> g_acked{0};
std::atomic<int64_t> g_failed_calls{0};
std::atomic<bool> g_stop{false};

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK: return "OK";
    case grpc::CANCELLED: return "CANCELLED";
    case grpc::UNKNOWN: return "UNKNOWN";
    case grpc::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND: return "NOT_FOUND";
    case grpc::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::ABORTED: return "ABORTED";
    case grpc::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::INTERNAL: return "INTERNAL";
    case grpc::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::DATA_LOSS: return "DATA_LOSS";
    case grpc::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "OTHER";
  }
}

class AckLog {
 public:
  explicit AckLog(const std::string& path) {
    if (!path.empty()) {
      fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd_ < 0) {
        std::fprintf(stderr, "opinia-load: cannot open %s\n", path.c_str());
        std::exit(2);
      }
    }
  }
  ~AckLog() {
    if (fd_ >= 0) close(fd_);
  }
  bool enabled() const { return fd_ >= 0; }
  // One write() per batch: lines of concurrent clients never interleave.
  void Append(const std::string& lines) {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t done = 0;
    while (done < lines.size()) {
      ssize_t n = write(fd_, lines.data() + done, lines.size() - done);
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }

 private:
  int fd_ = -1;
  std::mutex mutex_;
};

// Failures after which the same reviews are sent again: the server or the
// network failed, not the request. Ingest is idempotent, so a batch the
// failed call did store comes back UNCHANGED.
bool Transient(grpc::StatusCode code) {
  switch (code) {
    case grpc::UNAVAILABLE:
    case grpc::DEADLINE_EXCEEDED:
    case grpc::ABORTED:
    case grpc::RESOURCE_EXHAUSTED:
    case grpc::CANCELLED:
    case grpc::UNKNOWN:
      return true;
    default:
      return false;
  }
}

void RunClient(int id, const opinia::bench::ReplicaTarget& target,
               const std::string& key, const std::vector<Text>& texts,
               const std::string& run_id, Clock::time_point start,
               Clock::time_point end, Clock::time_point warm, AckLog* ack_log,
               Stats* stats) {
  grpc::ChannelArguments args;
  // One connection per client: otherwise gRPC would share one TCP
  // connection (and one server thread's read path) among all clients.
  args.SetInt("grpc.channel_id", id);
  args.SetMaxSendMessageSize(64 << 20);
  args.SetMaxReceiveMessageSize(64 << 20);
  // Reconnects quickly after a server restart (chaos runs); round_robin
  // over several replicas.
  auto channel = opinia::bench::NewReplicaChannel(target, args);
  // Connect before the first call: a call on a channel still connecting
  // fails fast, and 16 clients connecting at once sometimes saw a transient
  // "failed to connect" that is the client's, not the server's. If the
  // server is down (chaos runs) the calls below fail and retry as usual.
  // With several replicas this returns once the first one is connected.
  channel->WaitForConnected(std::chrono::system_clock::now() +
                            std::chrono::seconds(10));
  auto stub = opinia::v1::ReviewService::NewStub(channel);
  const int batch = std::max(1, absl::GetFlag(FLAGS_batch));
  const int clients = std::max(1, absl::GetFlag(FLAGS_clients));
  const double rate = absl::GetFlag(FLAGS_rate);
  const int deadline_ms = absl::GetFlag(FLAGS_deadline_ms);
  // Seconds between calls of this client at the target rate.
  const double interval = rate > 0 ? batch * clients / rate : 0;
  std::mt19937_64 rng(static_cast<uint64_t>(id) * 7919 + 17);
  size_t next_text = rng() % texts.size();
  int64_t seq = 0;
  int64_t call_no = 0;
  opinia::v1::IngestReviewsRequest request;
  bool resend = false;  // the last call failed transiently: same reviews
  while (!g_stop.load(std::memory_order_relaxed)) {
    Clock::time_point now = Clock::now();
    if (interval > 0) {
      const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(
                                       interval * call_no +
                                       interval * id / clients));
      if (due >= end) break;
      if (due > now) std::this_thread::sleep_until(due);
      ++call_no;
    }
    if (Clock::now() >= end) break;
    if (resend) {
      ++stats->resent;
    } else {
      request.Clear();
    }
    for (int i = resend ? batch : 0; i < batch; ++i) {
      const Text& t = texts[next_text];
      next_text = (next_text + 1) % texts.size();
      opinia::v1::ReviewInput* r = request.add_reviews();
      r->set_source(kSources[seq % 5]);
      r->set_external_id(absl::StrCat(run_id, "-", id, "-", seq));
      r->set_subject_id(absl::StrCat("sku-", seq % 97));
      r->set_text(t.text);
      if (t.stars >= 1 && t.stars <= 5) r->set_rating(t.stars);
      r->set_language_hint(t.lang);
      ++seq;
    }
    opinia::v1::IngestReviewsResponse response;
    const Clock::time_point sent = Clock::now();
    std::unique_ptr<grpc::ClientContext> context = Context(key, deadline_ms);
    grpc::Status status =
        stub->IngestReviews(context.get(), request, &response);
    const Clock::time_point done = Clock::now();
    ++stats->calls;
    resend = !status.ok() && Transient(status.error_code());
    if (status.ok()) {
      ++stats->by_replica[opinia::bench::PeerAddress(context->peer())];
    }
    if (!status.ok()) {
      ++stats->errors[CodeName(status.error_code())];
      g_failed_calls.fetch_add(1, std::memory_order_relaxed);
      // The first few failures, and the first of each code, are printed: a
      // count alone does not say whether the server, the network or the
      // deadline failed.
      static std::atomic<int> printed{0};
      static std::atomic<uint32_t> codes_seen{0};
      const uint32_t code_bit = 1u
                                << (static_cast<int>(status.error_code()) & 31);
      const bool new_code = (codes_seen.fetch_or(code_bit) & code_bit) == 0;
      if (absl::GetFlag(FLAGS_stop_on_error) || printed.fetch_add(1) < 5 ||
          new_code) {
        std::fprintf(stderr, "opinia-load: %s: %s\n",
                     CodeName(status.error_code()),
                     status.error_message().c_str());
      }
      if (absl::GetFlag(FLAGS_stop_on_error)) g_stop = true;
      // Failing fast (server restarting): do not spin.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    std::string acked;
    int64_t ok_items = 0;
    for (int i = 0; i < response.results_size(); ++i) {
      const auto& r = response.results(i);
      const int outcome = std::clamp(static_cast<int>(r.outcome()), 0, 4);
      if (sent >= warm) ++stats->outcomes[outcome];
      if (r.outcome() == opinia::v1::IngestResult::REJECTED) continue;
      ++ok_items;
      if (ack_log->enabled()) {
        absl::StrAppend(&acked, request.reviews(i).source(), "\t",
                        request.reviews(i).external_id(), "\n");
      }
    }
    g_acked.fetch_add(ok_items, std::memory_order_relaxed);
    if (!acked.empty()) ack_log->Append(acked);
    if (sent >= warm) {
      stats->latency_us.push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(done - sent)
              .count());
    }
  }
}

double Percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * (sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Load generator for opinia-server (see the comment at the top of "
      "bench/opinia_load.cc)");
  // --flag-name and --flag_name both work (like opinia-server).
  std::vector<std::string> arg_storage(argv, argv + argc);
  std::vector<char*> args;
  for (size_t i = 0; i < arg_storage.size(); ++i) {
    std::string& a = arg_storage[i];
    if (i > 0 && a.rfind("--", 0) == 0) {
      const size_t end = std::min(a.find('='), a.size());
      std::replace(a.begin() + 2, a.begin() + end, '-', '_');
    }
    args.push_back(a.data());
  }
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  signal(SIGPIPE, SIG_IGN);
  // SIGINT/SIGTERM end the run early; the summary is still printed.
  signal(SIGINT, [](int) { g_stop = true; });
  signal(SIGTERM, [](int) { g_stop = true; });

  const std::vector<Text> texts = LoadTexts(TextFiles());
  if (texts.empty()) {
    std::fprintf(stderr, "opinia-load: no review texts (--file/--data-dir)\n");
    return 2;
  }
  std::string run_id = absl::GetFlag(FLAGS_run_id);
  if (run_id.empty()) {
    run_id = absl::StrCat("load", absl::ToUnixMillis(absl::Now()));
  }
  Spawned spawned;
  std::string target_list = absl::GetFlag(FLAGS_target);
  std::string key_file = absl::GetFlag(FLAGS_key_file);
  std::vector<int> pids = ParsePids(absl::GetFlag(FLAGS_server_pid));
  const std::string db = absl::GetFlag(FLAGS_db);
  if (!absl::GetFlag(FLAGS_spawn).empty()) {
    spawned = SpawnServer(absl::GetFlag(FLAGS_spawn), db);
    target_list = spawned.address;
    key_file = spawned.key_file;
    pids = {spawned.pid};
  }
  if (target_list.empty()) {
    std::fprintf(stderr, "opinia-load: give --target or --spawn\n");
    return 2;
  }
  const opinia::bench::ReplicaTarget target =
      opinia::bench::ReplicaTargetsOrExit(target_list, "--target",
                                          "opinia-load");
  auto channel = opinia::bench::NewReplicaChannel(target);
  std::string key = absl::GetFlag(FLAGS_key);
  if (key.empty()) {
    if (key_file.empty()) {
      std::fprintf(stderr, "opinia-load: give --key or --key-file\n");
      return 2;
    }
    key = BootstrapKey(channel, ReadFirstLine(key_file), run_id);
  }
  if (absl::GetFlag(FLAGS_create_key_only)) {
    std::printf("%s\n", key.c_str());
    return 0;
  }

  const int clients = std::max(1, absl::GetFlag(FLAGS_clients));
  const int duration = std::max(1, absl::GetFlag(FLAGS_duration));
  const int warmup = std::max(0, absl::GetFlag(FLAGS_warmup));
  std::printf(
      "run %s: %zu texts, %d clients, batch %d, rate %s, %d s (+%d s "
      "warm-up) against %s\n",
      run_id.c_str(), texts.size(), clients, absl::GetFlag(FLAGS_batch),
      absl::GetFlag(FLAGS_rate) > 0
          ? absl::StrCat(absl::GetFlag(FLAGS_rate), "/s").c_str()
          : "max",
      duration, warmup,
      target.round_robin
          ? absl::StrCat(target.replicas, " replicas, round_robin (",
                         target_list, ")")
                .c_str()
          : target_list.c_str());
  const int64_t rss_before = RssKb(pids);
  std::printf("server RSS before: %" PRId64 " KiB%s\n", rss_before,
              DbSizes(db).c_str());
  std::fflush(stdout);

  AckLog ack_log(absl::GetFlag(FLAGS_ack_log));
  const Clock::time_point start = Clock::now();
  const Clock::time_point warm = start + std::chrono::seconds(warmup);
  const Clock::time_point end = warm + std::chrono::seconds(duration);
  std::vector<Stats> stats(clients);
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back(RunClient, i, target, key, std::cref(texts), run_id,
                         start, end, warm, &ack_log, &stats[i]);
  }
  int64_t acked_at_warm = 0;
  double cpu_at_warm = warmup == 0 ? CpuSeconds(pids) : -1;
  double own_cpu_at_warm = OwnCpuSeconds();
  // Scripts that measure other processes too (bench/replicas_bench.sh)
  // start their CPU counters at this line.
  if (warmup == 0) std::printf("measuring from now\n");
  std::fflush(stdout);
  {
    const int every = absl::GetFlag(FLAGS_sample_every);
    int64_t last = 0;
    Clock::time_point last_t = start;
    bool warm_seen = warmup == 0;
    int64_t rss_peak_after_warm = 0;
    while (Clock::now() < end && !g_stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const Clock::time_point now = Clock::now();
      if (!warm_seen && now >= warm) {
        warm_seen = true;
        acked_at_warm = g_acked.load();
        cpu_at_warm = CpuSeconds(pids);
        own_cpu_at_warm = OwnCpuSeconds();
        std::printf("measuring from now\n");
        std::fflush(stdout);
      }
      if (every > 0 && now - last_t >= std::chrono::seconds(every)) {
        const int64_t acked = g_acked.load();
        const double secs = std::chrono::duration<double>(now - last_t).count();
        const int64_t rss = RssKb(pids);
        if (now >= warm) rss_peak_after_warm = std::max(rss_peak_after_warm, rss);
        std::printf(
            "t=%4.0fs %8.0f reviews/s acked=%" PRId64 " failed_calls=%" PRId64
            " rss=%" PRId64 "KiB%s\n",
            std::chrono::duration<double>(now - start).count(),
            (acked - last) / secs, acked, g_failed_calls.load(), rss,
            DbSizes(db).c_str());
        std::fflush(stdout);
        last = acked;
        last_t = now;
      }
    }
    if (rss_peak_after_warm > 0) {
      std::printf("server RSS peak after warm-up: %" PRId64 " KiB\n",
                  rss_peak_after_warm);
    }
  }
  for (auto& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - warm).count();

  Stats all;
  for (auto& s : stats) {
    all.latency_us.insert(all.latency_us.end(), s.latency_us.begin(),
                          s.latency_us.end());
    for (auto& [code, n] : s.errors) all.errors[code] += n;
    for (int i = 0; i < 5; ++i) all.outcomes[i] += s.outcomes[i];
    all.calls += s.calls;
    all.resent += s.resent;
    for (auto& [replica, n] : s.by_replica) all.by_replica[replica] += n;
  }
  std::sort(all.latency_us.begin(), all.latency_us.end());
  const int64_t acked = g_acked.load() - acked_at_warm;
  int64_t failed = 0;
  for (auto& [code, n] : all.errors) failed += n;
  std::printf("calls: %" PRId64 " ok, %" PRId64 " failed\n",
              static_cast<int64_t>(all.latency_us.size()), failed);
  std::printf("reviews: created %" PRId64 ", updated %" PRId64
              ", unchanged %" PRId64 ", rejected %" PRId64 "\n",
              all.outcomes[1], all.outcomes[2], all.outcomes[3],
              all.outcomes[4]);
  std::printf("throughput: %.0f reviews/s acknowledged (%.1f calls/s) over "
              "%.1f s\n",
              acked / elapsed, all.latency_us.size() / elapsed, elapsed);
  std::printf("acknowledged after warm-up: %" PRId64 " reviews in %.3f s\n",
              acked, elapsed);
  std::printf("latency per call (ms): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
              Percentile(all.latency_us, 0.50), Percentile(all.latency_us, 0.90),
              Percentile(all.latency_us, 0.99),
              all.latency_us.empty() ? 0.0 : all.latency_us.back() / 1000.0);
  std::printf("errors by code:");
  if (all.errors.empty()) std::printf(" none");
  for (auto& [code, n] : all.errors) std::printf(" %s=%" PRId64, code.c_str(), n);
  std::printf("\n");
  if (all.resent > 0) {
    std::printf("calls that resent a failed call's reviews: %" PRId64 "\n",
                all.resent);
  }
  if (target.round_robin || all.by_replica.size() > 1) {
    std::printf("ok calls by replica:");
    for (auto& [replica, n] : all.by_replica) {
      std::printf(" %s=%" PRId64, replica.c_str(), n);
    }
    std::printf("\n");
  }
  const double cpu_after = CpuSeconds(pids);
  if (cpu_at_warm >= 0 && cpu_after >= 0 && acked > 0) {
    const double cpu = cpu_after - cpu_at_warm;
    std::printf("server CPU: %.1f s (%.2f cores), %.3f ms per acknowledged "
                "review\n",
                cpu, cpu / elapsed, cpu * 1000 / acked);
  }
  // The load generator shares the machine with what it measures.
  std::printf("load generator CPU: %.1f s (%.2f cores)\n",
              OwnCpuSeconds() - own_cpu_at_warm,
              (OwnCpuSeconds() - own_cpu_at_warm) / elapsed);
  const int64_t rss_after = RssKb(pids);
  std::printf("server RSS after: %" PRId64 " KiB (before %" PRId64
              " KiB)%s\n",
              rss_after, rss_before, DbSizes(db).c_str());
  std::fflush(stdout);
  if (spawned.pid > 0) {
    kill(spawned.pid, SIGTERM);
    int status = 0;
    waitpid(spawned.pid, &status, 0);
  }
  return failed == 0 ? 0 : 1;
}
