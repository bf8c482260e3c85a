#include "service/server/failed_requests.h"

#include <mutex>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/stubs/logging.h"
#include "service/server/log.h"

namespace opinia::server {
namespace {

constexpr const char* kWhat[] = {"failed authentication", "could not be parsed"};

// The FailedRequestLog libprotobuf's messages go to.
absl::Mutex route_mutex;
FailedRequestLog* routed ABSL_GUARDED_BY(route_mutex) = nullptr;

void HandleProtobufLog(google::protobuf::LogLevel level, const char* file,
                       int line, const std::string& message) {
  if (absl::StrContains(message, "parsing")) {
    absl::MutexLock lock(&route_mutex);
    if (routed != nullptr) {
      routed->Count(FailedRequestLog::Kind::kParse, "", "");
      return;
    }
  }
  Log(level >= google::protobuf::LOGLEVEL_ERROR ? LogLevel::kError
                                                : LogLevel::kWarning,
      absl::StrCat("libprotobuf: ", message),
      {{"source", absl::StrCat(file, ":", line)}});
}

}  // namespace

FailedRequestLog::FailedRequestLog(absl::Duration interval)
    : since_(absl::Now()) {
  flushes_.Start(interval, [this] { Flush(); });
}

FailedRequestLog::~FailedRequestLog() {
  flushes_.Stop();
  {
    absl::MutexLock lock(&route_mutex);
    if (routed == this) routed = nullptr;
  }
  Flush();
}

void FailedRequestLog::Count(Kind kind, std::string_view method,
                             std::string_view peer) {
  absl::MutexLock lock(&mutex_);
  Tally& tally = tallies_[static_cast<size_t>(kind)];
  ++tally.count;
  tally.last_method = std::string(method);
  tally.last_peer = std::string(peer);
}

void FailedRequestLog::Flush() {
  std::array<Tally, 2> tallies;
  absl::Duration period;
  {
    absl::MutexLock lock(&mutex_);
    tallies = std::exchange(tallies_, {});
    const absl::Time now = absl::Now();
    period = absl::Trunc(now - since_, absl::Milliseconds(100));
    since_ = now;
  }
  for (size_t kind = 0; kind < tallies.size(); ++kind) {
    const Tally& t = tallies[kind];
    if (t.count == 0) continue;
    LogWarning(absl::StrCat(t.count, t.count == 1 ? " request " : " requests ",
                            kWhat[kind], " in the last ",
                            absl::FormatDuration(period)),
               {{"count", absl::StrCat(t.count)},
                {"interval", absl::FormatDuration(period)},
                {"last_method", t.last_method.empty() ? "-" : t.last_method},
                {"last_peer", t.last_peer.empty() ? "-" : t.last_peer}});
  }
}

void FailedRequestLog::RouteProtobufLog(FailedRequestLog* log) {
  static std::once_flag installed;
  std::call_once(installed,
                 [] { google::protobuf::SetLogHandler(&HandleProtobufLog); });
  absl::MutexLock lock(&route_mutex);
  routed = log;
}

}  // namespace opinia::server
