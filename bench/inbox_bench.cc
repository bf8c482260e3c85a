// Inbox benchmark (issue 19): the server side of "inbox interactions
// <= 100 ms on a database of 1,000,000 reviews". Fills a database once with
// a generated tenant of N reviews (bench/review_corpus.h: real texts, each
// analysed once by the real analyzer, written through the real store), then
// starts the real server in-process on loopback and times, over gRPC, the
// calls the dashboard makes, printing p50/p99/max per call in ms of wall
// time and of this process's CPU (client and server; for SQLite also the
// database, for PostgreSQL not its server's):
//   inbox         ListReviews statuses [NEW, ACKNOWLEDGED], priorities
//                 [P1, P2, P3], order_by "priority asc, respond_by asc",
//                 page_size 50, with total_size (the inbox's first page)
//   inbox next    the same, following next_page_token up to 20 pages deep
//   by deadline   statuses [NEW, ACKNOWLEDGED], "respond_by asc", 50
//   review        GetReview of a random review
//   review alerts ListAlerts(review) of a random review (the review view
//                 finds its alert)
//   review view   GetReview then ListAlerts(review), one after the other
//   search        ListReviews with a full-text `query`, page of 50
//   summary 30d   GetReputationSummary over the last 30 days
//
// Data: two years of reviews before a fixed `now`, 30% answered; reviews
// created more than --open-days before `now` and not answered are RESOLVED
// (a team closes its old backlog: the inbox holds the recent open ones;
// --open-days=0 keeps every unanswered review open, the worst case). Every
// P1/P2 review gets an alert (kind NEGATIVE_REVIEW, open while the review
// is, resolved otherwise), as the default rule raises them.
//
//   build/bench/opinia_inbox_bench [--db=PATH | --db=postgresql://...]
//       [--reviews=N] [--queries=N] [--open-days=N] [--reuse] [--batch=N]
//       [--data=DIR] [--models=DIR] [--explain]
// --db: a SQLite file (default /tmp/opinia-inbox-bench.db) or a PostgreSQL
// URL (a database of its own: its reviews are the tenant "bench").
// --reuse keeps a filled database of the same size (SQLite: else the file
// is deleted and filled again; PostgreSQL: a database holding other data
// is refused). After filling, PostgreSQL gets VACUUM ANALYZE (what
// autovacuum does to a live database). --explain prints the PostgreSQL
// plans of the inbox queries (EXPLAIN ANALYZE).
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/review_corpus.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "opinia/v1/alerts.grpc.pb.h"
#include "opinia/v1/insights.grpc.pb.h"
#include "opinia/v1/reviews.grpc.pb.h"
#include "service/core/auth/auth.h"
#include "service/core/util/crypto.h"
#include "service/core/util/time_proto.h"
#include "service/server/app.h"
#include "service/storage/open/open_store.h"
#include "service/storage/postgres/pg_connection.h"
#include "service/storage/postgres/pg_review_rows.h"

namespace {

using opinia::bench::Flag;
using opinia::bench::LoadAverage;
using opinia::bench::Ms;
using opinia::bench::Report;
using opinia::core::ToTimestamp;

constexpr char kTenant[] = "bench";

struct Timings {
  std::vector<double> wall, cpu;  // ms per call
};

double ProcessCpuMs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& key) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + key);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return ctx;
}

// Stores a generated review: closes an old unanswered one, and gives a
// P1/P2 review its alert.
absl::Status StoreReview(opinia::storage::Txn& txn,
                         opinia::storage::ReviewRow& row, absl::Time closed_before) {
  if (row.status == opinia::v1::NEW && row.create_time < closed_before) {
    row.status = opinia::v1::RESOLVED;
  }
  absl::StatusOr<int64_t> id = txn.InsertReview(row);
  if (!id.ok()) return id.status();
  if (row.priority != opinia::v1::P1 && row.priority != opinia::v1::P2) {
    return absl::OkStatus();
  }
  opinia::storage::AlertRow alert;
  alert.tenant_id = row.tenant_id;
  alert.kind = 1;  // NEGATIVE_REVIEW
  alert.priority = row.priority;
  alert.review_id = *id;
  alert.rule_id = 1;
  alert.reasons = {"STRONG_NEGATIVE"};
  const bool open = row.status == opinia::v1::NEW ||
                    row.status == opinia::v1::ACKNOWLEDGED;
  alert.state = open ? opinia::storage::kAlertOpen
                     : opinia::storage::kAlertResolved;
  alert.create_time = row.ingest_time;
  alert.update_time = open ? row.ingest_time : row.modify_time;
  alert.summary = absl::StrCat("P", row.priority, " ", row.source);
  alert.source = row.source;
  alert.dedup_key = absl::StrCat("review:", *id, ":rule:1");
  return txn.alerts().InsertAlert(alert).status();
}

// Fills the database with n reviews of the tenant unless it holds them.
bool Fill(opinia::storage::Store& store, int64_t n, int64_t batch,
          const std::string& data, const std::string& models, absl::Time now,
          int open_days) {
  std::vector<opinia::bench::Text> texts;
  std::vector<opinia::bench::Prepared> prepared;
  if (!opinia::bench::PrepareCorpus(data, models, &texts, &prepared)) {
    return false;
  }
  std::printf("generating %lld reviews\n", static_cast<long long>(n));
  absl::Status tenant = store.Write([&](opinia::storage::Txn& txn) {
    return txn.InsertTenant({kTenant, "Bench shop", "Europe/Warsaw", now});
  });
  if (!tenant.ok()) {
    std::fprintf(stderr, "tenant: %s\n", tenant.ToString().c_str());
    return false;
  }
  std::mt19937_64 rng(42);
  const std::vector<absl::Time> times = opinia::bench::CreateTimes(n, now, rng);
  const absl::Time closed_before = open_days > 0
                                       ? now - absl::Hours(24 * open_days)
                                       : absl::InfinitePast();
  double cpu = 0;  // the caller thread's: the writes run on the store's
  const auto start = std::chrono::steady_clock::now();
  if (!opinia::bench::Insert(
          store, prepared, kTenant, times, now, batch, 50000, rng, &cpu,
          [&](opinia::storage::Txn& txn, opinia::storage::ReviewRow& row) {
            return StoreReview(txn, row, closed_before);
          })) {
    return false;
  }
  const double secs = Ms(std::chrono::steady_clock::now() - start) / 1000;
  std::printf("filled in %.0f s (%.0f reviews/s)\n", secs,
              static_cast<double>(n) / secs);
  return true;
}

// The PostgreSQL plans of the inbox's first page, a later page (after a P2
// review due 10 days before `now`) and its count, run (EXPLAIN ANALYZE).
void ExplainPg(const std::string& url, absl::Time now) {
  auto conn = opinia::storage::pg::Connection::Open(url);
  if (!conn.ok()) {
    std::fprintf(stderr, "explain: %s\n", conn.status().ToString().c_str());
    return;
  }
  opinia::storage::ReviewFilter inbox;
  inbox.order = opinia::storage::ReviewOrder::kUrgency;
  inbox.statuses = {opinia::v1::NEW, opinia::v1::ACKNOWLEDGED};
  inbox.priorities = {opinia::v1::P1, opinia::v1::P2, opinia::v1::P3};
  auto list =
      opinia::storage::pg::ListReviewsQuery(kTenant, inbox, std::nullopt, 51);
  opinia::storage::ReviewCursor after{now, 1};
  after.priority = opinia::v1::P2;
  after.respond_by = now - absl::Hours(240);
  auto later = opinia::storage::pg::ListReviewsQuery(kTenant, inbox, after, 51);
  auto count = opinia::storage::pg::ReviewConditions(kTenant, inbox);
  if (!list.has_value() || !later.has_value() || !count.has_value()) return;
  for (const auto& [what, sql, params] :
       {std::tuple{"inbox page", list->sql, list->params},
        std::tuple{"later inbox page", later->sql, later->params},
        std::tuple{"inbox count",
                   absl::StrCat("SELECT count(*) FROM reviews", count->sql),
                   count->params}}) {
    auto plan = (*conn)->Exec(
        absl::StrCat("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ", sql), params);
    std::printf("plan of the %s:\n", what);
    if (!plan.ok()) {
      std::printf("  %s\n", plan.status().ToString().c_str());
      continue;
    }
    for (int i = 0; i < plan->rows(); ++i) {
      std::printf("  %s\n", plan->String(i, 0).c_str());
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string db = Flag(argc, argv, "db", "/tmp/opinia-inbox-bench.db");
  const bool pg = opinia::storage::IsStoreUrl(db);
  int64_t n = 1'000'000;
  int queries = 200;
  int64_t batch = 20000;
  int open_days = 30;
  absl::SimpleAtoi(Flag(argc, argv, "reviews", "1000000"), &n);
  absl::SimpleAtoi(Flag(argc, argv, "queries", "200"), &queries);
  absl::SimpleAtoi(Flag(argc, argv, "batch", "20000"), &batch);
  absl::SimpleAtoi(Flag(argc, argv, "open-days", "30"), &open_days);
  batch = std::max<int64_t>(batch, 1);
  queries = std::max(queries, 1);
  const std::string data =
      Flag(argc, argv, "data", OPINIA_DEFAULT_DATA_DIR "/sentiment");
  const std::string models =
      Flag(argc, argv, "models", OPINIA_DEFAULT_MODELS_DIR);
  const bool reuse = Flag(argc, argv, "reuse", "") == "1";
  // The data's "now" (the insights benchmark's): deadlines and the summary's
  // 30 days are relative to it.
  const absl::Time now = absl::FromCivil(
      absl::CivilSecond(2026, 11, 23, 14, 7, 31), absl::UTCTimeZone());
  std::printf("load average at start: %s\n", LoadAverage().c_str());

  if (!pg && !reuse) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(db + suffix);
    }
  }
  std::string key;
  {
    opinia::storage::OpenStoreOptions options;
    options.sqlite.synchronous =
        opinia::storage::SqliteOptions::Synchronous::kNormal;  // the fill only
    const auto open_start = std::chrono::steady_clock::now();
    auto store = opinia::storage::OpenStore(db, options);
    if (!store.ok()) {
      std::fprintf(stderr, "open %s: %s\n", db.c_str(),
                   store.status().ToString().c_str());
      return 1;
    }
    // Opening an existing database migrates it to the latest schema.
    std::printf("opened %s in %.1f s\n", db.c_str(),
                Ms(std::chrono::steady_clock::now() - open_start) / 1000);
    int64_t existing = 0;
    (*store)->Read([&](opinia::storage::Txn& txn) {
      auto c = txn.CountReviews(kTenant, {});
      existing = c.ok() ? *c : 0;
      return absl::OkStatus();
    }).IgnoreError();
    if (existing != n) {
      if (existing != 0) {
        std::fprintf(stderr, "%s holds %lld reviews of %s, not %lld\n",
                     db.c_str(), static_cast<long long>(existing), kTenant,
                     static_cast<long long>(n));
        return 1;
      }
      if (!Fill(**store, n, batch, data, models, now, open_days)) return 1;
      if (pg) {
        auto conn = opinia::storage::pg::Connection::Open(db);
        const auto t0 = std::chrono::steady_clock::now();
        if (!conn.ok() || !(*conn)->ExecScript("VACUUM ANALYZE").ok()) {
          std::fprintf(stderr, "VACUUM ANALYZE failed\n");
          return 1;
        }
        std::printf("VACUUM ANALYZE in %.0f s\n",
                    Ms(std::chrono::steady_clock::now() - t0) / 1000);
      }
    } else {
      std::printf("reusing %s with %lld reviews\n", db.c_str(),
                  static_cast<long long>(existing));
    }
    // A read key of the tenant for this run.
    key = opinia::core::NewApiKeySecret();
    absl::Status made = (*store)->Write([&](opinia::storage::Txn& txn) {
      opinia::storage::ApiKeyRow row;
      row.id = opinia::core::NewResourceId('k', 16);
      row.tenant_id = kTenant;
      row.roles = opinia::core::kRoleRead;
      row.display_name = "inbox bench";
      row.secret_hash = opinia::core::Sha256Hex(key);
      row.create_time = now;
      return txn.InsertApiKey(row);
    });
    if (!made.ok()) {
      std::fprintf(stderr, "key: %s\n", made.ToString().c_str());
      return 1;
    }
  }
  if (pg && Flag(argc, argv, "explain", "") == "1") ExplainPg(db, now);

  // The real server on the database: production settings, no models (reads
  // only), no alert scheduler (it would raise SLA alerts for the old
  // deadlines of the generated data while we measure).
  const std::string dir = absl::StrCat(
      std::filesystem::temp_directory_path().string(), "/opinia-inbox-bench-",
      getpid());
  std::filesystem::create_directories(dir);
  opinia::server::Options o;
  o.listen = "127.0.0.1:0";
  o.db = db;
  o.models_dir = dir + "/no-models";
  // The database holds no secrets (webhooks, collectors): a key of the run.
  o.secrets_key_file = dir + "/secrets.key";
  o.alert_tick = absl::ZeroDuration();
  const auto start_time = std::chrono::steady_clock::now();
  auto app = opinia::server::App::Start(o);
  if (!app.ok()) {
    std::fprintf(stderr, "server: %s\n", app.status().ToString().c_str());
    return 1;
  }
  std::printf("server started in %.1f s\n",
              Ms(std::chrono::steady_clock::now() - start_time) / 1000);
  auto channel =
      grpc::CreateChannel((*app)->address(), grpc::InsecureChannelCredentials());
  auto reviews = opinia::v1::ReviewService::NewStub(channel);
  auto alerts = opinia::v1::AlertService::NewStub(channel);
  auto insights = opinia::v1::InsightsService::NewStub(channel);

  // Timed calls (wall, and CPU of this process: client and server, and
  // for SQLite the database; not PostgreSQL's): a failed one stops the run.
  auto timed = [&](Timings& into, auto call) -> bool {
    const double c0 = ProcessCpuMs();
    const auto t0 = std::chrono::steady_clock::now();
    grpc::Status s = call();
    into.wall.push_back(Ms(std::chrono::steady_clock::now() - t0));
    into.cpu.push_back(ProcessCpuMs() - c0);
    if (!s.ok()) {
      std::fprintf(stderr, "call failed: %d %s\n", s.error_code(),
                   s.error_message().c_str());
    }
    return s.ok();
  };
  opinia::v1::ListReviewsRequest inbox;
  inbox.add_statuses(opinia::v1::NEW);
  inbox.add_statuses(opinia::v1::ACKNOWLEDGED);
  inbox.add_priorities(opinia::v1::P1);
  inbox.add_priorities(opinia::v1::P2);
  inbox.add_priorities(opinia::v1::P3);
  inbox.set_order_by("priority asc, respond_by asc");
  inbox.set_page_size(50);

  Timings inbox_ms, next_ms, due_ms, get_ms, alerts_ms, view_ms, search_ms,
      summary_ms;
  // The reviews the view opens: the inbox's (P1..P3, many with an alert)
  // and any review at all.
  std::vector<std::string> names;
  int32_t inbox_size = 0;
  // Scrolling: pages 2..20 of the inbox, again and again.
  opinia::v1::ListReviewsRequest page = inbox;
  for (int depth = 0; static_cast<int>(next_ms.wall.size()) < queries;) {
    opinia::v1::ListReviewsResponse out;
    Timings first_page;
    if (!timed(depth == 0 ? first_page : next_ms, [&] {
          return reviews->ListReviews(Ctx(key).get(), page, &out);
        })) {
      return 1;
    }
    for (const auto& r : out.reviews()) names.push_back(r.name());
    inbox_size = out.total_size();
    if (depth == 0 && out.next_page_token().empty()) break;  // one page
    if (out.next_page_token().empty() || ++depth == 20) {
      page.clear_page_token();
      depth = 0;
    } else {
      page.set_page_token(out.next_page_token());
    }
  }
  int64_t first_id = 0, last_id = 0;
  {
    opinia::v1::ListReviewsRequest oldest;
    oldest.set_order_by("create_time asc");
    oldest.set_page_size(1);
    opinia::v1::ListReviewsResponse a, b;
    reviews->ListReviews(Ctx(key).get(), oldest, &a);
    oldest.set_order_by("create_time desc");
    reviews->ListReviews(Ctx(key).get(), oldest, &b);
    if (a.reviews_size() == 1 && b.reviews_size() == 1) {
      absl::SimpleAtoi(a.reviews(0).name().substr(8), &first_id);
      absl::SimpleAtoi(b.reviews(0).name().substr(8), &last_id);
    }
  }
  std::mt19937_64 rng(7);
  auto random_review = [&]() -> std::string {
    if (rng() % 2 == 0 && !names.empty()) return names[rng() % names.size()];
    const int64_t span = std::max<int64_t>(1, last_id - first_id + 1);
    return absl::StrCat("reviews/", first_id + static_cast<int64_t>(rng() % span));
  };

  const char* const kQueries[] = {"zwrot*",  "dostawa", "great",   "book",
                                  "jakość",  "excellent quality",  "polecam",
                                  "\"nie polecam\"", "lekarz*", "money OR refund",
                                  "dostalem", "zolc"};
  int missing = 0;
  int64_t alerts_found = 0;
  for (int i = 0; i < queries; ++i) {
    opinia::v1::ListReviewsResponse out;
    if (!timed(inbox_ms, [&] {
          return reviews->ListReviews(Ctx(key).get(), inbox, &out);
        })) {
      return 1;
    }
    opinia::v1::ListReviewsRequest due = inbox;
    due.clear_priorities();
    due.set_order_by("respond_by asc");
    if (!timed(due_ms, [&] {
          return reviews->ListReviews(Ctx(key).get(), due, &out);
        })) {
      return 1;
    }
    opinia::v1::GetReviewRequest get;
    get.set_name(random_review());
    opinia::v1::Review review;
    timed(get_ms, [&] {
      grpc::Status s = reviews->GetReview(Ctx(key).get(), get, &review);
      if (s.error_code() == grpc::StatusCode::NOT_FOUND) {
        ++missing;  // an id the sequence skipped
        return grpc::Status::OK;
      }
      return s;
    });
    opinia::v1::ListAlertsRequest of_review;
    of_review.set_review(random_review());
    opinia::v1::ListAlertsResponse listed;
    if (!timed(alerts_ms, [&] {
          return alerts->ListAlerts(Ctx(key).get(), of_review, &listed);
        })) {
      return 1;
    }
    alerts_found += listed.alerts_size();
    // The review view: the review, then its alerts.
    get.set_name(random_review());
    of_review.set_review(get.name());
    if (!timed(view_ms, [&] {
          grpc::Status s = reviews->GetReview(Ctx(key).get(), get, &review);
          if (!s.ok() && s.error_code() != grpc::StatusCode::NOT_FOUND) return s;
          return alerts->ListAlerts(Ctx(key).get(), of_review, &listed);
        })) {
      return 1;
    }
    opinia::v1::ListReviewsRequest search;
    search.set_query(kQueries[i % (sizeof(kQueries) / sizeof(kQueries[0]))]);
    search.set_page_size(50);
    if (!timed(search_ms, [&] {
          return reviews->ListReviews(Ctx(key).get(), search, &out);
        })) {
      return 1;
    }
    opinia::v1::SummaryRequest summary;
    const absl::Time end = now - absl::Minutes(static_cast<int64_t>(rng() % 1000));
    ToTimestamp(end - absl::Hours(24 * 30), summary.mutable_start_time());
    ToTimestamp(end, summary.mutable_end_time());
    opinia::v1::ReputationSummary got;
    if (!timed(summary_ms, [&] {
          return insights->GetReputationSummary(Ctx(key).get(), summary, &got);
        })) {
      return 1;
    }
  }
  std::printf(
      "%s, %lld reviews, inbox (open P1..P3) total_size %d; %d review "
      "lookups hit an unused id; %lld alerts listed\n",
      pg ? "PostgreSQL" : "SQLite", static_cast<long long>(n), inbox_size,
      missing, static_cast<long long>(alerts_found));
  const std::pair<const char*, const Timings*> all[] = {
      {"inbox", &inbox_ms},      {"inbox next", &next_ms},
      {"by deadline", &due_ms},  {"review", &get_ms},
      {"review alerts", &alerts_ms}, {"review view", &view_ms},
      {"search", &search_ms},    {"summary 30d", &summary_ms}};
  std::printf("wall ms per call through gRPC on loopback (client and server "
              "share the machine):\n");
  for (const auto& [what, t] : all) {
    if (!t->wall.empty()) Report(what, t->wall);
  }
  std::printf("CPU ms of this process per call (client, server%s):\n",
              pg ? "; PostgreSQL's own not counted" : " and SQLite");
  for (const auto& [what, t] : all) {
    if (!t->cpu.empty()) Report(what, t->cpu);
  }
  std::printf("load average at end: %s\n", LoadAverage().c_str());
  (*app)->Shutdown(absl::Seconds(5));
  std::filesystem::remove_all(dir);
  return 0;
}
