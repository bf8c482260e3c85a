#include "service/server/app.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "service/core/util/clock.h"
#include "service/http/security.h"
#include "service/rpc/utf8_checked_service.h"
#include "service/server/files.h"
#include "service/server/log.h"
#include "service/server/parse_error_interceptor.h"
#include "service/server/secrets_key.h"
#include "service/storage/open/open_store.h"
#include "util/status_macros.h"

namespace opinia::server {
namespace {

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const Options& options) {
  if (options.tls_cert.empty() && options.tls_key.empty()) {
    return grpc::InsecureServerCredentials();
  }
  if (options.tls_cert.empty() || options.tls_key.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert and --tls-key go together");
  }
  ASSIGN_OR_RETURN(std::string cert, ReadWholeFile(options.tls_cert));
  ASSIGN_OR_RETURN(std::string key, ReadWholeFile(options.tls_key));
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({key, cert});
  return grpc::SslServerCredentials(ssl);
}

// How often the count of requests that failed authentication or parsing is
// logged (when not zero).
constexpr absl::Duration kFailedRequestsEvery = absl::Seconds(10);
// How often open streams' keys are re-read from the store.
constexpr absl::Duration kKeyRecheckInterval = absl::Milliseconds(500);
// Health follows the database (store_health.h): a read every second; one
// that fails or has not answered within 3 s makes the server NOT_SERVING.
constexpr absl::Duration kStorePingInterval = absl::Seconds(1);
constexpr absl::Duration kStorePingTimeout = absl::Seconds(3);

constexpr const char* kServiceNames[] = {
    "opinia.v1.ReviewService", "opinia.v1.AdminService",
    "opinia.v1.AlertService", "opinia.v1.InsightsService",
    "opinia.v1.CollectorService"};

}  // namespace

absl::StatusOr<std::unique_ptr<App>> App::Start(const Options& options) {
  std::unique_ptr<App> app(new App());
  // Where collectors and webhooks may connect (README "Outbound requests").
  auto allow = core::ParseCidrList(options.outbound_allow);
  if (!allow.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--outbound-allow: ", allow.status().message()));
  }
  app->outbound_ = std::make_unique<core::OutboundPolicy>(*std::move(allow));
  if (!storage::IsStoreUrl(options.db)) {
    RETURN_IF_ERROR(EnsureParentDir(options.db));
    ASSIGN_OR_RETURN(auto narrowed, MakeDatabaseFilesPrivate(options.db));
    for (const std::string& file : narrowed) {
      LogInfo("took group and other permissions off", {{"file", file}});
    }
  }
  if (options.db_pool_size < 1) {
    return absl::InvalidArgumentError("--db-pool-size must be >= 1");
  }
  storage::OpenStoreOptions store_options;
  store_options.postgres.pool_size = options.db_pool_size;
  ASSIGN_OR_RETURN(app->store_, storage::OpenStore(options.db, store_options));
  // Webhook secrets and collector credentials are sealed in the database.
  ASSIGN_OR_RETURN(app->store_, SealStore(options, std::move(app->store_)));
  // This server's holder id for the leases that keep scheduled work to one
  // replica at a time (core/util/lease.h).
  app->replica_id_ = core::NewReplicaId();
  LogInfo("replica " + app->replica_id_, {{"replica_id", app->replica_id_}});
  if (!options.metrics_listen.empty()) {
    ASSIGN_OR_RETURN(app->metrics_,
                     ServerMetrics::Create(options.metrics_listen, options.db,
                                           app->store_.get()));
    LogInfo("metrics on http://" + app->metrics_->address() + "/metrics",
            {{"metrics_address", app->metrics_->address()}});
    app->outbound_->DenyListeningAddress(app->metrics_->address());
  }

  auto analyzer = nlp::CreateAnalyzer(options.models_dir);
  if (analyzer.ok()) {
    app->analyzer_ = *std::move(analyzer);
    LogInfo("models loaded", {{"model_version", app->analyzer_->ModelVersion()},
                              {"models_dir", options.models_dir}});
  } else {
    LogWarning("no analyzer; reviews are stored with an empty analysis, "
               "model_version \"none\"",
               {{"error", std::string(analyzer.status().message())}});
  }
  const core::Clock* clock =
      options.clock != nullptr ? options.clock : core::RealClock();
  app->clock_ = clock;
  core::MetricsSink* metrics =
      app->metrics_ != nullptr ? app->metrics_->sink() : core::NoMetrics();
  app->analysis_ =
      std::make_unique<core::TextAnalysis>(app->analyzer_.get(), metrics);
  app->auth_ = std::make_unique<core::Authenticator>(app->store_.get());
  app->key_watch_ = std::make_unique<core::KeyWatch>(
      app->auth_.get(),
      core::KeyWatch::Limits{options.max_streams_per_key,
                             options.max_streams_per_tenant});
  app->admin_ = std::make_unique<core::Admin>(app->store_.get(), clock,
                                              app->key_watch_.get());
  core::IngestLimits limits;
  limits.max_batch = options.max_batch;
  limits.max_text_bytes = static_cast<size_t>(options.max_text_bytes);
  // Alerts: the evaluator writes alerts inside every review transaction
  // and wakes streams through the hub after the commit.
  app->alert_hub_ = std::make_unique<core::AlertHub>();
  // Commits of other replicas (and this one's) wake the subscribers here.
  app->store_->SetTenantListener(
      [hub = app->alert_hub_.get()](std::string_view tenant) {
        if (tenant.empty()) return hub->NotifyAll();
        hub->Notify(tenant);
      });
  app->alert_evaluator_ =
      std::make_unique<core::AlertEvaluator>(app->alert_hub_.get());
  app->alerts_ = std::make_unique<core::Alerts>(app->store_.get(), clock);
  core::AlertSchedulerOptions scheduler_options;
  scheduler_options.replica_id = app->replica_id_;
  app->alert_scheduler_ = std::make_unique<core::AlertScheduler>(
      app->store_.get(), clock, app->alert_hub_.get(), scheduler_options);
  app->ingestor_ = std::make_unique<core::Ingestor>(
      app->store_.get(), app->analysis_.get(), clock, limits,
      app->alert_evaluator_.get(), metrics);
  app->reviews_ = std::make_unique<core::Reviews>(
      app->store_.get(), clock, app->alert_evaluator_.get());
  app->insights_ = std::make_unique<core::Insights>(app->store_.get(), clock);
  app->settings_ = std::make_unique<core::Settings>(app->store_.get(), clock);
  // Webhooks: deliveries run on the dispatcher's own thread (never on gRPC
  // or worker threads), woken by the alert hub and every second.
  ASSIGN_OR_RETURN(app->webhook_http_,
                   core::CreateCurlHttpClient(app->outbound_.get(),
                                              "opinia-webhooks/0.1"));
  app->webhooks_ = std::make_unique<core::Webhooks>(
      app->store_.get(), clock, app->outbound_.get(),
      options.max_webhooks_per_tenant);
  for (const auto& [flag, value] :
       {std::pair{"--collector-threads", options.collector_threads},
        {"--collector-runs-per-tenant", options.collector_runs_per_tenant},
        {"--collector-runs-per-destination",
         options.collector_runs_per_destination},
        {"--webhook-threads", options.webhook_threads},
        {"--webhook-posts-per-tenant", options.webhook_posts_per_tenant},
        {"--webhook-posts-per-destination",
         options.webhook_posts_per_destination}}) {
    if (value < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, " must be at least 1, got ", value));
    }
  }
  core::WebhookDispatcherOptions webhook_options;
  webhook_options.max_attempts = options.webhook_max_attempts;
  webhook_options.http.timeout = options.webhook_timeout;
  webhook_options.workers = options.webhook_threads;
  webhook_options.per_tenant = options.webhook_posts_per_tenant;
  webhook_options.per_destination = options.webhook_posts_per_destination;
  webhook_options.replica_id = app->replica_id_;
  ASSIGN_OR_RETURN(app->webhook_dispatcher_,
                   core::WebhookDispatcher::Create(
                       app->store_.get(), clock, app->webhook_http_.get(),
                       webhook_options, app->alert_hub_.get(), metrics));
  // Collectors go through the same Ingestor and Reviews as pushed
  // reviews (analysis, alerts, rollups).
  ASSIGN_OR_RETURN(app->collector_http_,
                   core::CreateCurlHttpClient(app->outbound_.get(),
                                              "opinia-collector/0.1"));
  app->collector_sleeper_ =
      std::make_unique<core::collectors::StoppableSleeper>();
  app->collector_executor_ =
      std::make_unique<core::OutboundExecutor>(core::OutboundExecutorOptions{
          options.collector_threads, options.collector_runs_per_tenant,
          options.collector_runs_per_destination});
  core::collectors::FetchOptions fetch;
  // The executor keeps runs per destination within its limit, so a run
  // never waits for the fetcher's per-host slot.
  fetch.max_per_host =
      std::max(fetch.max_per_host, options.collector_runs_per_destination);
  fetch.call.cancel = app->collector_executor_->cancel_flag();
  app->collector_fetcher_ = std::make_unique<core::collectors::Fetcher>(
      app->collector_http_.get(), app->collector_sleeper_.get(), clock, fetch);
  core::collectors::TokenCacheOptions token_options;
  token_options.call.cancel = app->collector_executor_->cancel_flag();
  token_options.on_rotated =
      core::collectors::StoreRotatedRefreshToken(app->store_.get());
  app->collector_tokens_ = std::make_unique<core::collectors::TokenCache>(
      app->collector_http_.get(), clock, token_options);
  app->collector_syncer_ = std::make_unique<core::collectors::Syncer>(
      app->store_.get(), app->ingestor_.get(), app->reviews_.get(),
      app->collector_fetcher_.get(), core::collectors::SyncOptions(),
      app->collector_tokens_.get());
  core::collectors::CollectorsOptions collector_options;
  collector_options.max_per_tenant = options.max_collectors_per_tenant;
  collector_options.replica_id = app->replica_id_;
  app->collectors_ = std::make_unique<core::collectors::Collectors>(
      app->store_.get(), app->collector_syncer_.get(), clock,
      app->outbound_.get(), collector_options,
      app->collector_executor_.get());
  app->collector_scheduler_ =
      std::make_unique<core::collectors::CollectorScheduler>(
          app->collectors_.get());
  // Replies published on the platforms: queued with the response, sent by
  // the outbox's own thread with the collector's credentials.
  if (options.reply_max_attempts < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--reply-max-attempts must be at least 1, got ",
        options.reply_max_attempts));
  }
  ASSIGN_OR_RETURN(app->reply_http_,
                   core::CreateCurlHttpClient(app->outbound_.get(),
                                              "opinia-replies/0.1"));
  core::collectors::ReplyOutboxOptions reply_options;
  reply_options.max_attempts = options.reply_max_attempts;
  reply_options.http.timeout = options.reply_timeout;
  reply_options.base_backoff = options.reply_backoff;
  reply_options.replica_id = app->replica_id_;
  ASSIGN_OR_RETURN(app->reply_outbox_,
                   core::collectors::ReplyOutbox::Create(
                       app->store_.get(), clock, app->reply_http_.get(),
                       reply_options, app->alert_hub_.get(),
                       app->collector_tokens_.get()));
  app->reviews_->set_reply_queue(app->reply_outbox_.get());
  // Removal requests go to the platforms like the collectors' requests, on
  // the collectors' outbound threads.
  core::HttpCallOptions removal_call;
  removal_call.cancel = app->collector_executor_->cancel_flag();
  app->review_removals_ = std::make_unique<core::collectors::ReviewRemovals>(
      app->store_.get(), app->reviews_.get(), app->collector_http_.get(),
      clock, app->collector_tokens_.get(), removal_call,
      app->collector_executor_.get());
  if (absl::Status s = app->Bootstrap(options); !s.ok()) return s;
  if (absl::Status s = app->Serve(options); !s.ok()) return s;
  app->collector_scheduler_->Start();
  app->webhook_dispatcher_->Start();
  app->reply_outbox_->Start();
  // Revocations made elsewhere (another replica) end streams within 1 s.
  app->key_watch_->Start(kKeyRecheckInterval);
  if (options.alert_tick > absl::ZeroDuration()) {
    app->alert_scheduler_->Start(options.alert_tick);
  }
  return app;
}

absl::Status App::Bootstrap(const Options& options) {
  if (options.bootstrap_key_file.empty()) return absl::OkStatus();
  std::error_code ec;
  if (std::filesystem::exists(options.bootstrap_key_file, ec)) {
    LogInfo("bootstrap key file exists; left as it is",
            {{"file", options.bootstrap_key_file}});
    return absl::OkStatus();
  }
  auto secret = core::BootstrapOperatorKey(store_.get(), clock_);
  if (!secret.ok()) return secret.status();
  if (!secret->has_value()) return absl::OkStatus();  // keys exist already
  if (absl::Status s = WriteFileAtomically(options.bootstrap_key_file,
                                           **secret + "\n", 0600);
      !s.ok()) {
    return s;
  }
  LogInfo("operator key written", {{"file", options.bootstrap_key_file}});
  return absl::OkStatus();
}

absl::Status App::Serve(const Options& options) {
  int workers = options.workers;
  if (workers <= 0) {
    workers = std::max(16, 8 * static_cast<int>(std::thread::hardware_concurrency()));
  }
  pool_ = std::make_unique<rpc::WorkerPool>(workers, /*max_queue=*/4096,
                                            options.worker_nice);
  failed_requests_ = std::make_unique<FailedRequestLog>(kFailedRequestsEvery);
  FailedRequestLog::RouteProtobufLog(failed_requests_.get());
  rpc::Deps deps{auth_.get(),    admin_.get(),       ingestor_.get(),
                 reviews_.get(), analysis_.get(),    clock_,
                 pool_.get()};
  if (options.rate_limit_rps > 0) {
    rate_limiter_ = std::make_unique<rpc::RateLimiter>(
        options.rate_limit_rps,
        options.rate_limit_burst > 0
            ? options.rate_limit_burst
            : std::max(1.0, 2 * options.rate_limit_rps));
  }
  deps.rate_limiter = rate_limiter_.get();
  deps.key_watch = key_watch_.get();
  deps.alerts = alerts_.get();
  deps.alert_hub = alert_hub_.get();
  alert_pool_ = std::make_unique<rpc::WorkerPool>(2, /*max_queue=*/1 << 16);
  deps.alert_pool = alert_pool_.get();
  deps.insights = insights_.get();
  deps.settings = settings_.get();
  deps.webhooks = webhooks_.get();
  deps.removals = review_removals_.get();
  review_service_ = std::make_unique<rpc::ReviewServiceImpl>(deps);
  admin_service_ = std::make_unique<rpc::AdminServiceImpl>(deps);
  alert_service_ = std::make_unique<rpc::AlertServiceImpl>(deps);
  insights_service_ = std::make_unique<rpc::InsightsServiceImpl>(deps);
  collector_service_ = std::make_unique<rpc::CollectorServiceImpl>(
      deps, collectors_.get());

  auto credentials = Credentials(options);
  if (!credentials.ok()) return credentials.status();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, *credentials, &port);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  {
    std::vector<std::unique_ptr<
        grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(
        NewParseErrorInterceptorFactory(failed_requests_.get()));
    if (metrics_ != nullptr) {
      interceptors.push_back(metrics_->NewInterceptorFactory());
    }
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
  }
  const std::pair<grpc::Service*, const char*> services[] = {
      {review_service_.get(), kServiceNames[0]},
      {admin_service_.get(), kServiceNames[1]},
      {alert_service_.get(), kServiceNames[2]},
      {insights_service_.get(), kServiceNames[3]},
      {collector_service_.get(), kServiceNames[4]}};
  for (const auto& [service, name] : services) {
    auto checked = rpc::CheckUtf8OfRequests(service, name);
    if (!checked.ok()) return checked.status();
    builder.RegisterService(checked->get());
    checked_services_.push_back(*std::move(checked));
  }
  std::vector<std::string> reflected(std::begin(kServiceNames),
                                     std::end(kServiceNames));
  reflected.insert(reflected.end(), {"grpc.health.v1.Health",
                                     "grpc.reflection.v1alpha.ServerReflection",
                                     "grpc.reflection.v1.ServerReflection"});
  reflection_v1_ = std::make_unique<ReflectionV1Service>(std::move(reflected));
  builder.RegisterService(reflection_v1_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  // SERVING only once the HTTP side listens too (below): a client that
  // waits for health and then calls the HTTP API must find it there. (gRPC's
  // default health service answers SERVING for "" as soon as it starts.)
  auto* health = server_->GetHealthCheckService();
  health->SetServingStatus("", false);
  for (const char* name : kServiceNames) health->SetServingStatus(name, false);
  store_health_ = std::make_unique<StoreHealth>(
      store_.get(), kStorePingInterval, kStorePingTimeout,
      [health](bool reachable, const std::string& why) {
        if (reachable) {
          LogInfo("database reachable again; health SERVING");
        } else {
          LogWarning("database unreachable; health NOT_SERVING",
                     {{"error", why}});
        }
        health->SetServingStatus(reachable);
      });

  const size_t colon = options.listen.rfind(':');
  address_ = absl::StrCat(options.listen.substr(0, colon), ":", port);
  outbound_->DenyListeningAddress(address_);
  LogInfo("listening on " + address_, {{"address", address_}});
  if (absl::Status s = ServeHttp(options); !s.ok()) return s;
  if (store_health_->reachable()) {
    health->SetServingStatus("", true);
    for (const char* name : kServiceNames) health->SetServingStatus(name, true);
  }
  if (!options.ready_file.empty()) {
    if (absl::Status s =
            WriteFileAtomically(options.ready_file, address_ + "\n", 0644);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status App::ServeHttp(const Options& options) {
  if (options.http_listen.empty()) return absl::OkStatus();
  http::GatewayOptions http_options;
  http_options.listen = options.http_listen;
  http_options.tls_cert = options.tls_cert;
  http_options.tls_key = options.tls_key;
  http_options.threads = options.http_threads;
  http_options.max_body_bytes = options.max_message_bytes;
  ASSIGN_OR_RETURN(http_options.allowed_origins,
                   http::ParseAllowedOrigins(options.http_allowed_origins));
  http_options.services.assign(std::begin(kServiceNames),
                               std::end(kServiceNames));
  http_options.access_log = [](const http::AccessLogEntry& entry) {
    LogInfo("http", {{"method", entry.method},
                     {"path", entry.path},
                     {"status", absl::StrCat(entry.status)},
                     {"ms", absl::StrCat(absl::ToInt64Milliseconds(
                                entry.duration))},
                     {"remote", entry.remote}});
  };
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  auto gateway =
      http::Gateway::Start(std::move(http_options), server_->InProcessChannel(args));
  if (!gateway.ok()) {
    if (absl::IsUnavailable(gateway.status()) && !options.http_listen_required) {
      LogWarning("no HTTP API: the default --http-listen port is taken; set "
                 "--http-listen (empty to turn it off)",
                 {{"error", std::string(gateway.status().message())}});
      return absl::OkStatus();
    }
    return gateway.status();
  }
  http_ = *std::move(gateway);
  const std::string scheme = http_->tls() ? "https://" : "http://";
  LogInfo("http on " + scheme + http_->address(),
          {{"http_address", http_->address()},
           {"max_event_streams", absl::StrCat(http_->max_event_streams())}});
  outbound_->DenyListeningAddress(http_->address());
  return absl::OkStatus();
}

void App::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  // Event streams end first, cleanly, and no new connections come; requests
  // in flight finish (or are cancelled with the gRPC calls they wait for).
  if (http_) http_->StopAccepting();
  // Collector back-offs end at once; fetches in flight are cancelled (within
  // about a second) and their runs record nothing, so they run again after
  // a restart; queued runs are dropped (their RunCollector callers get
  // UNAVAILABLE).
  if (collector_sleeper_) collector_sleeper_->Stop();
  if (collector_scheduler_) collector_scheduler_->Stop();
  if (collector_executor_) collector_executor_->Stop();
  if (alert_scheduler_) alert_scheduler_->Stop();
  // Cancels the deliveries in flight (they stay due and are sent after a
  // restart); unsubscribes from the hub before the hub closes.
  webhook_dispatcher_.reset();
  // Cancels a reply request in flight (its row stays in flight and due:
  // checked or re-sent after a restart).
  if (reply_outbox_) reply_outbox_->Stop();
  // Alert streams never end by themselves: end them now (UNAVAILABLE,
  // clients resume with their last token) instead of letting Shutdown wait
  // out the whole grace period for them.
  if (alert_hub_) alert_hub_->CloseAll();
  store_health_.reset();  // before the status goes NOT_SERVING for good
  if (server_) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    server_->Wait();
  }
  if (http_) http_->Stop();
  failed_requests_.reset();  // logs the last count
  pool_.reset();   // runs what is queued, joins
  alert_pool_.reset();
  if (key_watch_) key_watch_->Stop();  // reads the store
  store_.reset();  // closes the database
}

App::~App() { Shutdown(absl::ZeroDuration()); }

}  // namespace opinia::server
