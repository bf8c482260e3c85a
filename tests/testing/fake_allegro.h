// An Allegro REST API for tests, in Allegro's published format: the seller's
// ratings (GET /sale/user-ratings: newest lastChangedAt first, offset/limit
// paging, the lastChangedAt.lte and recommended filters), the seller's
// answer (PUT /sale/user-ratings/{ratingId}/answer {"message"}) and the
// removal request (PUT /sale/user-ratings/{ratingId}/removal
// {"request": {"message"}}). Requests must carry
// "Accept: application/vnd.allegro.public.v1+json" (else 406) and
// "Authorization: Bearer <token>" (else 401), and bodies that type as
// Content-Type. Errors have Allegro's shape {"errors": [{"code",
// "message", "userMessage"}]}.
//
// Knobs for the failure cases: `throttle` answers 429 with Retry-After,
// `errors` answers 503, `reject_removal` answers the removal 422 as Allegro
// does after the removal window closed, `reject_answer` refuses an answer
// (422) as breaking the rules. Thread-safe: serve it from an
// HttpServer (Serve()).
#ifndef OPINIA_TESTS_TESTING_FAKE_ALLEGRO_H_
#define OPINIA_TESTS_TESTING_FAKE_ALLEGRO_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/testing/http_server.h"

namespace opinia::testing {

class FakeAllegro {
 public:
  static constexpr char kRatingsPath[] = "/sale/user-ratings";
  static constexpr char kMediaType[] = "application/vnd.allegro.public.v1+json";

  struct Rating {
    std::string id;
    std::string comment;
    bool recommended = true;
    int delivery = 0, delivery_cost = 0, description = 0, service = 0;  // 0: not rated
    absl::Time created;
    absl::Time last_changed;
    std::string answer;  // the seller's answer; "" = none
    absl::Time answered;
    std::string removal_message;  // the seller's removal request; "" = none
    absl::Time removal_requested;
  };

  // `n` ratings "r0".."r{n-1}", created an hour apart from `start`
  // (r{n-1} the newest); every 4th not recommended with a 1-star delivery.
  explicit FakeAllegro(int n = 0, std::string token = "allegro-token",
                       absl::Time start = absl::FromUnixSeconds(1790848800));

  HttpResponse Answer(const HttpRequest& request);
  // An HttpServer answering with this fake (which must outlive it).
  std::unique_ptr<HttpServer> Serve();

  // The buyer edits rating `id`: a new comment, lastChangedAt = `when`.
  void Edit(const std::string& id, const std::string& comment, absl::Time when);
  // Allegro removes rating `id` (e.g. after a granted removal request).
  void Remove(const std::string& id);
  Rating Get(const std::string& id);

  // Knobs (set before serving, or under `mutex`).
  absl::Mutex mutex;
  std::vector<Rating> ratings ABSL_GUARDED_BY(mutex);
  std::string token;
  int throttle ABSL_GUARDED_BY(mutex) = 0;  // next N requests: 429
  int retry_after_seconds = 7;
  int errors ABSL_GUARDED_BY(mutex) = 0;  // next N requests: 503
  bool reject_removal ABSL_GUARDED_BY(mutex) = false;
  bool reject_answer ABSL_GUARDED_BY(mutex) = false;  // 422, rules broken
  // How long an accepted removal request is held before the answer.
  absl::Duration removal_delay = absl::ZeroDuration();
  // Counters.
  int list_requests ABSL_GUARDED_BY(mutex) = 0;
  int answer_requests ABSL_GUARDED_BY(mutex) = 0;
  int removal_requests ABSL_GUARDED_BY(mutex) = 0;

  static std::string Time(absl::Time t);

 private:
  HttpResponse List(const HttpRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex);
  HttpResponse Put(const HttpRequest& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex);
  std::string RatingJson(const Rating& r) const;
};

// Allegro's error body.
HttpResponse AllegroError(int status, const std::string& code,
                          const std::string& user_message);

}  // namespace opinia::testing

#endif  // OPINIA_TESTS_TESTING_FAKE_ALLEGRO_H_
