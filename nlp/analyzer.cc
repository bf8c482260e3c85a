// Analyzer: Tokenize -> language id -> sentence and review sentiment (with
// title and star rating) -> aspects -> urgency.
//
// Title handling: the title is tokenized on its own and its tokens are put in
// front of the text's tokens for the review-level sentiment (the models were
// trained on "title. text"), so the title counts towards the overall
// sentiment and language, but sentences, aspects and urgency evidence are
// computed on `text` alone: every reported span is a byte offset into `text`.
#include "nlp/analyzer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlp/analyzer_config.h"
#include "nlp/aspect_detect.h"
#include "nlp/aspect_signs.h"
#include "nlp/aspects.h"
#include "nlp/clause_model.h"
#include "nlp/label_arbiter.h"
#include "nlp/language_id.h"
#include "nlp/review_features.h"
#include "nlp/sentiment.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "nlp/tweet_router.h"
#include "nlp/urgency.h"
#include "util/status_macros.h"

namespace opinia::nlp {
namespace {

// Bumped when the analysis code changes its results (2: the rule layer of
// issue 17; 3: aspects from their clause, warnings, excess, worries; 4:
// order notes, queries, relief across "but"; 5: the fourth pass -
// expectations, short lives, shrugs, MIXED with the complaint first; 6: the
// fifth pass; 7: the sixth - models trained with the shop corpus; 8: the
// seventh - the post/review router, learnt aspect detection, the label and
// aspect-sign arbiters, urgency constructions; 9: the eighth - failure
// events, a failure told last decides, urgency cues; 10: the ninth - failure
// events second round, calm notes, urgency recall; 11: the tenth - models
// trained on the spent tables too, German turns, calm look-alikes,
// consequences, a middle rating over both sides is MIXED; 12: the eleventh -
// the label arbiter reads the aspects' sides and has a MIXED threshold of
// its own, the aspect-sign arbiter the clause model per aspect; 13: the
// twelfth - review models skip a conceded opening clause, a late clause
// that goes on about the product decides its sign; 14-16: the fourteenth
// to sixteenth passes (models/README.md); 17: the seventeenth -
// no whole-text rule shift where the compositional layer reads an opinion,
// one-sided evidence over an order note's NEUTRAL, a short review's MIXED
// by its aspects kept over the label arbiter; 18: the eighteenth - the
// composition's weight by language, problems put right decide, urgency
// constructions for a small part swallowed, child gear near misses and
// asked-for answers; 19-22: the nineteenth to twenty-second passes; 23:
// the twenty-third - the label arbiter's threshold per language group,
// models/README.md): the model-file and tunable hashes below cannot see
// code.
constexpr char kVersionPrefix[] = "opinia-nlp-23";
// A question's clause with evidence below this is neutral (a pre-sale
// question mentioning "delivery" has no opinion about it).
constexpr float kClearClause = 0.5f;
// Net clause-weighted evidence (with shouted distress) at or below
// -kStrongEvidence lets a strongly negative text raise P2 (chosen on the dev
// halves of nlp/eval: 1.5 -> 2.0 with distress took false alarms on
// cases3/cases dev from 5/9 to 1/6, misses 1/1 -> 0/1).
constexpr float kStrongEvidence = 2.0f;
// A clause without evidence across a contrast from one with evidence takes
// this share of its net evidence, turned around.
constexpr float kContrastedShare = 0.5f;
// The clause model's reading of a clause replaces the lexicon's when its
// sign's probability is at least kClauseModelConfidence and the clause's
// net evidence at most kClauseModelWeakNet (ReadWithClauseModel; chosen on
// the dev sets, models/README.md "Clause model (sixth pass)").
// A question's or a neutral note's clause (neutral without a clear
// opinion of its own) needs kClauseModelNoteConfidence: "the courier left
// the parcel with no. 14" stays neutral.
constexpr float kClauseModelConfidence = 0.65f;
constexpr float kClauseModelNoteConfidence = 0.8f;
constexpr float kClauseModelWeakNet = 0.5f;
// A review whose deciding clause the clause model reads against it
// (DecidingClauseLabel) turns when its score is below kDecidingMaxScore;
// it is MIXED when a clause of its own sign is at least kDecidingOtherSide
// confident (chosen on the dev sets, models/README.md "Clause readings in
// the label (sixth pass)").
constexpr float kDecidingMaxScore = 0.45f;
constexpr float kDecidingOtherSide = 0.8f;
// The score of a NEUTRAL text that threatens legal steps, claims fraud or a
// chargeback: it is a complaint.
constexpr float kThreatScore = 0.3f;

// FNV-1a of the model files and the tunables: the version changes whenever
// a model, a table (polarity.tsv, aspects.tsv, ...) or a tunable does.
uint64_t HashBytes(std::string_view bytes, uint64_t h) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// A star rating in the middle of its scale: 3 of 5 (the middle fifth of
// any scale of at least 3 stars).
bool MiddleRating(const AnalyzeOptions& o) {
  if (o.rating <= 0 || o.rating_scale < 3 || o.rating > o.rating_scale) return false;
  const float at = static_cast<float>(o.rating - 1) / static_cast<float>(o.rating_scale - 1);
  return at >= 0.4f && at <= 0.6f;
}

// A star rating below the middle of its scale (2 of 5; 1 of 5 too).
bool LowRating(const AnalyzeOptions& o) {
  if (o.rating <= 0 || o.rating_scale < 3 || o.rating > o.rating_scale) return false;
  const float at = static_cast<float>(o.rating - 1) / static_cast<float>(o.rating_scale - 1);
  return at < 0.4f;
}

// Every tunable that changes an analysis, so that an analyzer built with
// other values (opinia-eval's sweeps) never shares a version with the
// server's.
std::string TunablesKey(const AnalyzerConfig& c) {
  const SentimentParams& p = c.sentiment;
  std::string key = absl::StrCat(
      p.rule_weight, ",", p.emoji_weight, ",", p.meta_rule_weight, ",",
      p.composed_rule_weight, ",", p.composed_rule_words, ",", p.mixed_over_arbiter_words, ",",
      p.meta_emoji_weight, ",", p.neutral_margin, ",", p.rating_weight, ",",
      p.use_composition, ",", p.compose_weight, ",", p.neutral_keep, ",", p.neutral_raw, ",",
      p.neutral_keep_untempered, ",",
      p.mixed_min, ",", p.mixed_words, ",", p.compose_words, ",",
      p.compose_lexicon, ",", p.compose_plain_words, ",", p.compose_plain, ",",
      p.borrowed_compose_weight, ",", p.model_skips_conceded, ",", p.mixed_ratio, ",",
      p.mixed_either_order, ",",
      p.mixed_unnamed, ",", p.note_failures, ",", p.note_keep, ",",
      p.note_lexicon, ",", p.note_words, ",", p.calm_words, ",", p.calm_relief, ",",
      p.dismiss_weight, ",", p.middle_mixed, ",",
      p.compose_construction, ",",
      p.contrast_decides, ",", p.contrast_decides_words, ",", p.contrast_override, ",",
      p.contrast_override_words, ",", p.evidence_over_neutral, ",",
      p.evidence_over_neutral_words, ",", p.denial_lexicon, ",", p.aspects_follow_review, ",",
      p.aspects_deciding_side, ",", p.aspects_late_turn, ",",
      p.late_reading, ",", p.late_reading_sign_change, ",", p.late_reading_words, ",",
      p.late_reading_score, ",", p.late_reading_to_positive, ",",
      p.late_reading_after_arbiter, ",", p.late_reading_early, ",",
      p.story_end, ",", p.story_end_early, ",", p.story_end_to_positive, ",",
      p.story_end_from_mixed, ",", p.late_praise, ",", p.late_praise_score, ",",
      p.late_praise_sentences, ",", p.late_praise_early, ",", p.late_praise_words, ",",
      p.late_praise_turn, ",", p.late_praise_last, ",", p.late_praise_after_arbiter, ",",
      p.aspects_late_part, ",", p.put_right, ",", p.put_right_decides, ",",
      p.put_right_lexicon, ",", p.put_right_last, ",", p.put_right_after_arbiter, ",",
      p.use_rules, ",", p.use_meta, ",",
      static_cast<int>(c.lid_method), ",", c.route_tweets, ",", c.router_threshold, ",",
      TweetRouter::ThresholdKey(), ",", c.router_aspect_gate, ",",
      c.aspect_signs, ",", c.use_label_arbiter);
  // Appended only when on, so that adding a setting that is off left the
  // default's key (and version) as it was; several are on by default since
  // (lid_polish_letters, deciding_skips_dismissed, blind_complaint).
  if (p.more_events) absl::StrAppend(&key, ",more_events");
  if (c.lid_polish_letters > 0) absl::StrAppend(&key, ",lid_polish_letters=", c.lid_polish_letters);
  if (p.reply_failures) absl::StrAppend(&key, ",reply_failures");
  if (p.deciding_skips_dismissed) absl::StrAppend(&key, ",deciding_skips_dismissed");
  for (const std::string& lang : p.deciding_clause_off) {
    absl::StrAppend(&key, ",deciding_off:", lang);
  }
  if (p.blind_complaint > 0) {
    absl::StrAppend(&key, ",blind_complaint=", p.blind_complaint, "/", p.blind_complaint_score);
  }
  if (p.mixed_sides_unweighted != 0 || p.mixed_skips_sarcasm != 0 ||
      p.mixed_over_arbiter_aspects != 0 || p.mixed_own_language_words != 0) {
    absl::StrAppend(&key, ",mixed19=", p.mixed_sides_unweighted, "/", p.mixed_skips_sarcasm, "/",
                    p.mixed_over_arbiter_aspects, "/", p.mixed_own_language_words);
  }
  for (const auto& [name, k] : p.length_k) absl::StrAppend(&key, ",", name, "=", k);
  for (const auto& [lang, w] : p.compose_weight_by_language) {
    absl::StrAppend(&key, ",compose:", lang, "=", w);
  }
  const UrgencyParams& u = c.urgency;
  if (!u.swallowed_part || !u.child_gear_near_miss || !u.asked_answer_after_repeat) {
    absl::StrAppend(&key, ",u18=", u.swallowed_part, u.child_gear_near_miss,
                    u.asked_answer_after_repeat);
  }
  return key;
}

uint64_t HashFile(const std::string& path, uint64_t h) {
  std::ifstream in(path, std::ios::binary);
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof(buf));
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 1099511628211ULL;
    }
  }
  return h;
}

class AnalyzerImpl : public Analyzer {
 public:
  AnalyzerImpl(std::unique_ptr<LanguageIdentifier> lid,
               std::unique_ptr<SentimentClassifier> sentiment,
               std::unique_ptr<AspectExtractor> aspects,
               std::unique_ptr<UrgencyAssessor> urgency,
               std::unique_ptr<ClauseModels> clause_models,
               std::unique_ptr<TweetRouter> router,
               std::unique_ptr<AspectDetector> aspect_detector,
               std::unique_ptr<AspectSignModel> aspect_signs,
               std::unique_ptr<LabelArbiter> label_arbiter, std::string version,
               AnalyzerConfig config)
      : config_(std::move(config)),
        lid_(std::move(lid)),
        sentiment_(std::move(sentiment)),
        aspects_(std::move(aspects)),
        urgency_(std::move(urgency)),
        clause_models_(std::move(clause_models)),
        router_(std::move(router)),
        aspect_signs_(std::move(aspect_signs)),
        aspect_detector_(std::move(aspect_detector)),
        label_arbiter_(config_.use_label_arbiter ? std::move(label_arbiter) : nullptr),
        version_(std::move(version)) {}

  Analysis Analyze(std::string_view text,
                   const AnalyzeOptions& options) const override {
    Analysis a;
    a.model_version = version_;
    const TokenizedText t = Tokenize(text);
    // Empty when there is no title. The scratch is per thread: Analyze() is
    // const and called from many threads.
    thread_local TokenizedText title;
    title = options.title.empty() ? TokenizedText() : Tokenize(options.title);
    const bool has_title = !options.title.empty();

    const LanguageGuess lang = IdentifyLanguage(text, t, title, has_title, options);
    a.language = lang.language;
    a.language_confidence = lang.confidence;
    // The sentiment of an undetermined short text ("Bad choice.") is scored
    // in the language it most likely is, when a model knows it, at the
    // confidence cap of "und" (aspects and urgency match every language's
    // terms on "und").
    const bool by_guess = a.language == "und" && !lang.guess.empty() &&
                          sentiment_->Knows(lang.guess);
    const std::string& language = by_guess ? lang.guess : a.language;

    // The review's model features, built at most once (router, detector).
    thread_local ReviewFeatures review_features;
    review_features.Reset(t);
    a.route = !config_.route_tweets ? TextRoute::kReview
              : IsSocialSource(options.source) || LooksLikeTweet(text)
                  ? TextRoute::kMarkedPost
              : RoutedAsPost(text, t, language, a.language, options, &review_features)
                  ? TextRoute::kRoutedPost
                  : TextRoute::kReview;
    const bool tweet = a.route != TextRoute::kReview;
    thread_local Parts parts;
    SentimentClassifier::Probs probs =
        ClassifySentences(t, has_title ? &title : nullptr, language, tweet,
                          &a.sentences, &parts);
    // The sentence pass's inputs, when plain, are ReviewInput()'s parts.
    if (!review_features.Built() &&
        std::all_of(parts.parts.begin(), parts.parts.begin() + t.sentences.size(),
                    [](const SentimentClassifier::Part& p) { return p.plain_input; })) {
      for (size_t si = 0; si < t.sentences.size(); ++si) {
        const SentimentClassifier::Part& p = parts.parts[si];
        review_features.AddSentenceInput(
            p.input, p.has_features ? FeatureSpan{&p.features, p.model.first, p.model.last}
                                    : FeatureSpan{});
      }
    }
    // The review model's plain reading for the label arbiter, from the
    // review's own model read where it has one (ReviewSentiment).
    const bool arbitrate = !tweet && (label_arbiter_ != nullptr || config_.trace_label_arbiter);
    SentimentClassifier::Probs plain_probs{};
    bool have_plain = false;
    a.sentiment = ReviewSentiment(t, title, has_title, a, language, parts, tweet, &probs,
                                  arbitrate ? &plain_probs : nullptr, &have_plain);
    if (by_guess) {
      const float cap = sentiment_->ConfidenceCap(a.language);
      for (SentenceSentiment& ss : a.sentences) {
        ss.sentiment.confidence = std::min(ss.sentiment.confidence, cap);
      }
      a.sentiment.confidence = std::min(a.sentiment.confidence, cap);
    }
    if (options.rating > 0) {
      const float cap = sentiment_->ConfidenceCap(a.language);
      a.sentiment = sentiment_->FuseRating(probs, cap, options.rating,
                                           options.rating_scale);
    }

    thread_local std::vector<ClauseSentiment> clauses;
    thread_local std::vector<Sentiment> lexicon_only;
    thread_local std::vector<AspectClauseFacts> facts;
    const bool sign_facts = aspect_signs_ != nullptr || config_.aspect_sign_rows != nullptr;
    bool model_read = false;
    // Each clause read by the clause model at most once for this text.
    thread_local ClauseReader reader;
    reader.Reset(tweet ? nullptr : clause_models_.get(), t, language, &review_features);
    ClauseSentiments(t, parts, a.sentences, a.sentiment,
                     config_.sentiment.use_composition && config_.sentiment.aspects_follow_review,
                     &reader, &clauses, &lexicon_only,
                     &model_read, sign_facts ? &facts : nullptr);
    thread_local std::vector<TwoSidedAspect> two_sided;
    bool late_turn = false;  // whether a late clause would join the product
    bool late_part = false;  // whether a late clause naming a part would
    a.aspects = aspects_->Extract(text, t, a.language, a.sentences, &clauses, &two_sided, false,
                                  &late_turn, false,
                                  config_.sentiment.aspects_late_part ? &late_part : nullptr);
    int words = 0;
    for (const SentimentClassifier::Part* p : parts.in_order) words += p->words;
    const SentimentParams& sp = config_.sentiment;
    const PolarityEvidence joined = SentimentClassifier::JoinedPolarity(parts.in_order);
    const bool middle_rating =
        options.rating <= 0 ||
        (options.rating > 1 && options.rating < options.rating_scale);
    bool mixed_by_aspects = false;
    if (!tweet && sp.use_composition && middle_rating &&
        static_cast<float>(words) <= sp.mixed_words &&
        (a.sentiment.label == SentimentLabel::kPositive ||
         a.sentiment.label == SentimentLabel::kNegative) &&
        // A complaint put right ("failed at first, but support sorted it")
        // is no MIXED.
        joined.resolutions == 0 &&
        // "Though the staff were courteous, I never got my money back": a
        // concession's praise is not one side of a MIXED (its main clause
        // decides).
        joined.contrasts == joined.buts &&
        // "Oh brilliant, the 'free gift' has been added to my bill": sarcasm
        // is a complaint, its surface praise no side of a MIXED.
        (sp.mixed_skips_sarcasm == 0 || joined.sarcasms == 0) &&
        MixedByAspects(text, t, LexiconAspects(text, t, a, model_read, clauses, lexicon_only), sp,
                       language) &&
        ComparableSides(parts, sp.mixed_ratio, sp.mixed_sides_unweighted)) {
      a.sentiment.label = SentimentLabel::kMixed;
      mixed_by_aspects = true;
    }
    // A failure event told in a clause may decide like a clause-model
    // reading (DecidingClauseLabel).
    const bool any_failure = std::any_of(clauses.begin(), clauses.end(),
                                         [](const ClauseSentiment& c) { return c.failure; });
    // ... but not a remark the customer dismisses ("Nur als Anregung: ein
    // Rezeptheft wäre schön") after praise, with no complaint in the
    // evidence (deciding_skips_dismissed).
    const bool dismissed_remark = sp.deciding_skips_dismissed && joined.dismissals > 0 &&
                                  joined.negative == 0 && joined.lexicon_negative == 0;
    if (!tweet && sp.use_composition && middle_rating && (model_read || any_failure) &&
        !dismissed_remark &&
        (sp.deciding_clause_off.empty() ||
         sp.deciding_clause_off.count(
             std::string_view(language).substr(0, language.find('-'))) == 0)) {
      DecidingClauseLabel(t, a.sentences, clauses, lexicon_only, a.aspects, &a.sentiment);
    }
    const bool late_reading = !tweet && sp.use_composition && sp.late_reading > 0 && middle_rating;
    if (late_reading && !sp.late_reading_after_arbiter) {
      LateClauseReading(t, parts, joined, sp, words, &reader, &a.sentiment);
    }
    if (!tweet && sp.use_composition && sp.story_end > 0 && middle_rating) {
      StoryEnding(a.sentences, sp, &a.sentiment);
    }
    // Not over the customer's own low rating (below the middle: 2 of 5).
    const bool late_praise = !tweet && sp.use_composition && sp.late_praise > 0 && middle_rating &&
                             !LowRating(options);
    if (late_praise && !sp.late_praise_after_arbiter) {
      LatePraise(t, parts, joined, sp, words, &reader, &a.sentiment);
    }
    const bool put_right = !tweet && sp.use_composition && sp.put_right > 0 &&
                           sp.put_right_decides > 0 && middle_rating && !LowRating(options);
    if (put_right && !sp.put_right_after_arbiter) PutRightDecides(parts, sp, &a.sentiment);
    // The learnt label arbiter (nlp/label_arbiter.h) over what the steps
    // above computed: its word on the label (only the threat override after
    // urgency comes later), before the aspects settle their sides and the
    // aspect-sign arbiter reads it.
    const Sentiment composed = a.sentiment;
    if (arbitrate) {
      ArbitrateLabel(t, parts, a.sentences, a.aspects, joined, language, options, words, probs,
                     have_plain ? &plain_probs : nullptr, &reader, &a.sentiment);
    } else if (config_.trace_label_arbiter) {
      ThreadLabelArbiterTrace().features.clear();
    }
    // "The shop app keeps crashing, but the quality is excellent": a short
    // review whose two aspects' clauses took both sides (MixedByAspects
    // above) stays MIXED whatever side the arbiter leans to.
    if (mixed_by_aspects && composed.label == SentimentLabel::kMixed &&
        a.sentiment.label != SentimentLabel::kMixed &&
        static_cast<float>(words) <= sp.mixed_over_arbiter_words &&
        // ... when the aspects as the clause model read them take both
        // sides too (mixed_over_arbiter_aspects): "żadna nie pękła" is no
        // complaint the arbiter should be overruled for.
        (sp.mixed_over_arbiter_aspects == 0 ||
         MixedByAspects(text, t, a.aspects, sp, language))) {
      a.sentiment = composed;
    }
    if (late_reading && sp.late_reading_after_arbiter) {
      LateClauseReading(t, parts, joined, sp, words, &reader, &a.sentiment);
    }
    if (late_praise && sp.late_praise_after_arbiter) {
      LatePraise(t, parts, joined, sp, words, &reader, &a.sentiment);
    }
    if (put_right && sp.put_right_after_arbiter) PutRightDecides(parts, sp, &a.sentiment);
    if (!tweet && sp.use_composition && sp.blind_complaint > 0 && middle_rating) {
      BlindComplaint(t, parts, joined, sp, language, dismissed_remark, &reader, &a.sentiment);
    }
    // The customer's own middle rating (3 of 5) over a text that tells
    // praise and a complaint, each with evidence of at least middle_mixed:
    // MIXED — the stars say both sides weigh, whatever side the words lean
    // to (a middle rating is MIXED in 68 % of the rated tables' cases and
    // 63 % of the corpus's).
    if (!tweet && sp.use_composition && sp.middle_mixed > 0 && MiddleRating(options) &&
        (a.sentiment.label == SentimentLabel::kPositive ||
         a.sentiment.label == SentimentLabel::kNegative) &&
        joined.best_positive >= sp.middle_mixed && joined.best_negative >= sp.middle_mixed) {
      // Its score the balance of the two sides, within (-0.5, 0.5) (as the
      // arbiter's MIXED: near 0).
      a.sentiment.label = SentimentLabel::kMixed;
      a.sentiment.score = 0.5f * (joined.best_positive - joined.best_negative) /
                          (joined.best_positive + joined.best_negative);
    }
    // "The kettle looks lovely. After two weeks it started leaking.": a
    // later clause that names nothing joins the product it goes on about
    // (Extract's late_turn), once the label is settled (the label steps
    // read the aspects without it), in a POSITIVE or NEGATIVE review (in a
    // MIXED one the praise is one side). Extracted again only when one
    // would join (the clauses have not changed since).
    // "Tolle Regale. Nach drei Wochen haben sich die mittleren Böden
    // durchgebogen.": in a NEGATIVE review a late negative clause naming a
    // part of the product joins it (Extract's late_part).
    const bool turn_joins =
        sp.use_composition && sp.aspects_late_turn && late_turn && Sign(a.sentiment) != 0;
    const bool part_joins = sp.use_composition && sp.aspects_late_part && late_part &&
                            a.sentiment.label == SentimentLabel::kNegative;
    if (turn_joins || part_joins) {
      a.aspects = aspects_->Extract(text, t, a.language, a.sentences, &clauses, &two_sided,
                                    turn_joins, nullptr, part_joins);
    }
    // "Gorgeous finish, but the paint was flaking": an aspect judged both
    // ways takes the deciding side, once the review's label is settled (not
    // before: MixedByAspects above reads the aspects as the clauses left them).
    if (sp.use_composition && sp.aspects_deciding_side && !two_sided.empty() &&
        std::any_of(a.aspects.begin(), a.aspects.end(), [](const AspectSentiment& as) {
          return as.sentiment.label == SentimentLabel::kMixed;
        })) {
      SettleDecidingSides(two_sided, Sign(a.sentiment), &a.aspects);
    }
    // Aspects the terms miss, and terms that are no aspect: the learnt
    // detector (nlp/aspect_detect.h), once the label is settled.
    if (!tweet && aspect_detector_ != nullptr) {
      aspect_detector_->Apply(t, clauses, &a.aspects, &two_sided, &review_features);
    }
    // Sarcasm ("Lovely service, they hang up when I ask about a refund"):
    // the surface praise of an aspect is the complaint.
    if (!tweet && sp.use_composition && joined.sarcasms > 0 &&
        a.sentiment.label == SentimentLabel::kNegative) {
      for (AspectSentiment& as : a.aspects) {
        if (as.sentiment.score > 0) {
          as.sentiment.score = -as.sentiment.score;
          as.sentiment.label = SentimentLabel::kNegative;
        }
      }
    }
    // The learnt arbiter of each aspect's sign (nlp/aspect_signs.h), over
    // the readings above; the review's label as it stands here.
    if (sign_facts) {
      AspectSignInput in;
      in.t = &t;
      in.language = language;
      in.clauses = &clauses;
      in.facts = &facts;
      in.review = a.sentiment;
      in.sarcasm = joined.sarcasms > 0;
      in.tweet = tweet;
      in.models = tweet ? nullptr : clause_models_.get();
      in.reader = &reader;
      DecideAspectSigns(aspect_signs_.get(), in, two_sided, &a.aspects,
                        config_.aspect_sign_rows);
    }
    a.urgency = urgency_->Assess(text, t, a.language, a.sentiment, options,
                                 ClauseLevel(joined));
    // A legal threat, a fraud claim or a chargeback is a complaint even
    // when its words carry no opinion ("Se entro venerdì non ricevo il
    // rimborso, passo tutto al mio avvocato").
    if (!tweet && sp.use_composition &&
        (a.sentiment.label == SentimentLabel::kNeutral || a.sentiment.label == SentimentLabel::kMixed) &&
        std::any_of(a.urgency.reasons.begin(), a.urgency.reasons.end(),
                    [](const std::string& r) {
                      return r == "LEGAL_THREAT" || r == "FRAUD_CLAIM" || r == "CHURN_INTENT";
                    })) {
      a.sentiment.label = SentimentLabel::kNegative;
      a.sentiment.score = std::min(a.sentiment.score, -kThreatScore);
    }
    return a;
  }

  std::string ModelVersion() const override { return version_; }

 private:
  // An unmarked text the router reads as a post, in a language whose tweet
  // model is not its review model, that names no shop aspect; the
  // threshold is the detected language's (kThreshold for "und": a guessed
  // language is not the one the threshold was chosen for) (models/README.md,
  // "Tweet router (seventh pass)", "Fourteenth pass: the router").
  bool RoutedAsPost(std::string_view text, const TokenizedText& t, std::string_view language,
                    std::string_view detected, const AnalyzeOptions& options,
                    ReviewFeatures* review) const {
    const float threshold = config_.router_threshold >= 0 ? config_.router_threshold
                                                          : TweetRouter::Threshold(detected);
    return router_->Enabled() &&
           sentiment_->ModelName(language, true) != sentiment_->ModelName(language, false) &&
           router_->ToTweetModel(text, t, options, threshold, review) &&
           !(config_.router_aspect_gate && NamesAspect(text, t, language));
  }

  // Whether `text` names a shop aspect (an aspects.tsv term; the lexicon
  // alone, no sentence read).
  bool NamesAspect(std::string_view text, const TokenizedText& t,
                   std::string_view language) const {
    static const std::vector<SentenceSentiment> kNoSentences;
    return !aspects_->Extract(text, t, language, kNoSentences).empty();
  }

  // What each text part (the title, then every sentence) contributes to the
  // review's sentiment: kept from the sentence pass, so the review needs no
  // second pass over its tokens.
  struct Parts {
    std::vector<SentimentClassifier::Part> parts;
    std::vector<const SentimentClassifier::Part*> in_order;
  };

  static Sentiment FromNet(float net) {
    const float score = net / std::sqrt(net * net + 1.0f);
    return {score, score > 0 ? SentimentLabel::kPositive : SentimentLabel::kNegative,
            std::fabs(score)};
  }

  // The clause with evidence on the other side of a contrast from clause
  // `i` of `cl` ("X, but Y", "although X, Y", "Y, although X"), or null.
  static const Clause* ContrastedNeighbour(const std::vector<Clause>& cl, size_t i) {
    auto evident = [](const Clause& c) { return c.hits > 0 && c.Net() != 0; };
    if (i + 1 < cl.size() && (cl[i + 1].contrast || cl[i + 1].concession ||
                              cl[i].concession) &&
        evident(cl[i + 1])) {
      return &cl[i + 1];
    }
    if (i > 0 && (cl[i].contrast || cl[i].concession || cl[i - 1].concession) &&
        evident(cl[i - 1])) {
      return &cl[i - 1];
    }
    return nullptr;
  }

  // The label arbiter (nlp/label_arbiter.h) over what the review's
  // analysis computed, the clause models reading every clause of the text.
  // `plain`: the review model's plain reading when ReviewSentiment had it
  // (null: read here).
  void ArbitrateLabel(const TokenizedText& t, const Parts& parts,
                      const std::vector<SentenceSentiment>& sentences,
                      const std::vector<AspectSentiment>& aspects, const PolarityEvidence& joined,
                      std::string_view language, const AnalyzeOptions& options, int words,
                      const SentimentClassifier::Probs& probs,
                      const SentimentClassifier::Probs* plain, ClauseReader* reader,
                      Sentiment* review) const {
    thread_local std::vector<float> reads;
    thread_local std::vector<float> x;
    ClauseReads(t, parts, reader, &reads);
    LabelArbiterInput in;
    in.composed = *review;
    in.probs = probs;
    if (plain != nullptr) {
      in.plain_probs = *plain;
    } else {
      sentiment_->ClassifyJoinedPlain(parts.in_order, language, &in.plain_probs);
    }
    in.parts = &parts.in_order;
    in.joined = joined;
    in.clause_reads = &reads;
    in.sentences = &sentences;
    in.aspects = &aspects;
    in.rating = options.rating;
    in.rating_scale = options.rating_scale;
    in.words = words;
    in.language = language;
    LabelArbiterFeatures(in, &x);
    if (config_.trace_label_arbiter) {
      LabelArbiterTrace& trace = ThreadLabelArbiterTrace();
      trace.features = x;
      trace.composed = *review;
    }
    if (label_arbiter_ != nullptr) *review = label_arbiter_->Decide(x, *review);
  }

  // "Hübsche Vase, gut verpackt und pünktlich da. Beim ersten Befüllen lief
  // das Wasser unten raus.": a POSITIVE review with no complaint among its
  // clause evidence or lexicon words, a clause of which the clause models
  // read at -blind_complaint or below, takes the review model's own reading
  // (without the compositional layer) when that is NEGATIVE with a score of
  // -blind_complaint_score or below (models/README.md, "Twenty-first pass").
  // A remark the customer dismisses (`dismissed_remark`, "Nur als
  // Anregung: …") is no such complaint.
  void BlindComplaint(const TokenizedText& t, const Parts& parts, const PolarityEvidence& joined,
                      const SentimentParams& sp, std::string_view language,
                      bool dismissed_remark, ClauseReader* reader, Sentiment* review) const {
    if (review->label != SentimentLabel::kPositive || joined.negative > 0 ||
        joined.lexicon_negative > 0 || dismissed_remark) {
      return;
    }
    thread_local std::vector<float> reads;
    ClauseReads(t, parts, reader, &reads);
    if (reads.empty() || *std::min_element(reads.begin(), reads.end()) > -sp.blind_complaint) {
      return;
    }
    const Sentiment plain = sentiment_->ClassifyJoinedPlain(parts.in_order, language);
    if (plain.label == SentimentLabel::kNegative && plain.score <= -sp.blind_complaint_score) {
      *review = plain;
    }
  }

  // The clause models' score of every clause with a token, sentence by
  // sentence in text order (the title not among them); empty without a
  // clause model for the language.
  static void ClauseReads(const TokenizedText& t, const Parts& parts, ClauseReader* reader,
                          std::vector<float>* reads) {
    reads->clear();
    if (!reader->Knows()) return;
    for (size_t si = 0; si < t.sentences.size() && si + 1 < parts.parts.size(); ++si) {
      for (const Clause& c : parts.parts[si].clauses) {
        if (c.first_token >= c.end_token) continue;
        reads->push_back(reader->Read(c.first_token, c.end_token).score);
      }
    }
  }

  // Fifteenth pass (models/README.md, "Fifteenth pass: the late clause
  // reading"): in a review that turns, the clause models' mean reading of
  // the last third of the clauses names the gold label of most turning
  // reviews the composition reads wrong. A POSITIVE or NEGATIVE review
  // with a turn - a contrast or concession connective, a sentence opened
  // by a verdict or a turn (opener_turn), or with `sign_change` clause
  // readings of both signs at least `threshold` strong - whose late reading
  // is at least `threshold` against its sign takes the late reading's sign
  // and score.
  static void LateClauseReading(const TokenizedText& t, const Parts& parts,
                                const PolarityEvidence& joined, const SentimentParams& sp,
                                int words, ClauseReader* reader, Sentiment* review) {
    const float threshold = sp.late_reading;
    const int sign = Sign(*review);
    if (sign == 0) return;
    if (sp.late_reading_words > 0 && static_cast<float>(words) > sp.late_reading_words) return;
    if (std::fabs(review->score) >= sp.late_reading_score) return;
    if (sign < 0 && !sp.late_reading_to_positive) return;
    const bool sign_change = sp.late_reading_sign_change;
    thread_local std::vector<float> reads;
    ClauseReads(t, parts, reader, &reads);
    if (reads.size() < 2) return;
    bool turn = joined.contrasts > 0;
    for (const SentimentClassifier::Part* p : parts.in_order) turn |= p->polarity.opener_turn;
    if (!turn && sign_change) {
      turn = *std::max_element(reads.begin(), reads.end()) >= threshold &&
             *std::min_element(reads.begin(), reads.end()) <= -threshold;
    }
    if (!turn) return;
    float early = 0, late = 0;
    LastThirdMeans(reads, &early, &late);
    if (late * static_cast<float>(sign) > -threshold) return;
    if (early * static_cast<float>(sign) < sp.late_reading_early) return;
    review->score = late;
    review->label = late > 0 ? SentimentLabel::kPositive : SentimentLabel::kNegative;
    review->confidence = std::fabs(late);
  }

  // The mean clause reading of the last third of `reads` (at least one
  // clause) and of the clauses before it; `reads` has at least 2 entries.
  static void LastThirdMeans(const std::vector<float>& reads, float* early, float* late) {
    const size_t from = reads.size() - (reads.size() + 2) / 3;
    *late = 0;
    for (size_t i = from; i < reads.size(); ++i) *late += reads[i];
    *late /= static_cast<float>(reads.size() - from);
    *early = 0;
    for (size_t i = 0; i < from; ++i) *early += reads[i];
    *early /= static_cast<float>(from);
  }

  // Late praise (SentimentParams::late_praise): a long review composed
  // NEGATIVE, not strongly, whose clause models read the last third of its
  // clauses at least late_praise positive turns POSITIVE with that reading.
  static void LatePraise(const TokenizedText& t, const Parts& parts,
                         const PolarityEvidence& joined, const SentimentParams& sp, int words,
                         ClauseReader* reader, Sentiment* review) {
    if (review->label != SentimentLabel::kNegative) return;
    if (review->score <= -sp.late_praise_score) return;
    if (static_cast<float>(t.sentences.size()) < sp.late_praise_sentences) return;
    if (sp.late_praise_words > 0 && static_cast<float>(words) > sp.late_praise_words) return;
    if (sp.late_praise_turn) {
      bool turn = joined.contrasts > 0;
      for (const SentimentClassifier::Part* p : parts.in_order) turn |= p->polarity.opener_turn;
      if (!turn) return;
    }
    thread_local std::vector<float> reads;
    ClauseReads(t, parts, reader, &reads);
    if (reads.size() < 2) return;
    float early = 0, late = 0;
    LastThirdMeans(reads, &early, &late);
    if (late < sp.late_praise) return;
    if (reads.back() < sp.late_praise_last) return;
    if (-early < sp.late_praise_early) return;
    review->score = late;
    review->label = SentimentLabel::kPositive;
    review->confidence = late;
  }

  // A problem put right decides (SentimentParams::put_right_decides): a
  // review composed NEGATIVE or MIXED whose complaint comes first and whose
  // last PUTRIGHT event ("got my money back", "Ersatz kam") starts a run
  // of sentences with no decisive complaint and net evidence of at least
  // put_right_decides takes POSITIVE at that run's net evidence (squashed,
  // at most 0.5).
  static void PutRightDecides(const Parts& parts, const SentimentParams& sp, Sentiment* review) {
    if (review->label != SentimentLabel::kNegative && review->label != SentimentLabel::kMixed) {
      return;
    }
    const std::vector<const SentimentClassifier::Part*>& in = parts.in_order;
    size_t at = in.size();
    for (size_t i = in.size(); i-- > 0;) {
      if (in[i]->polarity.put_rights > 0) {
        at = i;
        break;
      }
    }
    if (at == 0 || at == in.size()) return;
    // Told at the end (among the last put_right_last parts; 0: anywhere).
    if (sp.put_right_last > 0 && static_cast<float>(in.size() - at) > sp.put_right_last) return;
    float before = 0;
    for (size_t i = 0; i < at; ++i) {
      before += in[i]->polarity.negative + in[i]->polarity.lexicon_negative;
    }
    if (before <= 0) return;  // nothing was wrong before it
    float net = 0;
    for (size_t i = at; i < in.size(); ++i) {
      const PolarityEvidence& e = in[i]->polarity;
      // "At least I got my money back": a consolation, not a verdict.
      if (e.negative > 0 || e.sarcasms > 0 || e.consolations > 0) return;
      // After the event's sentence, not even a plain lexicon complaint
      // ("There's no explanation of the missing £7").
      if (i > at && sp.put_right_lexicon >= 0 && e.lexicon_negative > sp.put_right_lexicon) return;
      net += e.Net() + e.lexicon_positive - e.lexicon_negative;
    }
    if (net < sp.put_right_decides) return;
    review->label = SentimentLabel::kPositive;
    review->score = std::min(0.5f, net / std::sqrt(net * net + 1.0f));
    review->confidence = review->score;
  }

  // A story's ending decides (SentimentParams::story_end): the last
  // sentence read at least story_end against the composed label, the
  // earlier sentences' mean at least story_end_early on the other side.
  static void StoryEnding(const std::vector<SentenceSentiment>& sentences,
                          const SentimentParams& sp, Sentiment* review) {
    if (sentences.size() < 3) return;
    const float last = sentences.back().sentiment.score;
    const int end = last <= -sp.story_end ? -1 : last >= sp.story_end ? 1 : 0;
    if (end == 0 || (end > 0 && !sp.story_end_to_positive)) return;
    const int sign = Sign(*review);
    if (sign == end) return;
    if (sign == 0 && (review->label != SentimentLabel::kMixed || !sp.story_end_from_mixed)) return;
    float early = 0;
    for (size_t i = 0; i + 1 < sentences.size(); ++i) early += sentences[i].sentiment.score;
    early /= static_cast<float>(sentences.size() - 1);
    if (early * static_cast<float>(-end) < sp.story_end_early) return;
    review->label = end > 0 ? SentimentLabel::kPositive : SentimentLabel::kNegative;
    review->score = 0.5f * last;
    review->confidence = std::fabs(review->score);
  }

  // +1 POSITIVE, -1 NEGATIVE, 0 NEUTRAL or MIXED.
  static int Sign(const Sentiment& s) {
    return s.label == SentimentLabel::kPositive   ? 1
           : s.label == SentimentLabel::kNegative ? -1
                                                  : 0;
  }

  // The review's sign when its reading is one-sided: POSITIVE or NEGATIVE,
  // no clause (title included) with evidence of the other side, and no
  // clause turned by a contrast with evidence across it; 0 otherwise.
  static int OneSided(const Parts& parts, const Sentiment& review) {
    const int sign = Sign(review);
    if (sign == 0) return 0;
    for (const SentimentClassifier::Part* p : parts.in_order) {
      const std::vector<Clause>& cl = p->clauses;
      for (size_t ci = 0; ci < cl.size(); ++ci) {
        const Clause& c = cl[ci];
        const float net = c.Net();
        if (c.hits > 0 && net * static_cast<float>(sign) < 0) return 0;
        if ((c.hits == 0 || net == 0) && ContrastedNeighbour(cl, ci) != nullptr) return 0;
      }
    }
    return sign;
  }

  // Each clause's sentiment from its own evidence (nlp/polarity_rules.h):
  // a clause without any takes its sentence's, and a question's clause is
  // neutral unless it carries a clear opinion.
  static void ClauseSentiments(const TokenizedText& t, const Parts& parts,
                               const std::vector<SentenceSentiment>& sentences,
                               const Sentiment& review, bool follow_review,
                               ClauseReader* reader,
                               std::vector<ClauseSentiment>* out,
                               std::vector<Sentiment>* lexicon_only, bool* changed,
                               std::vector<AspectClauseFacts>* facts) {
    const bool read = reader->Knows();
    lexicon_only->clear();
    *changed = false;
    out->clear();
    if (facts != nullptr) facts->clear();
    const int one_sided = follow_review ? OneSided(parts, review) : 0;
    for (size_t si = 0; si < t.sentences.size() && si < sentences.size(); ++si) {
      const Sentiment& whole = sentences[si].sentiment;
      const std::vector<Clause>& cl = parts.parts[si].clauses;
      for (size_t ci = 0; ci < cl.size(); ++ci) {
        const Clause& c = cl[ci];
        ClauseSentiment cs{c.first_token, c.end_token, whole};
        cs.weight = c.weight;
        cs.wait = c.wait;
        cs.failure = c.failure;
        // "..., but Y", "Although X, Y": Y decides against its neighbour.
        cs.decides = !c.concession &&
                     (c.contrast || (ci > 0 && cl[ci - 1].concession) ||
                      (ci + 1 < cl.size() && cl[ci + 1].concession));
        const float net = c.Net();
        const bool neutral_sentence = whole.label == SentimentLabel::kNeutral;
        // A question, or a note in a NEUTRAL sentence, mentions an aspect
        // without judging it unless the clause carries a clear opinion; in
        // a one-sided review only a question does ("Buty wygodne, lekkie"
        // read NEUTRAL alone in a POSITIVE review is the review's praise).
        ClauseSource source = ClauseSource::kSentence;
        if ((c.question || (neutral_sentence && one_sided == 0)) &&
            std::fabs(net) < kClearClause) {
          source = ClauseSource::kNeutralNote;
          cs.sentiment = {0.0f, SentimentLabel::kNeutral, whole.confidence};
        } else if (c.hits > 0 && net != 0) {
          source = ClauseSource::kEvidence;
          cs.opinion = true;
          cs.sentiment = FromNet(net);
        } else if (one_sided != 0) {
          // "Podeszwa odkleiła się po dwóch spacerach. Nie polecam.": in a
          // one-sided review a clause without evidence of its own reads as
          // the review does (its composition: denials, idioms, waits), not
          // as the model read the clause's sentence alone.
          source = ClauseSource::kReview;
          cs.sentiment = {review.score, review.label, review.confidence};
        } else if (const Clause* other = ContrastedNeighbour(cl, ci)) {
          // "Paczka szła tydzień, ale warto było czekać": a clause without
          // evidence across "but" from one with evidence says the opposite.
          source = ClauseSource::kContrast;
          cs.sentiment = FromNet(-kContrastedShare * other->Net());
        }
        out->push_back(cs);
        if (facts != nullptr) {
          facts->push_back({static_cast<int>(source), net, c.hits, c.question, c.concession,
                            cs.sentiment, whole});
        }
        if (read) {
          lexicon_only->push_back(cs.sentiment);
          *changed |= ReadWithClauseModel(t, c, reader, source, net, &out->back());
        }
      }
      // "Obawiałem się płatności ..., ale wszystko przebiegło bez problemu":
      // a worry's clauses take the praise that relieved them.
      const size_t base = out->size() - cl.size();
      for (size_t ci = 0; ci < cl.size(); ++ci) {
        if (cl[ci].relieved_by > 0) {
          (*out)[base + ci].sentiment = (*out)[base + ci + cl[ci].relieved_by].sentiment;
          if (read) (*lexicon_only)[base + ci] = (*lexicon_only)[base + ci + cl[ci].relieved_by];
          if (facts != nullptr) {
            (*facts)[base + ci].lexicon = (*facts)[base + ci + cl[ci].relieved_by].lexicon;
          }
        }
      }
    }
  }

  // "Lovely colour and soft fabric. Since the first wash the seams have
  // come apart": a review that turns, its deciding clause told without
  // lexicon words. The deciding clause is the last one opened by a contrast or the main
  // clause of a concession (ClauseSentiment::decides), else the last clause
  // with a sign. When the review reads POSITIVE or NEGATIVE with a score
  // below kDecidingMaxScore, that clause is in the last sentence, the
  // clause model gave it the other sign (`clauses` differs from
  // `lexicon_only` there) with probability >= kClauseModelConfidence, its
  // sentence is not read with the review's sign, and an earlier clause has
  // the review's sign (the review turns): the clause decides. The review
  // is MIXED when its other side is confident too (a clause of the
  // review's sign at >= kDecidingOtherSide, or aspects of both signs);
  // else it takes the clause's sign at half its score. Chosen on the dev
  // sets: models/README.md "Clause readings in the label (sixth pass)".
  // Eighth pass: a deciding clause that tells a failure event (FAILURE or
  // CEASE words, "After the second wash the seams came apart") decides
  // when its reading is the lexicon's too, whatever the review's score and
  // its last sentence's reading.
  static void DecidingClauseLabel(const TokenizedText& t,
                                  const std::vector<SentenceSentiment>& sentences,
                                  const std::vector<ClauseSentiment>& clauses,
                                  const std::vector<Sentiment>& lexicon_only,
                                  const std::vector<AspectSentiment>& aspects, Sentiment* review) {
    const int sign = Sign(*review);
    if (sign == 0 || t.sentences.empty()) return;
    int d = -1;
    for (size_t i = 0; i < clauses.size(); ++i) {
      if (clauses[i].decides && Sign(clauses[i].sentiment) != 0) d = static_cast<int>(i);
    }
    for (size_t i = 0; d < 0 && i < clauses.size(); ++i) {
      if (Sign(clauses[clauses.size() - 1 - i].sentiment) != 0) {
        d = static_cast<int>(clauses.size() - 1 - i);
      }
    }
    if (d < 0) return;
    const ClauseSentiment& c = clauses[d];
    const int clause_sign = Sign(c.sentiment);
    // A failure event read by the lexicon ("Three days later the switch
    // fell off") decides as a clause-model reading does: the sum of the
    // review's evidence let the earlier praise outvote it.
    const bool told_failure = c.failure && clause_sign < 0;
    if (std::fabs(review->score) >= kDecidingMaxScore && !told_failure) return;
    if (clause_sign != -sign || (clause_sign == Sign(lexicon_only[d]) && !told_failure) ||
        c.sentiment.confidence < kClauseModelConfidence ||
        c.first_token < t.sentences.back().first_token) {
      return;
    }
    const size_t last = t.sentences.size() - 1;
    if (last < sentences.size() && Sign(sentences[last].sentiment) == sign && !told_failure) return;
    bool turns = false;
    bool other_side = false;
    for (size_t i = 0; i < clauses.size(); ++i) {
      if (static_cast<int>(i) == d || Sign(clauses[i].sentiment) != sign) continue;
      turns |= static_cast<int>(i) < d;
      other_side |= clauses[i].sentiment.confidence >= kDecidingOtherSide;
    }
    if (!turns) return;
    bool praised = false;
    bool blamed = false;
    for (const AspectSentiment& as : aspects) {
      praised |= as.sentiment.label == SentimentLabel::kPositive;
      blamed |= as.sentiment.label == SentimentLabel::kNegative;
    }
    if (other_side || (praised && blamed)) {
      review->label = SentimentLabel::kMixed;
      return;
    }
    review->score = 0.5f * c.sentiment.score;
    review->label = clause_sign > 0 ? SentimentLabel::kPositive : SentimentLabel::kNegative;
  }

  // Where a clause's reading came from (ClauseSentiments): the rule that
  // a question or a note is neutral, its own lexicon evidence, or (none of
  // its own) the review's, a contrasted neighbour's, its sentence's.
  // The values are AspectClauseFacts::source's.
  enum class ClauseSource { kNeutralNote, kEvidence, kReview, kContrast, kSentence };

  // The clause model (nlp/clause_model.h) reads a clause, and its reading
  // replaces the one above when it is confident of a sign
  // (kClauseModelConfidence; kClauseModelNoteConfidence for a
  // question's or a neutral note's clause) and the clause's own evidence,
  // if any, is weak (|net| <= kClauseModelWeakNet), and the clause has no
  // negator (and has a token). It never makes a clause neutral. Returns
  // true when it changed `cs`.
  static bool ReadWithClauseModel(const TokenizedText& t, const Clause& c, ClauseReader* reader,
                                  ClauseSource source, float net, ClauseSentiment* cs) {
    if (source == ClauseSource::kEvidence && std::fabs(net) > kClauseModelWeakNet) return false;
    if (c.first_token >= c.end_token) return false;  // no words to read
    // Negation is the compositional layer's: a bag of words reads "stürzt
    // nicht mehr ab" as the crash.
    for (int i = c.first_token; i < c.end_token; ++i) {
      if (IsNegator(t.tokens[i].norm)) return false;
    }
    const Sentiment m = reader->Read(c.first_token, c.end_token);
    const float confidence = source == ClauseSource::kNeutralNote ? kClauseModelNoteConfidence
                                                                  : kClauseModelConfidence;
    if (m.label == SentimentLabel::kNeutral || m.confidence < confidence ||
        m.label == cs->sentiment.label) {
      return false;
    }
    cs->sentiment = m;
    return true;
  }

  // The aspects as the clauses' lexicon readings alone give them (before
  // the clause model: `lexicon_only`, for each of `clauses`),
  // for the review's MIXED: the clause model sets aspect signs, the label
  // path stays the lexicon's (models/README.md "Clause model (sixth
  // pass)"). `a.aspects` when the model changed no clause.
  const std::vector<AspectSentiment>& LexiconAspects(std::string_view text,
                                                     const TokenizedText& t, const Analysis& a,
                                                     bool model_read,
                                                     const std::vector<ClauseSentiment>& clauses,
                                                     const std::vector<Sentiment>& lexicon_only) const {
    if (!model_read) return a.aspects;
    thread_local std::vector<ClauseSentiment> lexicon_clauses;
    thread_local std::vector<AspectSentiment> aspects;
    lexicon_clauses = clauses;
    for (size_t i = 0; i < lexicon_clauses.size(); ++i) {
      lexicon_clauses[i].sentiment = lexicon_only[i];
    }
    aspects = aspects_->Extract(text, t, a.language, a.sentences, &lexicon_clauses);
    return aspects;
  }

  // Praise and a complaint of real weight about different aspects, the
  // praise first and the product not among the complaints: MIXED ("great
  // product, but delivery took ages"). A complaint about the product
  // decides ("nice box, but it broke"); so does praise after a complaint
  // ("slow delivery, but an amazing product").
  // MIXED only when praise and complaints weigh alike: praise of one
  // aspect followed by several complaints is NEGATIVE. Not comparable when
  // one side's clause evidence is `ratio` times the other's, or it has two
  // more clauses.
  // With `unweighted` > 0 (SentimentParams::mixed_sides_unweighted), the
  // sides of a one-sentence review without sarcasm whose first opinion is
  // the complaint are also comparable by its clauses' own evidence, before
  // the contrast weighting (the complaint before the "but" weighs 0.5 in
  // the joined evidence), when neither is `unweighted` times the other and
  // no complaint is played down ("a bit slow, but ...": the praise decides).
  static bool ComparableSides(const Parts& parts, float ratio, float unweighted) {
    const PolarityEvidence e =
        SentimentClassifier::JoinedPolarity(parts.in_order);
    const float pos = e.positive + e.lexicon_positive;
    const float neg = e.negative + e.lexicon_negative;
    bool comparable = pos < ratio * neg && neg < ratio * pos;
    if (!comparable && unweighted > 0 && e.sarcasms == 0 && parts.in_order.size() == 1) {
      float first = 0;  // the first clause's net evidence that is not 0
      float raw_pos = 0;
      float raw_neg = 0;
      bool played_down = false;  // a complaint with a DIMINISHER ("a bit slow")
      for (const Clause& c : parts.in_order[0]->clauses) {
        if (first == 0) first = c.Net();
        raw_pos += c.positive;
        raw_neg += c.negative;
        played_down |= c.Net() < 0 && c.diminished;
      }
      comparable = first < 0 && !played_down && raw_pos < unweighted * raw_neg &&
                   raw_neg < unweighted * raw_pos;
    }
    if (!comparable) return false;
    int pos_clauses = 0;
    int neg_clauses = 0;
    for (const SentimentClassifier::Part* p : parts.in_order) {
      for (const Clause& c : p->clauses) {
        if (c.Net() > 0) ++pos_clauses;
        if (c.Net() < 0) ++neg_clauses;
      }
    }
    return std::abs(pos_clauses - neg_clauses) < 2;
  }

  // A clause that speaks of the author or goes on about what came before
  // ("but I am very happy", "but it turned up safe"): a verdict or the
  // same thing, not praise of another aspect.
  // `language` (SentimentParams::mixed_own_language_words; empty: every
  // language's words, as before) reads only that language's words: "la
  // manta", "il bollitore", "es increíble" are no "la" (Spanish pronoun),
  // "il" (French), "es" (German).
  static bool SpeaksOfAuthorOrBefore(std::string_view text, const std::vector<Span>& spans,
                                     bool of_wait = false, std::string_view language = {}) {
    // "..., but the jacket is worth every day of waiting": praise that
    // weighs the wait told before it (with of_wait).
    static constexpr std::string_view kWaitWords[] = {
        "wait", "waiting", "czekania", "czekanie", "czekac", "warten", "wartezeit",
        "warterei", "espera", "esperar", "attente", "attendre", "attesa", "aspettare"};
    struct Word {
      std::string_view language, word;
    };
    static constexpr Word kWords[] = {
        {"en", "i"},     {"en", "im"},       {"en", "me"},        {"en", "my"},
        {"en", "we"},    {"en", "us"},       {"en", "our"},       {"en", "it"},
        {"en", "its"},   {"en", "they"},     {"en", "overall"},   {"pl", "ja"},
        {"pl", "jestem"}, {"pl", "jestesmy"}, {"pl", "mnie"},     {"pl", "mi"},
        {"pl", "polecam"}, {"pl", "ogolnie"}, {"pl", "to"},       {"pl", "on"},
        {"pl", "ona"},   {"pl", "ono"},      {"de", "ich"},       {"de", "bin"},
        {"de", "mir"},   {"de", "mich"},     {"de", "wir"},       {"de", "es"},
        {"de", "er"},    {"de", "sie"},      {"de", "insgesamt"}, {"es", "yo"},
        {"es", "estoy"}, {"es", "me"},       {"es", "lo"},        {"es", "la"},
        {"es", "todo"},  {"fr", "je"},       {"fr", "suis"},      {"fr", "moi"},
        {"fr", "il"},    {"fr", "elle"},     {"fr", "tout"},      {"it", "io"},
        {"it", "sono"},  {"it", "tutto"}};
    const std::string_view lang = language.substr(0, language.find('-'));
    const bool known = std::any_of(std::begin(kWords), std::end(kWords),
                                   [&lang](const Word& w) { return w.language == lang; });
    // Each span tokenized once for both lists.
    for (const Span& sp : spans) {
      if (sp.begin < 0 || sp.end > static_cast<int32_t>(text.size()) || sp.begin >= sp.end) {
        continue;
      }
      const TokenizedText t = Tokenize(text.substr(sp.begin, sp.end - sp.begin));
      for (const Token& tok : t.tokens) {
        if (of_wait) {
          for (std::string_view w : kWaitWords) {
            if (tok.plain == w) return true;
          }
        }
        for (const Word& w : kWords) {
          if (known && w.language != lang) continue;
          if (tok.plain == w.word) return true;
        }
      }
    }
    return false;
  }

  // "The product itself was poor", "das Produkt selbst", "sam ekspres", "il
  // prodotto in sé": contrastive focus sets the product against the rest of
  // the purchase (its service aspects), so a product complaint after their
  // praise is one side of a MIXED review, not the verdict.
  // `t` is `text` tokenized; `spans` are byte spans of `text`.
  static bool SetAgainstTheRest(std::string_view text, const TokenizedText& t,
                                const std::vector<Span>& spans) {
    // A word, and the word that must follow it ("en sí", "lui-même"; empty:
    // none).
    struct Focus {
      std::string_view word, next;
    };
    static constexpr Focus kFocus[] = {
        {"itself", ""}, {"themselves", ""}, {"selbst", ""}, {"sam", ""},
        {"sama", ""},   {"samo", ""},       {"sami", ""},   {"en", "si"},
        {"lui", "meme"}, {"elle", "meme"},  {"in", "se"}};
    for (const Span& sp : spans) {
      if (sp.begin < 0 || sp.end > static_cast<int32_t>(text.size()) || sp.begin >= sp.end) {
        continue;
      }
      // The tokens within the span and 16 bytes before it, 24 after it
      // (about three words on either side; a word the window cuts is not
      // read: "balsam" is no "sam").
      const int32_t from = sp.begin - 16;
      const int32_t to = sp.end + 24;
      size_t first = 0;
      while (first < t.tokens.size() && t.tokens[first].span.begin < from) ++first;
      size_t last = first;  // one past the window's last token
      while (last < t.tokens.size() && t.tokens[last].span.end <= to) ++last;
      for (size_t i = first; i < last; ++i) {
        for (const Focus& f : kFocus) {
          if (t.tokens[i].plain != f.word) continue;
          if (f.next.empty()) return true;
          size_t next = i + 1;  // "lui-même": past the hyphen
          if (next < last && t.tokens[next].kind == TokenKind::kPunct) ++next;
          if (next < last && t.tokens[next].plain == f.next) return true;
        }
      }
    }
    return false;
  }

  static bool MixedByAspects(std::string_view text, const TokenizedText& t,
                             const std::vector<AspectSentiment>& aspects,
                             const SentimentParams& sp, std::string_view language) {
    const float min_score = sp.mixed_min;
    int first_pos = -1;
    int first_neg = -1;
    int named_pos_after_neg = -1;
    for (size_t i = 0; i < aspects.size(); ++i) {
      const float s = aspects[i].sentiment.score;
      if (s >= min_score && first_pos < 0) first_pos = static_cast<int>(i);
      if (s >= min_score && first_neg >= 0 && named_pos_after_neg < 0 &&
          (aspects[i].named || (sp.mixed_unnamed != 0 && s >= sp.mixed_unnamed &&
                                !SpeaksOfAuthorOrBefore(
                                    text, aspects[i].evidence, sp.mixed_sides_unweighted != 0,
                                    sp.mixed_own_language_words != 0 ? language
                                                                     : std::string_view())))) {
        named_pos_after_neg = static_cast<int>(i);
      }
      if (s <= -min_score) {
        if (aspects[i].aspect == Aspect::kProductQuality &&
            !SetAgainstTheRest(text, t, aspects[i].evidence)) {
          return false;
        }
        if (first_neg < 0) first_neg = static_cast<int>(i);
      }
    }
    if (first_pos < 0 || first_neg < 0) return false;
    // The complaint first: the praise after it names its aspect ("the
    // boots are fantastic"), not a verdict on the whole ("but I'm happy").
    return first_neg > first_pos ||
           (sp.mixed_either_order != 0 && named_pos_after_neg > first_neg);
  }

  // The review's clause-level outcome, for urgency: NEUTRAL without
  // evidence (or questions only), NEGATIVE only for strong net negative
  // evidence (kStrongEvidence: several complaints, or one intensified
  // severe one), MIXED for a milder complaint, else POSITIVE.
  static SentimentLabel ClauseLevel(const PolarityEvidence& e) {
    if (e.NoOpinion()) return SentimentLabel::kNeutral;
    const float net = e.Net() + e.lexicon_positive - e.lexicon_negative - e.distress;
    if (net <= -kStrongEvidence) return SentimentLabel::kNegative;
    if (net < 0) return SentimentLabel::kMixed;
    return net > 0 ? SentimentLabel::kPositive : SentimentLabel::kNeutral;
  }

  // Language of the title and text together (the title's words help a short
  // review); of the text alone when that says nothing.
  LanguageGuess IdentifyLanguage(std::string_view text, const TokenizedText& t,
                                 const TokenizedText& title, bool has_title,
                                 const AnalyzeOptions& options) const {
    if (!has_title) {
      return lid_->Identify(text, t, options.language_hint, config_.lid_method,
                            config_.lid_polish_letters);
    }
    TokenizedText with_title;
    with_title.tokens = title.tokens;
    with_title.tokens.insert(with_title.tokens.end(), t.tokens.begin(),
                             t.tokens.end());
    LanguageGuess lang = lid_->Identify(std::string_view(), with_title,
                                        options.language_hint, config_.lid_method,
                                        config_.lid_polish_letters);
    if (lang.language == "und") {
      lang = lid_->Identify(text, t, options.language_hint, config_.lid_method,
                            config_.lid_polish_letters);
    }
    return lang;
  }

  // Sentiment of every sentence of `t` into `sentences`, keeping each part's
  // contribution in `parts` (the title, when given, first, as "title. text"
  // in training). Returns the last sentence's probabilities.
  SentimentClassifier::Probs ClassifySentences(
      const TokenizedText& t, const TokenizedText* title,
      std::string_view language, bool tweet,
      std::vector<SentenceSentiment>* sentences, Parts* parts) const {
    parts->parts.resize(t.sentences.size() + 1);
    parts->in_order.clear();
    if (title != nullptr) {
      sentiment_->Classify(*title, 0, static_cast<int>(title->tokens.size()),
                           language, nullptr, &parts->parts.back(), tweet);
      parts->in_order.push_back(&parts->parts.back());
    }
    SentimentClassifier::Probs probs{};
    sentences->reserve(t.sentences.size());
    for (size_t si = 0; si < t.sentences.size(); ++si) {
      const Sentence& s = t.sentences[si];
      SentenceSentiment ss;
      ss.span = s.span;
      ss.sentiment = sentiment_->Classify(t, s.first_token, s.end_token, language,
                                          &probs, &parts->parts[si], tweet);
      parts->in_order.push_back(&parts->parts[si]);
      sentences->push_back(ss);
    }
    return probs;
  }

  // The review's sentiment from its parts; `probs` holds the last sentence's
  // probabilities on entry and the review's on return. `plain` (not null):
  // the plain reading's probabilities too, from the same model read, when
  // there is one (`*have_plain` says; not for a one-sentence text).
  Sentiment ReviewSentiment(const TokenizedText& t, const TokenizedText& title,
                            bool has_title, const Analysis& a,
                            std::string_view language, const Parts& parts,
                            bool tweet, SentimentClassifier::Probs* probs,
                            SentimentClassifier::Probs* plain, bool* have_plain) const {
    const size_t n = title.tokens.size() + t.tokens.size();
    if (n == 0) {
      *probs = {0.0f, 0.0f, 1.0f, 0.0f};
      return {0.0f, SentimentLabel::kNeutral, 0.0f};
    }
    if (!has_title && t.sentences.size() == 1 &&
        t.sentences[0].first_token == 0 &&
        static_cast<size_t>(t.sentences[0].end_token) == n) {
      // One sentence: the review is that sentence (saves a model call).
      return a.sentences[0].sentiment;
    }
    *have_plain = plain != nullptr && !tweet;
    return sentiment_->ClassifyJoined(parts.in_order, language, probs, tweet, plain);
  }

  const AnalyzerConfig config_;
  std::unique_ptr<LanguageIdentifier> lid_;
  std::unique_ptr<SentimentClassifier> sentiment_;
  std::unique_ptr<AspectExtractor> aspects_;
  std::unique_ptr<UrgencyAssessor> urgency_;
  std::unique_ptr<ClauseModels> clause_models_;
  std::unique_ptr<TweetRouter> router_;
  std::unique_ptr<AspectSignModel> aspect_signs_;  // null: none, or switched off
  std::unique_ptr<AspectDetector> aspect_detector_;  // null: terms only
  std::unique_ptr<LabelArbiter> label_arbiter_;  // null: none
  std::string version_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Analyzer>> CreateAnalyzer(
    const std::string& models_dir) {
  return CreateAnalyzerWithConfig(models_dir, AnalyzerConfig());
}

absl::StatusOr<std::unique_ptr<Analyzer>> CreateAnalyzerWithConfig(
    const std::string& models_dir, const AnalyzerConfig& config) {
  ASSIGN_OR_RETURN(auto lid, LanguageIdentifier::Create(models_dir));
  ASSIGN_OR_RETURN(auto sentiment,
                   SentimentClassifier::Create(models_dir, config.sentiment));
  std::vector<std::string> files = {"lid.176.ftz"};
  for (std::string& f : sentiment->ModelFiles()) files.push_back(std::move(f));
  for (const char* f : {"sentiment_models.tsv", "lexicon.tsv", "polarity.tsv",
                        "aspects.tsv", "urgency.tsv"}) {
    files.push_back(f);
  }
  // Read (and so part of the version) only when on.
  if (config.sentiment.more_events) files.push_back(PolarityRules::kMoreEventsFile);
  if (config.sentiment.reply_failures) files.push_back(PolarityRules::kReplyFailuresFile);
  ASSIGN_OR_RETURN(auto clause_models, ClauseModels::Load(models_dir));
  for (std::string& f : clause_models->Files()) files.push_back(std::move(f));
  ASSIGN_OR_RETURN(auto router, TweetRouter::Load(models_dir));
  if (router->Enabled()) files.push_back(router->File());
  std::unique_ptr<AspectSignModel> aspect_signs;
  if (config.aspect_signs) {
    ASSIGN_OR_RETURN(aspect_signs, AspectSignModel::Load(models_dir));
    if (aspect_signs != nullptr) files.push_back(kAspectSignsFile);
  }
  ASSIGN_OR_RETURN(auto aspect_detector, AspectDetector::Load(models_dir));
  if (aspect_detector != nullptr) files.push_back(AspectDetector::kFile);
  std::unique_ptr<LabelArbiter> label_arbiter;
  if (config.label_arbiter_text.empty()) {
    ASSIGN_OR_RETURN(label_arbiter, LabelArbiter::Load(models_dir));
    if (label_arbiter != nullptr) files.push_back(kLabelArbiterFile);
  } else {
    ASSIGN_OR_RETURN(label_arbiter,
                     LabelArbiter::Parse(config.label_arbiter_text, "label arbiter (config)"));
  }
  uint64_t h = 1469598103934665603ULL;
  for (const std::string& f : files) h = HashFile(models_dir + "/" + f, h);
  h = HashBytes(TunablesKey(config), h);
  if (!config.label_arbiter_text.empty()) h = HashBytes(config.label_arbiter_text, h);
  ASSIGN_OR_RETURN(auto aspects, AspectExtractor::Create(models_dir));
  ASSIGN_OR_RETURN(auto urgency, UrgencyAssessor::CreateWithParams(models_dir, config.urgency));
  return std::make_unique<AnalyzerImpl>(
      std::move(lid), std::move(sentiment), std::move(aspects),
      std::move(urgency), std::move(clause_models), std::move(router),
      std::move(aspect_detector), std::move(aspect_signs), std::move(label_arbiter),
      absl::StrFormat("%s-%08x", kVersionPrefix, static_cast<uint32_t>(h)),
      config);
}

}  // namespace opinia::nlp
