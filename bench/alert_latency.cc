// alert_latency: time from the IngestReviews acknowledgement (the response
// reaching the client) to the alert arriving at a StreamAlerts subscriber,
// while ingesting at a steady rate. Prints p50/p90/p99/max. By default it
// runs the real server in-process on loopback (real SQLite file with
// synchronous=FULL, real models):
//   build/bench/alert_latency [--rate=1000] [--seconds=10] [--batch=10]
//       [--urgent=2] [--subscribers=1] [--models=DIR]
// Against running servers instead (replicas on one PostgreSQL database: the
// subscribers stream from another replica than the one that ingests, so the
// alert crosses replicas through the database):
//   build/bench/alert_latency --ingest-target=127.0.0.1:A
//       --stream-target=127.0.0.1:B --key-file=admin.key [--rate=1000] ...
// Either target may be a comma-separated list (round_robin over it, see
// bench/replica_channel.h); one given alone is used for both. --key-file is
// the operator key file: a fresh tenant and key are made for the run.
// Each batch of --batch reviews holds --urgent P1 reviews (one alert each).
// An alert that arrives before the client has seen the acknowledgement
// counts as 0 ms.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/replica_channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "opinia/v1/admin.grpc.pb.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/server/app.h"

#ifndef OPINIA_DEFAULT_MODELS_DIR
#define OPINIA_DEFAULT_MODELS_DIR "models"
#endif

namespace {

std::string Flag(int argc, char** argv, const std::string& name,
                 const std::string& fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
  }
  return fallback;
}

int IntFlag(int argc, char** argv, const std::string& name, int fallback) {
  int v = fallback;
  if (!absl::SimpleAtoi(Flag(argc, argv, name, ""), &v)) v = fallback;
  return v;
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& key) {
  return opinia::bench::NewCallContext(key);
}

const char* kNeutral[] = {
    "Produkt zgodny z opisem, dostawa w terminie.",
    "Szybka wysyłka, polecam sprzedawcę.",
    "Average quality, arrived on time.",
    "Wszystko w porządku, dziękuję.",
};

}  // namespace

int main(int argc, char** argv) {
  using opinia::server::App;
  const int rate = IntFlag(argc, argv, "rate", 1000);
  const int seconds = IntFlag(argc, argv, "seconds", 10);
  const int batch = IntFlag(argc, argv, "batch", 10);
  const int urgent = IntFlag(argc, argv, "urgent", 2);
  const int subscribers = IntFlag(argc, argv, "subscribers", 1);
  const char* env_models = std::getenv("OPINIA_MODELS_DIR");
  const std::string models = Flag(
      argc, argv, "models", env_models ? env_models : OPINIA_DEFAULT_MODELS_DIR);

  std::string ingest_target = Flag(argc, argv, "ingest-target", "");
  std::string stream_target = Flag(argc, argv, "stream-target", "");
  if (ingest_target.empty()) ingest_target = stream_target;
  if (stream_target.empty()) stream_target = ingest_target;
  const bool external = !ingest_target.empty();

  std::string dir;
  std::string key_file = Flag(argc, argv, "key-file", "");
  std::unique_ptr<App> app;
  std::shared_ptr<grpc::Channel> channel;         // ingest, admin
  std::shared_ptr<grpc::Channel> stream_channel;  // subscribers
  if (external) {
    if (key_file.empty()) {
      std::fprintf(stderr,
                   "alert_latency: --ingest-target/--stream-target need "
                   "--key-file (the operator key file)\n");
      return 2;
    }
    channel =
        opinia::bench::NewReplicaChannel(opinia::bench::ReplicaTargetsOrExit(
            ingest_target, "--ingest-target", "alert_latency"));
    stream_channel =
        opinia::bench::NewReplicaChannel(opinia::bench::ReplicaTargetsOrExit(
            stream_target, "--stream-target", "alert_latency"));
  } else {
    dir = absl::StrCat(std::filesystem::temp_directory_path().string(),
                       "/opinia-alert-bench-", getpid());
    std::filesystem::remove_all(dir);
    opinia::server::Options o;
    o.listen = "127.0.0.1:0";
    o.db = dir + "/opinia.db";
    o.bootstrap_key_file = key_file = dir + "/admin.key";
    o.models_dir = models;
    o.alert_tick = absl::ZeroDuration();
    auto started = App::Start(o);
    if (!started.ok()) {
      std::fprintf(stderr, "start: %s\n", started.status().ToString().c_str());
      return 1;
    }
    app = *std::move(started);
    channel =
        grpc::CreateChannel(app->address(), grpc::InsecureChannelCredentials());
    stream_channel = channel;
  }
  auto admin = opinia::v1::AdminService::NewStub(channel);
  std::string op;
  std::getline(std::ifstream(key_file), op);
  opinia::v1::CreateTenantRequest ct;
  ct.mutable_tenant()->set_display_name("alert_latency");
  opinia::v1::Tenant tenant;
  if (grpc::Status s = admin->CreateTenant(Ctx(op).get(), ct, &tenant);
      !s.ok()) {
    std::fprintf(stderr, "CreateTenant: %s\n", s.error_message().c_str());
    return 1;
  }
  opinia::v1::CreateApiKeyRequest ck;
  ck.mutable_api_key()->set_tenant(tenant.name());
  ck.mutable_api_key()->add_roles(opinia::v1::ROLE_INGEST);
  ck.mutable_api_key()->add_roles(opinia::v1::ROLE_READ);
  opinia::v1::CreateApiKeyResponse key;
  if (!admin->CreateApiKey(Ctx(op).get(), ck, &key).ok()) return 1;

  absl::Mutex mu;
  std::map<std::string, absl::Time> acked;                  // review -> ack
  std::vector<std::map<std::string, absl::Time>> arrived(subscribers);
  std::atomic<int> live{0};
  std::vector<std::unique_ptr<grpc::ClientContext>> sub_ctx;
  std::vector<std::thread> sub_threads;
  auto alerts = opinia::v1::AlertService::NewStub(stream_channel);
  for (int s = 0; s < subscribers; ++s) {
    sub_ctx.push_back(Ctx(key.secret()));
    sub_threads.emplace_back([&, s] {
      auto reader = alerts->StreamAlerts(sub_ctx[s].get(), {});
      opinia::v1::AlertEvent event;
      bool first = true;
      while (reader->Read(&event)) {
        const absl::Time now = absl::Now();
        if (first) ++live, first = false;
        absl::MutexLock lock(&mu);
        arrived[s][event.alert().review()] = now;
      }
      reader->Finish();
    });
  }
  // Warm up until every subscriber has seen an alert (streams are live).
  auto reviews = opinia::v1::ReviewService::NewStub(channel);
  for (int w = 0; live.load() < subscribers && w < 200; ++w) {
    opinia::v1::IngestReviewsRequest r;
    auto* in = r.add_reviews();
    in->set_source("warm");
    in->set_external_id(absl::StrCat("w", w));
    in->set_text("Oszustwo! Zgłaszam sprawę do UOKiK i do prawnika.");
    opinia::v1::IngestReviewsResponse out;
    reviews->IngestReviews(Ctx(key.secret()).get(), r, &out);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // Paced ingest: `threads` senders, each a batch every period.
  const int batches_per_second = std::max(1, rate / batch);
  const int threads = 4;
  const absl::Duration period = absl::Seconds(1) * threads / batches_per_second;
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::Seconds(seconds);
  std::atomic<int64_t> sent{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&, t] {
      auto stub = opinia::v1::ReviewService::NewStub(channel);
      absl::Time next = start + period * t / threads;
      for (int b = 0;; ++b) {
        const absl::Time now = absl::Now();
        if (now >= end) break;
        if (next > now) absl::SleepFor(next - now);
        next += period;
        opinia::v1::IngestReviewsRequest r;
        for (int i = 0; i < batch; ++i) {
          auto* in = r.add_reviews();
          in->set_source("allegro");
          in->set_external_id(absl::StrCat("t", t, "b", b, "i", i));
          if (i < urgent) {
            in->set_rating(1);
            in->set_text(absl::StrCat("Zamówienie ", b, " nie dotarło. "
                                      "Oszustwo! Zgłaszam sprawę do UOKiK i "
                                      "do prawnika."));
          } else {
            in->set_rating(5);
            in->set_text(absl::StrCat(kNeutral[(b + i) % 4], " #", b));
          }
        }
        opinia::v1::IngestReviewsResponse out;
        grpc::Status s = stub->IngestReviews(Ctx(key.secret()).get(), r, &out);
        const absl::Time ack = absl::Now();
        if (!s.ok()) {
          std::fprintf(stderr, "ingest: %s\n", s.error_message().c_str());
          continue;
        }
        sent += out.results_size();
        absl::MutexLock lock(&mu);
        for (int i = 0; i < urgent && i < out.results_size(); ++i) {
          acked[out.results(i).name()] = ack;
        }
      }
    });
  }
  for (auto& t : senders) t.join();
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  // Give the last alerts a moment to arrive.
  for (int i = 0; i < 100; ++i) {
    size_t have = 0;
    {
      absl::MutexLock lock(&mu);
      for (auto& m : arrived) {
        for (auto& [name, t] : acked) have += m.count(name);
      }
    }
    if (have >= acked.size() * subscribers) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::vector<double> ms;
  int early = 0, missing = 0;
  {
    absl::MutexLock lock(&mu);
    for (auto& m : arrived) {
      for (auto& [name, ack] : acked) {
        auto it = m.find(name);
        if (it == m.end()) {
          ++missing;
          continue;
        }
        double d = absl::ToDoubleMilliseconds(it->second - ack);
        if (d < 0) ++early, d = 0;
        ms.push_back(d);
      }
    }
  }
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) {
    return ms.empty() ? 0.0 : ms[static_cast<size_t>(p * (ms.size() - 1))];
  };
  if (external) {
    std::printf("alert_latency: ingest through %s, subscribers on %s\n",
                ingest_target.c_str(), stream_target.c_str());
  }
  std::printf(
      "alert_latency: %lld reviews in %.1f s (%.0f reviews/s, target %d), "
      "%zu alerts x %d subscriber(s)\n"
      "  ack->alert p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  "
      "(%d arrived before the ack, %d missing)\n",
      static_cast<long long>(sent.load()), elapsed, sent.load() / elapsed,
      rate, acked.size(), subscribers, pct(0.5), pct(0.9), pct(0.99),
      ms.empty() ? 0.0 : ms.back(), early, missing);
  for (auto& c : sub_ctx) c->TryCancel();
  for (auto& t : sub_threads) t.join();
  if (app != nullptr) {
    app->Shutdown(absl::Seconds(2));
    std::filesystem::remove_all(dir);
  }
  return missing == 0 ? 0 : 1;
}
