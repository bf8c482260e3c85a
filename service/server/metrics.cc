#include "service/server/metrics.h"

#include <sys/stat.h>

#include <chrono>
#include <cstring>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/support/interceptor.h"
#include "opinia/v1/alerts.pb.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "service/storage/open/open_store.h"
#include "service/storage/store.h"

namespace opinia::server {
namespace {

const char* CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {
      "OK",          "CANCELLED",          "UNKNOWN",
      "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS",   "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED",     "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",          "UNAVAILABLE",
      "DATA_LOSS",     "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i <= 16 ? kNames[i] : "UNKNOWN";
}

// "/opinia.v1.ReviewService/IngestReviews" -> "ReviewService/IngestReviews".
std::string MethodLabel(const char* full) {
  std::string_view m = full != nullptr ? full : "";
  if (!m.empty() && m[0] == '/') m.remove_prefix(1);
  if (size_t dot = m.rfind('.', m.find('/')); dot != std::string_view::npos) {
    m.remove_prefix(dot + 1);
  }
  return std::string(m);
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* const b = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return *b;
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

prometheus::MetricFamily Counter(const char* name, const char* help,
                                 double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = prometheus::MetricType::Counter;
  prometheus::ClientMetric m;
  m.counter.value = value;
  family.metric.push_back(std::move(m));
  return family;
}

// The store's write counters and, for a SQLite file, opinia_db_size_bytes,
// read when scraped. A PostgreSQL database's size is PostgreSQL's to report
// (pg_database_size; the operator's PostgreSQL monitoring), so a URL
// database exports no size rather than a misleading 0.
class StoreCollectable : public prometheus::Collectable {
 public:
  StoreCollectable(std::string db, storage::Store* store)
      : db_(std::move(db)),
        file_backed_(!storage::IsStoreUrl(db_)),
        store_(store) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<prometheus::MetricFamily> out;
    const storage::StoreStats w = store_->Stats();
    out.push_back(Counter("opinia_store_writes_total",
                          "Write transactions requested (one per ingest "
                          "call or other change)",
                          static_cast<double>(w.writes)));
    out.push_back(Counter("opinia_store_commits_total",
                          "Store transactions committed for them (SQLite's "
                          "group commit shares one between queued writes)",
                          static_cast<double>(w.transactions)));
    out.push_back(Counter(
        "opinia_store_writer_busy_seconds_total",
        "Time spent running write transactions (SQLite: the single "
        "writer, whose rate near 1 means writes are limited by it; "
        "PostgreSQL: summed over concurrent transactions)",
        absl::ToDoubleSeconds(w.busy)));
    if (!file_backed_) return out;
    prometheus::MetricFamily family;
    family.name = "opinia_db_size_bytes";
    family.help = "Size of the SQLite database file and its write-ahead log";
    family.type = prometheus::MetricType::Gauge;
    for (const auto& [label, path] :
         {std::pair<const char*, std::string>{"db", db_},
          {"wal", db_ + "-wal"}}) {
      prometheus::ClientMetric m;
      m.label.push_back({"file", label});
      m.gauge.value = static_cast<double>(FileSize(path));
      family.metric.push_back(std::move(m));
    }
    out.push_back(std::move(family));
    return out;
  }

 private:
  const std::string db_;
  const bool file_backed_;  // a SQLite file, not a database URL
  storage::Store* const store_;
};

}  // namespace

class ServerMetrics::Impl : public core::MetricsSink {
 public:
  explicit Impl(std::shared_ptr<prometheus::Registry> registry)
      : registry_(std::move(registry)),
        requests_(prometheus::BuildCounter()
                      .Name("opinia_rpc_requests_total")
                      .Help("gRPC calls finished, by method and status code")
                      .Register(*registry_)),
        latency_(prometheus::BuildHistogram()
                     .Name("opinia_rpc_latency_seconds")
                     .Help("gRPC call latency (start to status), by method "
                           "and status code")
                     .Register(*registry_)),
        in_flight_(prometheus::BuildGauge()
                       .Name("opinia_rpc_in_flight")
                       .Help("gRPC calls in progress")
                       .Register(*registry_)),
        ingested_(prometheus::BuildCounter()
                      .Name("opinia_reviews_ingested_total")
                      .Help("Reviews ingested, by outcome")
                      .Register(*registry_)),
        analysis_(prometheus::BuildHistogram()
                      .Name("opinia_analysis_seconds")
                      .Help("Time to analyse one review")
                      .Register(*registry_)
                      .Add({}, prometheus::Histogram::BucketBoundaries{
                                   0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                   0.005, 0.01, 0.025, 0.05, 0.1})),
        subscribers_(prometheus::BuildGauge()
                         .Name("opinia_alert_subscribers")
                         .Help("Open StreamAlerts subscriber streams")
                         .Register(*registry_)
                         .Add({})),
        alert_lag_(prometheus::BuildHistogram()
                       .Name("opinia_alert_lag_seconds")
                       .Help("Alert create_time to its delivery on a "
                             "StreamAlerts stream")
                       .Register(*registry_)
                       .Add({}, LatencyBuckets())),
        webhooks_(prometheus::BuildCounter()
                      .Name("opinia_webhook_deliveries_total")
                      .Help("Webhook delivery attempts, by result")
                      .Register(*registry_)) {}

  void ReviewsIngested(std::string_view outcome, int64_t n) override {
    ingested_.Add({{"outcome", std::string(outcome)}})
        .Increment(static_cast<double>(n));
  }
  void AnalysisTime(absl::Duration d) override {
    analysis_.Observe(absl::ToDoubleSeconds(d));
  }
  void AlertLag(absl::Duration d) override {
    alert_lag_.Observe(absl::ToDoubleSeconds(d));
  }
  void SubscriberStreams(int delta) override {
    subscribers_.Increment(static_cast<double>(delta));
  }
  void WebhookDelivery(std::string_view result) override {
    webhooks_.Add({{"result", std::string(result)}}).Increment();
  }

  void CallStarted(const std::string& method) {
    in_flight_.Add({{"method", method}}).Increment();
  }
  void CallFinished(const std::string& method, grpc::StatusCode code,
                    double seconds) {
    in_flight_.Add({{"method", method}}).Decrement();
    const prometheus::Labels labels = {{"method", method},
                                       {"code", CodeName(code)}};
    requests_.Add(labels).Increment();
    latency_.Add(labels, LatencyBuckets()).Observe(seconds);
  }

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Gauge>& in_flight_;
  prometheus::Family<prometheus::Counter>& ingested_;
  prometheus::Histogram& analysis_;
  prometheus::Gauge& subscribers_;
  prometheus::Histogram& alert_lag_;
  prometheus::Family<prometheus::Counter>& webhooks_;
  std::shared_ptr<StoreCollectable> store_metrics_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string address_;
};

namespace {

constexpr std::string_view kStreamAlerts = "AlertService/StreamAlerts";

// One per call: counts it, times it, and for StreamAlerts measures the lag
// of every alert it sends and the number of open subscriber streams.
class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(grpc::experimental::ServerRpcInfo* info,
                     ServerMetrics::Impl* metrics)
      : metrics_(metrics),
        method_(MethodLabel(info->method())),
        is_alert_stream_(method_ == kStreamAlerts),
        start_(std::chrono::steady_clock::now()) {
    metrics_->CallStarted(method_);
    if (is_alert_stream_) metrics_->SubscriberStreams(1);
  }
  ~MetricsInterceptor() override {
    if (!finished_) {
      // The call ended without a status passing through (cancelled).
      Finish(grpc::StatusCode::CANCELLED);
    }
    if (is_alert_stream_) metrics_->SubscriberStreams(-1);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (is_alert_stream_ &&
        methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      if (const void* m = methods->GetSendMessage(); m != nullptr) {
        const auto* event = static_cast<const opinia::v1::AlertEvent*>(m);
        // From the event (a reopen happens long after the alert's creation).
        const auto& t = event->has_event_time() ? event->event_time()
                                                : event->alert().create_time();
        if (t.seconds() > 0) {
          const absl::Time created =
              absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
          metrics_->AlertLag(absl::Now() - created);
        }
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Finish(grpc::StatusCode code) {
    finished_ = true;
    metrics_->CallFinished(
        method_, code,
        std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                      start_)
            .count());
  }

  ServerMetrics::Impl* const metrics_;
  const std::string method_;
  const bool is_alert_stream_;
  const std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

class MetricsInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(ServerMetrics::Impl* metrics)
      : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(info, metrics_);
  }

 private:
  ServerMetrics::Impl* const metrics_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ServerMetrics>> ServerMetrics::Create(
    const std::string& listen, const std::string& db_path,
    storage::Store* store) {
  auto impl = std::make_unique<Impl>(std::make_shared<prometheus::Registry>());
  try {
    impl->exposer_ = std::make_unique<prometheus::Exposer>(listen, 1);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", listen, ": ", e.what()));
  }
  const std::vector<int> ports = impl->exposer_->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", listen));
  }
  impl->exposer_->RegisterCollectable(impl->registry_);
  impl->store_metrics_ = std::make_shared<StoreCollectable>(db_path, store);
  impl->exposer_->RegisterCollectable(impl->store_metrics_);
  const size_t colon = listen.rfind(':');
  impl->address_ = absl::StrCat(listen.substr(0, colon), ":", ports.front());
  return std::unique_ptr<ServerMetrics>(new ServerMetrics(std::move(impl)));
}

ServerMetrics::ServerMetrics(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

ServerMetrics::~ServerMetrics() = default;

core::MetricsSink* ServerMetrics::sink() { return impl_.get(); }

const std::string& ServerMetrics::address() const { return impl_->address_; }

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
ServerMetrics::NewInterceptorFactory() {
  return std::make_unique<MetricsInterceptorFactory>(impl_.get());
}

}  // namespace opinia::server
