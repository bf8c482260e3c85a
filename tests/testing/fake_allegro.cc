#include "tests/testing/fake_allegro.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace opinia::testing {
namespace {

std::string PercentDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    int hex = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        absl::SimpleHexAtoi(s.substr(i + 1, 2), &hex)) {
      out.push_back(static_cast<char>(hex));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> Query(const std::string& query) {
  std::map<std::string, std::string> params;
  for (absl::string_view part : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    const size_t eq = part.find('=');
    params[std::string(part.substr(0, eq))] =
        eq == absl::string_view::npos ? "" : PercentDecode(part.substr(eq + 1));
  }
  return params;
}

// A JSON string literal.
std::string Quote(const std::string& s) {
  google::protobuf::Value v;
  v.set_string_value(s);
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(v, &out);
  return out;
}

}  // namespace

HttpResponse AllegroError(int status, const std::string& code,
                          const std::string& user_message) {
  HttpResponse r = HttpResponse::Status(
      status, absl::StrCat("{\"errors\": [{\"code\": ", Quote(code),
                           ", \"message\": ", Quote(user_message),
                           ", \"details\": null, \"path\": null, "
                           "\"userMessage\": ",
                           Quote(user_message), "}]}"));
  r.headers.emplace_back("Content-Type", FakeAllegro::kMediaType);
  return r;
}

FakeAllegro::FakeAllegro(int n, std::string token_in, absl::Time start)
    : token(std::move(token_in)) {
  absl::MutexLock lock(&mutex);
  for (int i = 0; i < n; ++i) {
    Rating r;
    r.id = absl::StrCat("r", i);
    r.comment = absl::StrCat("Ocena numer ", i);
    r.recommended = i % 4 != 0;
    r.delivery = r.recommended ? 5 : 1;
    r.delivery_cost = 5;
    r.description = 5;
    r.service = r.recommended ? 5 : 3;
    r.created = start + absl::Hours(i);
    r.last_changed = r.created;
    ratings.push_back(r);
  }
}

std::string FakeAllegro::Time(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

std::unique_ptr<HttpServer> FakeAllegro::Serve() {
  auto server =
      HttpServer::Start([this](const HttpRequest& r) { return Answer(r); });
  return server.ok() ? *std::move(server) : nullptr;
}

void FakeAllegro::Edit(const std::string& id, const std::string& comment,
                       absl::Time when) {
  absl::MutexLock lock(&mutex);
  for (Rating& r : ratings) {
    if (r.id == id) {
      r.comment = comment;
      r.last_changed = when;
    }
  }
}

void FakeAllegro::Remove(const std::string& id) {
  absl::MutexLock lock(&mutex);
  ratings.erase(std::remove_if(ratings.begin(), ratings.end(),
                               [&](const Rating& r) { return r.id == id; }),
                ratings.end());
}

FakeAllegro::Rating FakeAllegro::Get(const std::string& id) {
  absl::MutexLock lock(&mutex);
  for (const Rating& r : ratings) {
    if (r.id == id) return r;
  }
  return Rating{};
}

HttpResponse FakeAllegro::Answer(const HttpRequest& request) {
  absl::MutexLock lock(&mutex);
  if (request.Header("accept") != kMediaType) {
    return AllegroError(406, "NotAcceptableException",
                        "Use the Allegro media type");
  }
  if (request.Header("authorization") != "Bearer " + token) {
    return AllegroError(401, "InvalidToken", "Invalid access token");
  }
  if (throttle > 0) {
    --throttle;
    return HttpResponse::TooManyRequests(retry_after_seconds);
  }
  if (errors > 0) {
    --errors;
    return AllegroError(503, "ServiceUnavailable", "Try again later");
  }
  if (request.method == "GET" && request.path == kRatingsPath) {
    return List(request);
  }
  if (request.method == "PUT" &&
      absl::StartsWith(request.path, absl::StrCat(kRatingsPath, "/"))) {
    return Put(request);
  }
  return AllegroError(404, "NotFoundException", "No such resource");
}

HttpResponse FakeAllegro::List(const HttpRequest& request) {
  ++list_requests;
  const auto params = Query(request.query);
  int offset = 0, limit = 20;
  if (params.count("offset") &&
      (!absl::SimpleAtoi(params.at("offset"), &offset) || offset < 0)) {
    return AllegroError(422, "VALIDATION_ERROR", "offset: not a number");
  }
  if (params.count("limit") &&
      (!absl::SimpleAtoi(params.at("limit"), &limit) || limit < 1 ||
       limit > 100)) {
    return AllegroError(422, "VALIDATION_ERROR", "limit: 1..100");
  }
  absl::Time upper = absl::InfiniteFuture();
  if (params.count("lastChangedAt.lte")) {
    std::string err;
    if (!absl::ParseTime(absl::RFC3339_full, params.at("lastChangedAt.lte"),
                         &upper, &err)) {
      return AllegroError(422, "VALIDATION_ERROR", "lastChangedAt.lte: " + err);
    }
  }
  std::vector<const Rating*> listed;
  for (const Rating& r : ratings) {
    if (r.last_changed > upper) continue;
    if (params.count("recommended") &&
        params.at("recommended") != (r.recommended ? "true" : "false")) {
      continue;
    }
    listed.push_back(&r);
  }
  std::stable_sort(listed.begin(), listed.end(),
                   [](const Rating* a, const Rating* b) {
                     if (a->last_changed != b->last_changed) {
                       return a->last_changed > b->last_changed;
                     }
                     return a->id < b->id;
                   });
  std::string body = "{\"ratings\": [";
  for (int i = offset; i < std::min<int>(offset + limit, listed.size()); ++i) {
    absl::StrAppend(&body, i > offset ? "," : "", RatingJson(*listed[i]));
  }
  absl::StrAppend(&body, "]}");
  HttpResponse r = HttpResponse::Json(body);
  for (auto& [name, value] : r.headers) {
    if (absl::EqualsIgnoreCase(name, "content-type")) value = kMediaType;
  }
  return r;
}

HttpResponse FakeAllegro::Put(const HttpRequest& request) {
  // ".../user-ratings/{id}/answer" or ".../{id}/removal".
  const std::vector<std::string> parts =
      absl::StrSplit(request.path.substr(sizeof(kRatingsPath)), '/');
  if (parts.size() != 2 || (parts[1] != "answer" && parts[1] != "removal")) {
    return AllegroError(404, "NotFoundException", "No such resource");
  }
  if (!absl::StartsWith(request.Header("content-type"), kMediaType)) {
    return AllegroError(415, "UnsupportedMediaType", "Use the media type");
  }
  google::protobuf::Struct body;
  if (!google::protobuf::util::JsonStringToMessage(request.body, &body).ok()) {
    return AllegroError(400, "BAD_REQUEST", "Malformed JSON");
  }
  Rating* rating = nullptr;
  for (Rating& r : ratings) {
    if (r.id == parts[0]) rating = &r;
  }
  if (rating == nullptr) {
    return AllegroError(404, "NotFoundException", "Rating not found");
  }
  const absl::Time now = absl::Now();
  if (parts[1] == "answer") {
    ++answer_requests;
    auto it = body.fields().find("message");
    if (it == body.fields().end() || !it->second.has_string_value() ||
        it->second.string_value().empty()) {
      return AllegroError(422, "VALIDATION_ERROR", "message: required");
    }
    if (reject_answer) {
      return AllegroError(422, "ConstraintViolationException",
                          "Odpowiedź narusza regulamin Allegro");
    }
    rating->answer = it->second.string_value();
    rating->answered = now;
    return HttpResponse::Json(absl::StrCat(
        "{\"message\": ", Quote(rating->answer), ", \"createdAt\": \"",
        Time(now), "\"}"));
  }
  ++removal_requests;
  auto req = body.fields().find("request");
  const google::protobuf::Value* message = nullptr;
  if (req != body.fields().end() && req->second.has_struct_value()) {
    auto m = req->second.struct_value().fields().find("message");
    if (m != req->second.struct_value().fields().end()) message = &m->second;
  }
  if (message == nullptr || !message->has_string_value() ||
      message->string_value().empty()) {
    return AllegroError(422, "VALIDATION_ERROR", "request.message: required");
  }
  if (reject_removal) {
    return AllegroError(422, "RemovalNotPossible",
                        "The time to request the removal has passed");
  }
  rating->removal_message = message->string_value();
  rating->removal_requested = now;
  HttpResponse accepted = HttpResponse::Json(absl::StrCat(
      "{\"possibleTo\": \"", Time(rating->created + absl::Hours(24 * 30)),
      "\", \"request\": {\"createdAt\": \"", Time(now),
      "\", \"message\": ", Quote(rating->removal_message),
      ", \"source\": \"SELLER\"}}"));
  accepted.delay = removal_delay;
  return accepted;
}

std::string FakeAllegro::RatingJson(const Rating& r) const {
  std::string rates;
  for (const auto& [name, stars] :
       {std::pair<const char*, int>{"delivery", r.delivery},
        {"deliveryCost", r.delivery_cost},
        {"description", r.description},
        {"service", r.service}}) {
    if (stars == 0) continue;
    absl::StrAppend(&rates, rates.empty() ? "" : ", ", "\"", name,
                    "\": ", stars);
  }
  std::string json = absl::StrCat(
      "{\"id\": ", Quote(r.id), ", \"createdAt\": \"", Time(r.created),
      "\", \"lastChangedAt\": \"", Time(r.last_changed), "\"",
      r.last_changed != r.created
          ? absl::StrCat(", \"editedAt\": \"", Time(r.last_changed), "\"")
          : "",
      ", \"recommended\": ", r.recommended ? "true" : "false",
      ", \"rates\": {", rates, "}, \"comment\": ", Quote(r.comment),
      ", \"buyer\": {\"id\": \"b-", r.id, "\", \"login\": \"kupujacy_", r.id,
      "\"}, \"order\": {\"id\": \"order-", r.id,
      "\", \"offers\": []}, \"excludedFromAverageRates\": false");
  if (!r.answer.empty()) {
    absl::StrAppend(&json, ", \"answer\": {\"message\": ", Quote(r.answer),
                    ", \"createdAt\": \"", Time(r.answered), "\"}");
  }
  absl::StrAppend(&json, ", \"removal\": {\"possibleTo\": \"",
                  Time(r.created + absl::Hours(24 * 30)), "\"");
  if (!r.removal_message.empty()) {
    absl::StrAppend(&json, ", \"request\": {\"createdAt\": \"",
                    Time(r.removal_requested),
                    "\", \"message\": ", Quote(r.removal_message),
                    ", \"source\": \"SELLER\"}");
  }
  absl::StrAppend(&json, "}}");
  return json;
}

}  // namespace opinia::testing
