#include "service/core/collectors/fetcher.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/core/util/outbound_policy.h"

namespace opinia::core::collectors {
namespace {

class RealSleeperImpl final : public Sleeper {
 public:
  void Sleep(absl::Duration d) override { absl::SleepFor(d); }
};

bool Retryable(const absl::Status& s) {
  return absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s);
}

// What messages name: "GET <origin>", never the path or query (a next-page
// link came from a response; a query may carry a key).
std::string Where(const std::string& url) {
  absl::StatusOr<HttpUrl> parsed = ParseHttpUrl(url);
  return parsed.ok() ? absl::StrCat("GET ", parsed->Origin())
                     : std::string("GET (not a valid URL)");
}

// The payload that marks a 401 (IsHttpUnauthorized).
constexpr char kHttpStatusPayload[] = "opinia.dev/http-status";

}  // namespace

bool IsHttpUnauthorized(const absl::Status& status) {
  return absl::IsUnauthenticated(status) &&
         status.GetPayload(kHttpStatusPayload) == absl::Cord("401");
}

Sleeper* RealSleeper() {
  static auto* sleeper = new RealSleeperImpl();
  return sleeper;
}

void StoppableSleeper::Sleep(absl::Duration d) {
  absl::MutexLock lock(&mutex_);
  mutex_.AwaitWithTimeout(absl::Condition(&stopped_), d);
}

bool StoppableSleeper::stopped() const {
  absl::MutexLock lock(&mutex_);
  return stopped_;
}

void StoppableSleeper::Stop() {
  absl::MutexLock lock(&mutex_);
  stopped_ = true;
}

std::string UrlHost(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const size_t at = rest.rfind('@');  // user:pass@host
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  return absl::AsciiStrToLower(absl::string_view(rest.data(), rest.size()));
}

Fetcher::Fetcher(HttpClient* http, Sleeper* sleeper, const Clock* clock,
                 FetchOptions options, uint64_t seed)
    : http_(http),
      sleeper_(sleeper),
      clock_(clock),
      options_(options),
      random_(seed) {}

absl::Duration Fetcher::Backoff(int retry) {
  absl::Duration d = options_.initial_backoff;
  for (int i = 1; i < retry && d < options_.max_backoff; ++i) d *= 2;
  d = std::min(d, options_.max_backoff);
  absl::MutexLock lock(&mutex_);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  return d / 2 + (d / 2) * unit(random_);
}

void Fetcher::AcquireHost(const std::string& host) {
  absl::MutexLock lock(&mutex_);
  auto free = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return in_flight_[host] < std::max(1, options_.max_per_host);
  };
  mutex_.Await(absl::Condition(&free));
  ++in_flight_[host];
}

void Fetcher::ReleaseHost(const std::string& host) {
  absl::MutexLock lock(&mutex_);
  if (--in_flight_[host] <= 0) in_flight_.erase(host);
}

std::optional<absl::Duration> Fetcher::RetryAfter(
    const HttpResult& result) const {
  const std::string value(
      absl::StripAsciiWhitespace(result.Header("Retry-After")));
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  if (absl::SimpleAtoi(value, &seconds)) {
    return absl::Seconds(std::max<int64_t>(0, seconds));
  }
  absl::Time when;
  std::string err;
  if (absl::ParseTime("%a, %d %b %Y %H:%M:%S", value.substr(0, 25),
                      absl::UTCTimeZone(), &when, &err)) {
    return std::max(absl::ZeroDuration(), when - clock_->Now());
  }
  return std::nullopt;
}

absl::StatusOr<std::string> Fetcher::Get(const std::string& url,
                                         const HttpHeaders& headers) {
  const std::string host = UrlHost(url);
  const std::string where = Where(url);
  std::string last_failure;
  for (int attempt = 1;; ++attempt) {
    AcquireHost(host);
    absl::StatusOr<HttpResult> result = http_->Get(url, headers, options_.call);
    ReleaseHost(host);

    std::optional<absl::Duration> wait;
    if (!result.ok()) {
      if (!Retryable(result.status())) return result.status();
      // The transport's message already names the origin.
      last_failure = std::string(result.status().message());
    } else if (result->status >= 200 && result->status < 300) {
      return std::move(result->body);
    } else if (result->status == 429) {
      last_failure = absl::StrCat(where, ": HTTP 429 Too Many Requests");
      wait = RetryAfter(*result);
      if (wait.has_value() && *wait > options_.max_retry_after) {
        return absl::FailedPreconditionError(absl::StrCat(
            where, ": HTTP 429 with Retry-After ",
            absl::FormatDuration(*wait), "; will try again on the next run"));
      }
    } else if (result->status >= 500) {
      last_failure = absl::StrCat(where, ": HTTP ", result->status);
    } else if (result->status == 401 || result->status == 403) {
      absl::Status rejected = absl::UnauthenticatedError(
          absl::StrCat(where, ": HTTP ", result->status,
                       ": the platform rejected the credentials"));
      rejected.SetPayload(kHttpStatusPayload,
                          absl::Cord(absl::StrCat(result->status)));
      return rejected;
    } else if (result->status == 404) {
      return absl::NotFoundError(
          absl::StrCat(where, ": HTTP 404: check the endpoint"));
    } else {
      return absl::FailedPreconditionError(
          absl::StrCat(where, ": HTTP ", result->status));
    }
    if (attempt >= options_.max_attempts) {
      return absl::UnavailableError(
          absl::StrCat(last_failure, " (", attempt, " attempts)"));
    }
    sleeper_->Sleep(wait.has_value() ? *wait : Backoff(attempt));
    if (sleeper_->stopped()) {
      return absl::CancelledError(
          absl::StrCat(last_failure, "; shutting down"));
    }
  }
}

}  // namespace opinia::core::collectors
