#include "service/core/reviews/aspect_ratings.h"

#include <map>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/core/util/absl_sv.h"

namespace opinia::core {
namespace {

using opinia::v1::Aspect;

struct Stated {
  Aspect aspect = opinia::v1::ASPECT_UNSPECIFIED;
  int stars = 0;
};

int Scale(const opinia::v1::ReviewInput& input) {
  return input.rating_scale() == 0 ? 5 : input.rating_scale();
}

// The aspect and stars of one attribute; nullopt for an attribute that is
// not an aspect rating; a non-OK status for a malformed one.
absl::StatusOr<std::optional<Stated>> ParseEntry(const std::string& key,
                                                 const std::string& value,
                                                 int scale) {
  if (!absl::StartsWith(key, kAspectRatingPrefix)) {
    return std::optional<Stated>();
  }
  Stated s;
  const absl::string_view suffix =
      absl::string_view(key).substr(sizeof(kAspectRatingPrefix) - 1);
  if (suffix != absl::AsciiStrToLower(suffix) ||
      !opinia::v1::Aspect_Parse(absl::AsciiStrToUpper(suffix), &s.aspect) ||
      s.aspect == opinia::v1::ASPECT_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "unknown aspect (product_quality, price, delivery, returns, payment, "
        "customer_service, usability or packaging)");
  }
  if (!absl::SimpleAtoi(value, &s.stars) || s.stars < 1 || s.stars > scale) {
    return absl::InvalidArgumentError(
        absl::StrCat("an integer in 1..", scale, " (the rating scale)"));
  }
  return std::optional<Stated>(s);
}

opinia::v1::Sentiment SentimentOf(int stars, int scale) {
  opinia::v1::Sentiment s;
  const float score =
      2.0f * static_cast<float>(stars - 1) / static_cast<float>(scale - 1) -
      1.0f;
  s.set_score(score);
  s.set_label(score < -0.25f  ? opinia::v1::NEGATIVE
              : score > 0.25f ? opinia::v1::POSITIVE
                              : opinia::v1::NEUTRAL);
  s.set_confidence(1.0f);
  return s;
}

}  // namespace

std::string AspectRatingKey(Aspect aspect) {
  return absl::StrCat(kAspectRatingPrefix,
                      absl::AsciiStrToLower(opinia::v1::Aspect_Name(aspect)));
}

absl::Status ValidateAspectRatings(const opinia::v1::ReviewInput& input,
                                   std::string_view prefix) {
  for (const auto& [key, value] : input.attributes()) {
    auto entry = ParseEntry(key, value, Scale(input));
    if (!entry.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(Av(prefix), ".attributes[\"", key.substr(0, 64),
                       "\"]: ", entry.status().message()));
    }
  }
  return absl::OkStatus();
}

std::string AspectRatingsText(const opinia::v1::ReviewInput& input) {
  std::map<std::string, std::string> sorted;
  for (const auto& [key, value] : input.attributes()) {
    if (absl::StartsWith(key, kAspectRatingPrefix)) sorted[key] = value;
  }
  std::string text;
  for (const auto& [key, value] : sorted) {
    absl::StrAppend(&text, key, "=", value, ";");
  }
  return text;
}

void ApplyAspectRatings(const opinia::v1::ReviewInput& input,
                        opinia::v1::Analysis* analysis) {
  std::map<int, int> stated;  // by Aspect number: a stable order
  for (const auto& [key, value] : input.attributes()) {
    auto entry = ParseEntry(key, value, Scale(input));
    if (entry.ok() && entry->has_value()) {
      stated[(*entry)->aspect] = (*entry)->stars;
    }
  }
  for (const auto& [aspect, stars] : stated) {
    opinia::v1::AspectSentiment* found = nullptr;
    for (auto& a : *analysis->mutable_aspects()) {
      if (a.aspect() == aspect) {
        found = &a;
        break;
      }
    }
    if (found == nullptr) {
      found = analysis->add_aspects();
      found->set_aspect(static_cast<Aspect>(aspect));
    }
    *found->mutable_sentiment() = SentimentOf(stars, Scale(input));
  }
}

}  // namespace opinia::core
