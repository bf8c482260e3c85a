#include "nlp/urgency.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlp/lexicon_file.h"
#include "util/status_macros.h"

namespace opinia::nlp {
namespace {

// Lexicon reasons are matcher labels 0..3, in output order.
constexpr std::array<std::string_view, 4> kLexiconReasons = {
    "LEGAL_THREAT", "HEALTH_SAFETY", "FRAUD_CLAIM", "CHURN_INTENT"};
constexpr int kLegal = 0, kHealth = 1, kFraud = 2, kChurn = 3;
// Construction cues (matcher labels 4..), combined in Assess; see urgency.h.
constexpr std::array<std::string_view, 54> kCues = {
    "ESCALATION", "FRAUD_IDIOM", "NOBODY",    "ANSWER",    "NO_REPLY",
    "REPEAT",     "DISTRESS",    "PAID",      "GONE",      "APPLIANCE",
    "HAZARD",     "DAMAGE",      "LETDOWN",   "NOW",       "DEMAND",
    "TOPIC",      "ANSWERS",     "ALLERGY",   "SEVERE",    "CHILD",
    "OCCASION",   "SOON",        "RESOLVED",  "CHARGE",    "TIMES",
    "CANCELLED",  "BILL",        "NOT_ME",    "ACCOUNT",   "BANG",
    "INJURY",     "TREATMENT",   "DEPENDENT", "LEGAL_ACT", "EXPECTED",
    "NOT_URGENT", "PRESALE",     "PAPERWORK", "HEAT",      "SAFE_ACT",
    "NEAR_MISS",  "EXPOSED",     "CHILD_GEAR", "THREAT_IF", "BANK",
    "LEAK",       "FINE_NOW",    "UNHURT",     "MOULD",     "FIRE_CREW",
    "REVERSAL",   "IF",          "SWALLOWED",  "SMALL_PART"};
constexpr int kEscalation = 4, kFraudIdiom = 5, kNobody = 6, kAnswer = 7,
              kNoReply = 8, kRepeat = 9, kDistress = 10, kPaid = 11, kGone = 12,
              kAppliance = 13, kHazard = 14, kDamage = 15, kLetdown = 16,
              kNow = 17, kDemand = 18, kTopic = 19, kAnswers = 20,
              kAllergy = 21, kSevere = 22, kChild = 23, kOccasion = 24,
              kSoon = 25, kResolved = 26, kCharge = 27, kTimes = 28,
              kCancelled = 29, kBill = 30, kNotMe = 31, kAccount = 32,
              kBang = 33, kInjury = 34, kTreatment = 35, kDependent = 36,
              kLegalAct = 37, kExpected = 38, kNotUrgent = 39,
              kPresale = 40, kPaperwork = 41, kHeat = 42, kSafeAct = 43,
              kNearMiss = 44, kExposed = 45, kChildGear = 46, kThreatIf = 47,
              kBank = 48, kLeak = 49, kFineNow = 50, kUnhurt = 51,
              kMould = 52, kFireCrew = 53, kReversal = 54, kIf = 55,
              kSwallowed = 56, kSmallPart = 57, kLabels = 58;
static_assert(kEscalation == kLexiconReasons.size() &&
                  kLabels == kEscalation + static_cast<int>(kCues.size()),
              "the label constants follow kLexiconReasons and kCues");
// Whether a negation before a phrase of `label` cancels it. It does not
// for the cues that are read with their negation ("nikt nie odpowiada" is
// the complaint itself; a repeated "drei E-Mails" is not negated).
bool NegationApplies(int label) {
  return label != kNobody && label != kAnswer && label != kNoReply &&
         label != kRepeat && label != kAppliance && label != kTopic &&
         label != kDemand && label != kAnswers && label != kSevere &&
         label != kChild && label != kOccasion && label != kSoon &&
         label != kTimes && label != kCancelled && label != kBill &&
         label != kNotMe && label != kAccount && label != kTreatment &&
         label != kDependent && label != kPaperwork &&
         label != kChildGear && label != kThreatIf && label != kBank &&
         label != kIf && label != kSmallPart;
}

constexpr float kStrongNegativeScore = -0.6f;
constexpr float kClearScore = 0.5f;
constexpr float kNegativeScore = -0.3f;
constexpr float kConfident = 0.5f;
constexpr float kUnlabelledThreshold = 0.25f;

SentimentLabel LabelOf(const Sentiment& s) {
  if (s.label != SentimentLabel::kUnspecified) return s.label;
  if (s.score <= -kUnlabelledThreshold) return SentimentLabel::kNegative;
  if (s.score >= kUnlabelledThreshold) return SentimentLabel::kPositive;
  return SentimentLabel::kNeutral;
}

bool IsNegatorSuffix(const std::string& w) {
  return absl::EndsWith(w, "n't") || absl::EndsWith(w, "n\u2019t");
}

// The first plain token of a single word, for the word sets.
std::string PlainWord(const std::string& word) {
  TokenizedText t = Tokenize(word);
  return t.tokens.empty() ? word : t.tokens[0].plain;
}

// Ninth pass: the cues of a hazard told with a safety act, a near miss or
// someone exposed to it, read in a clearly positive text too (the model
// may read "ha fatto una fiammata ... l'ho staccata subito" as praise);
// they count there only with a safety act or a near miss.
bool IsHazardCue(int label) {
  return label == kBang || label == kHazard || label == kHeat ||
         label == kAppliance || label == kSafeAct || label == kNearMiss ||
         label == kExposed;
}

// Whether the sentence of tokens [begin, end) is a question ('?' in it).
bool Asks(std::string_view text, const TokenizedText& t, int begin, int end) {
  if (begin >= end) return false;
  const size_t from = t.tokens[begin].span.begin;
  const size_t to = end < static_cast<int>(t.tokens.size())
                        ? t.tokens[end].span.begin
                        : text.size();
  return text.substr(from, to - from).find('?') != std::string_view::npos;
}

// Fourteenth pass: whether words [from, to) lie in one clause close behind
// a conditional that ends at `from` ("si personne ne répond", "if nobody
// is in"): at most kIfWindow words between, no punctuation or emoji.
constexpr int kIfWindow = 4;
bool InClauseAfter(const TokenizedText& t, int from, int to) {
  if (from < 0 || to < from || to - from > kIfWindow) return false;
  for (int k = from; k < to; ++k) {
    if (t.tokens[k].kind != TokenKind::kWord) return false;
  }
  return true;
}

bool IsSilenceCue(int label) {
  return label == kNobody || label == kAnswer || label == kAnswers ||
         label == kNoReply;
}

}  // namespace

absl::StatusOr<std::unique_ptr<UrgencyAssessor>> UrgencyAssessor::Create(
    const std::string& models_dir) {
  return CreateWithParams(models_dir, UrgencyParams{});
}

absl::StatusOr<std::unique_ptr<UrgencyAssessor>>
UrgencyAssessor::CreateWithParams(const std::string& models_dir,
                                  const UrgencyParams& params) {
  const std::string path = absl::StrCat(models_dir, "/urgency.tsv");
  ASSIGN_OR_RETURN(std::vector<LexiconLine> lines, ReadLexiconFile(path));
  auto u = std::unique_ptr<UrgencyAssessor>(new UrgencyAssessor());
  u->params_ = params;
  TermMatcher::Builder builder;
  for (const LexiconLine& l : lines) {
    auto where = [&] { return absl::StrCat(path, ":", l.line, ": "); };
    if (l.label == "NEGATION" || l.label == "NEGATION_NEAR") {
      u->negators_[PlainWord(l.phrase)] =
          l.label == "NEGATION" ? kNegationWindow : kNearNegationWindow;
      continue;
    }
    if (l.label == "SCOPE_END") {
      u->scope_ends_.insert(PlainWord(l.phrase));
      continue;
    }
    if (l.label == "JOKE") {
      u->jokes_.insert(PlainWord(l.phrase));
      continue;
    }
    if (l.label == "HIGH_REACH") {
      u->high_reach_.insert(absl::AsciiStrToLower(l.phrase));
      continue;
    }
    int label = l.label == "-" ? TermMatcher::kStop : -2;
    for (int r = 0; r < static_cast<int>(kLexiconReasons.size()); ++r) {
      if (l.label == kLexiconReasons[r]) label = r;
    }
    for (int c = 0; c < static_cast<int>(kCues.size()); ++c) {
      if (l.label == kCues[c]) label = kEscalation + c;
    }
    if (label == -2) {
      return absl::InvalidArgumentError(
          absl::StrCat(where(), "unknown label \"", l.label, "\""));
    }
    if (absl::Status s = builder.Add(l.language, l.phrase, label); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where(), s.message()));
    }
  }
  u->matcher_ = std::move(builder).Build();
  return u;
}

bool UrgencyAssessor::Jokes(const TokenizedText& t, int begin, int end) const {
  for (int k = begin; k < end; ++k) {
    const std::string& p = t.tokens[k].plain;
    if (jokes_.contains(p) || p.rfind("haha", 0) == 0 || p.rfind("hehe", 0) == 0) {
      return true;
    }
  }
  return false;
}

bool UrgencyAssessor::Negated(const TokenizedText& t, int sentence_begin,
                              int first) const {
  int words = 0;
  for (int k = first - 1; k >= sentence_begin; --k) {
    const Token& tok = t.tokens[k];
    if (tok.kind != TokenKind::kWord && tok.kind != TokenKind::kNumber) {
      return false;  // punctuation or emoji ends the clause
    }
    if (IsNegatorSuffix(tok.plain)) return words <= kNegationWindow;
    if (auto it = negators_.find(tok.plain); it != negators_.end()) {
      return words <= it->second;
    }
    if (scope_ends_.contains(tok.plain) || ++words > kNegationWindow) {
      return false;
    }
  }
  return false;
}

Urgency UrgencyAssessor::Assess(std::string_view text, const TokenizedText& t,
                                std::string_view language,
                                const Sentiment& overall,
                                const AnalyzeOptions& options,
                                SentimentLabel clause_level) const {
  Urgency u;
  const SentimentLabel label = LabelOf(overall);
  const bool negative = label == SentimentLabel::kNegative;
  const bool confident = overall.confidence >= kConfident;
  const bool clearly_negative =
      negative && overall.score <= -kClearScore && confident;
  const bool clearly_positive = label == SentimentLabel::kPositive &&
                                overall.score >= kClearScore && confident;

  // Rating position on its scale: 0 = worst, 1 = best.
  const int scale = options.rating_scale > 0 ? options.rating_scale : 5;
  const bool rated = options.rating > 0 && scale > 1;
  const float pos =
      rated ? std::clamp(static_cast<float>(options.rating - 1) / (scale - 1),
                         0.0f, 1.0f)
            : 0.5f;
  const bool low_rating = rated && pos <= 0.25f;
  const bool high_rating = rated && pos >= 0.75f;
  const bool lowest_rating = rated && options.rating <= 1;

  // found[label]: a phrase of that label (not negated where negation
  // applies) somewhere in the text.
  std::array<bool, kLabels> found{};
  bool no_contact = false;  // "nikt nie odpowiada", "they don't answer"
  bool appliance_hazard = false;  // "the charger melted", in one sentence
  bool demand_now = false;  // "I need it refunded today", in one sentence
  bool unanswered_topic = false;  // "nobody answers my emails about the return"
  bool occasion_soon = false;  // "the wedding is tomorrow", in one sentence
  bool overcharged = false;  // "abgebucht ... dreimal", in one sentence
  bool not_mine = false;  // "an order I never placed", in one sentence
  bool blew_up = false;  // "something popped, smoke came out", in one sentence
  // Eighteenth pass: a small part in a mouth or swallowed ("Knopfzelle im
  // Mund", "swallowed one of the magnets"), in one sentence.
  bool part_swallowed = false;
  // Eighteenth pass: a sentence that asks for an answer, anywhere, and one
  // that counts contact about an order ("zum vierten Mal ... Bestellung").
  bool asks_with_answer = false;
  bool repeat_topic = false;
  // Ninth pass: a question for an answer ("Can anyone tell me ...?",
  // "bekomme ich irgendwann eine Antwort?"), in one sentence that asks.
  bool asks_for_answer = false;  // "anyone" in a question
  bool asks_for_reply = false;    // a reply about an order, in a question
  // Ninth pass: a conditional or announced step to the customer's bank
  // ("Sonst gehe ich über meine Bank", "or I'll go to my bank").
  bool bank_threat = false;
  // Ninth pass: a fraud word outside a question ("Is this one of those
  // copycat scam sites?", "Can I report a fake listing?" ask or report;
  // they claim nothing about the customer's money).
  bool fraud_claimed = false;
  std::vector<Span> fraud_spans;  // the evidence of FRAUD_CLAIM phrases
  // In a clearly positive text the lexicon's words are hypothetical or
  // praise; only a demand for action now is read there ("superbe ... mais
  // le frein a lâché ... je veux être contacté aujourd'hui").
  const bool quiet = clearly_positive && !low_rating;
  // Evidence of the cues that make a reason only together with another
  // (a reaction, an account not the customer's, a bang, an injury), added
  // once the construction counts; at most 4 spans per cue.
  std::array<std::vector<Span>, kLabels> cue_evidence;
  {
    const uint32_t languages = matcher_->LanguageMask(language);
    auto scan = [&](int begin, int end) {
      std::array<bool, kLabels> here{};
      // Evidence of this sentence, kept until its EXPECTED cue is known
      // (one buffer per thread: Assess runs for every review).
      thread_local std::vector<std::pair<int, Span>> hits;
      hits.clear();
      bool denied_answer = false;
      bool denied_answers = false;  // a present-tense answer verb, negated
      // Fourteenth pass: silence supposed after a conditional ("Si
      // personne ne répond, vous pouvez laisser le colis à la pharmacie")
      // is a delivery instruction, not a customer left unanswered.
      int if_end = -1;
      bool supposed = false;
      // Eighteenth pass: a HEALTH_SAFETY phrase (a glass splinter, a
      // hospital) seen, even where a clearly positive text drops it.
      bool health_seen = false;
      matcher_->Scan(
          t, begin, end, languages, [&](const TermMatcher::Match& m) {
            if (m.label == kIf) if_end = m.end_token;
            if (IsSilenceCue(m.label) && InClauseAfter(t, if_end, m.first_token)) {
              supposed = true;
            }
            const bool negated = Negated(t, begin, m.first_token);
            if ((m.label == kAnswer || m.label == kAnswers) && negated) {
              denied_answer = true;
              denied_answers = denied_answers || m.label == kAnswers;
            }
            if (negated && NegationApplies(m.label)) return;
            if (m.label == kHealth && !Jokes(t, begin, end)) health_seen = true;
            // Seventh pass: nor are a police report filed and an
            // account that is not the customer's, told in passing in a
            // sarcastic review ("Love the service. Police report filed.").
            // Ninth pass: nor is a hazard told with a safety act or a
            // near miss (checked once the text is read: "La friggitrice
            // ha fatto una fiammata ... l'ho staccata subito").
            if (quiet && m.label != kNow && m.label != kDemand &&
                m.label != kEscalation && m.label != kLegalAct &&
                m.label != kNotMe && m.label != kAccount &&
                m.label != kCharge && m.label != kPaid && m.label != kTopic &&
                !IsHazardCue(m.label) &&
                !(params_.swallowed_part &&
                  (m.label == kSwallowed || m.label == kSmallPart ||
                   m.label == kTreatment || m.label == kChild))) {
              return;
            }
            // "Meine Frau droht mit dem Anwalt 😂": a joke threatens nobody.
            // "za taką cenę powinni mnie pozwać za kradzież 😂": nor
            // accuses anybody.
            // Eighth pass: nor does "Haha ... nearly sent me to hospital"
            // report a hazard.
            if ((m.label == kLegal || m.label == kLegalAct ||
                 m.label == kFraud || m.label == kHealth ||
                 m.label == kLeak) &&
                Jokes(t, begin, end)) {
              return;
            }
            here[m.label] = true;
            const Span span = {t.tokens[m.first_token].span.begin,
                               t.tokens[m.end_token - 1].span.end};
            hits.emplace_back(m.label, span);
          });
      // Eighth pass: smoke or a smell the customer tells as expected
      // ("dymił przy pierwszym użyciu, w instrukcji piszą, że tak ma
      // być", "steht so in der Anleitung", "il libretto dice che è
      // normale") is no hazard in that sentence.
      if (here[kExpected]) here[kHealth] = here[kHazard] = here[kBang] = false;
      // A supposition made a condition of the customer's own step ("I will
      // call my bank if nobody gets back to me") still tells of silence.
      if (supposed && !here[kBank] && !here[kThreatIf] && !here[kLegal] &&
          !here[kLegalAct] && !here[kEscalation]) {
        here[kNobody] = here[kAnswer] = here[kAnswers] = here[kNoReply] = false;
        denied_answer = denied_answers = false;
      }
      for (const auto& [hit_label, span] : hits) {
        if (!here[hit_label]) continue;
        if (hit_label <= kEscalation &&
            static_cast<int>(u.evidence.size()) < kMaxEvidence) {
          u.evidence.push_back(span);
          if (hit_label == kFraud) fraud_spans.push_back(span);
        }
        if ((hit_label == kAllergy || hit_label == kNotMe ||
             hit_label == kBang || hit_label == kInjury ||
             hit_label == kLegalAct || hit_label == kLeak ||
             hit_label == kMould || hit_label == kFireCrew ||
             hit_label == kSwallowed || hit_label == kSmallPart) &&
            cue_evidence[hit_label].size() < 4) {
          cue_evidence[hit_label].push_back(span);
        }
      }
      for (int l = 0; l < kLabels; ++l) found[l] = found[l] || here[l];
      const bool silent =
          here[kNoReply] || denied_answer ||
          (here[kNobody] && (here[kAnswer] || here[kAnswers]));
      // Told as a present fact: a present-tense answer verb ("nobody
      // answers", "nikt nie odpowiada"), not a past one or a noun
      // ("kurier nie odbierał", "keine Antwort auf meine Reklamation").
      const bool silent_now =
          denied_answers || (here[kNobody] && here[kAnswers]);
      no_contact = no_contact || silent;
      unanswered_topic = unanswered_topic || (silent_now && here[kTopic]);
      demand_now = demand_now || (here[kNow] && here[kDemand]);
      appliance_hazard = appliance_hazard || (here[kAppliance] && here[kHazard]);
      occasion_soon =
          occasion_soon || (here[kOccasion] && (here[kSoon] || here[kNow]));
      overcharged =
          overcharged || ((here[kCharge] || here[kPaid]) &&
                          (here[kTimes] || here[kCancelled]));
      not_mine = not_mine ||
                 (here[kNotMe] && (here[kAccount] || here[kCharge] ||
                                   here[kPaid] || here[kTopic]));
      blew_up = blew_up || (here[kBang] && (here[kHazard] || here[kAppliance]));
      part_swallowed = part_swallowed ||
                       ((here[kSmallPart] || health_seen) && here[kSwallowed]);
      if ((here[kAnswer] || here[kAnswers]) && Asks(text, t, begin, end)) {
        asks_with_answer = true;  // "Bekomme ich irgendwann eine Antwort?"
      }
      repeat_topic = repeat_topic || (here[kRepeat] && here[kTopic]);
      const bool question = Asks(text, t, begin, end);
      fraud_claimed = fraud_claimed || (here[kFraud] && !question);
      if (question) {
        asks_for_answer = asks_for_answer || here[kNobody];
        asks_for_reply =
            asks_for_reply || ((here[kAnswer] || here[kAnswers]) && here[kTopic]);
      }
      bank_threat = bank_threat || (here[kThreatIf] && here[kBank]);
      // Fourteenth pass: a reversed payment is the customer's escalation
      // when their bank is in its sentence ("Ich habe bei meiner Bank eine
      // Rückbuchung beantragt", "ho chiesto lo storno alla banca"); told
      // alone it is the shop's refund ("die Rückbuchung hat drei Wochen
      // gedauert", "nur durch die Rückbuchung gemerkt").
      bank_threat = bank_threat || (here[kReversal] && here[kBank]);
    };
    if (t.sentences.empty()) {
      scan(0, static_cast<int>(t.tokens.size()));
    } else {
      for (const Sentence& s : t.sentences) scan(s.first_token, s.end_token);
    }
  }
  // Ninth pass: in a clearly positive text a hazard counts only when the
  // customer acted for safety or tells a near miss.
  if (quiet && !found[kSafeAct] && !found[kNearMiss]) {
    found[kBang] = found[kHazard] = found[kHeat] = false;
    appliance_hazard = blew_up = false;
  }
  // Tenth pass: nor when the customer says it has been fine since ("it
  // tripped the fuse once ... it's been fine all week. Just mentioning
  // it", "seitdem läuft er problemlos"), unless they acted for safety, tell
  // a near miss, or it burned or got too hot.
  if (found[kFineNow] && !found[kSafeAct] && !found[kNearMiss] && !found[kHeat]) {
    found[kBang] = found[kHazard] = false;
    appliance_hazard = blew_up = false;
  }
  // Constructions (issue 17, fifth pass):
  // - an escalation (chargeback, buyer-protection claim, a cancelled
  //   account) is churn that acts: CHURN_INTENT, P2; a plain churn phrase
  //   ("Never again") stays a reason without raising the priority;
  // - a rip-off idiom ("Total rip-off", "Abzocke") is about value; it is a
  //   fraud claim only with money paid and the order or shop gone, and so is
  //   paid + gone + nobody answering;
  // - an appliance with a melting or smoke word in one sentence is a hazard;
  // - repeated contact nobody answers needs a fast answer although no
  //   reason code fits (P2) when the message asks ("Third time asking - is
  //   anyone reading?"); told in a review ("nobody answered for two weeks,
  //   but ...", "five emails, zero answers") it is a complaint;
  // - strong personal distress ("devastated", "załamana") in a negative
  //   text is STRONG_NEGATIVE, and so is a damaged or incomplete order from
  //   a "very disappointed" customer.
  // Sixth pass: an escalation told as settled ("I opened a PayPal claim
  // and got my money back", "erst nachdem ich mit dem Käuferschutz gedroht
  // hatte, wurde das Geld erstattet") is churn told, not a customer still
  // waiting: CHURN_INTENT without P2.
  // Ninth pass: a step to the bank announced or made a condition ("Sonst
  // gehe ich über meine Bank", "or I will go to my bank") is an escalation.
  if (bank_threat) found[kEscalation] = true;
  if (found[kEscalation]) found[kChurn] = true;
  const bool escalated = found[kEscalation] && !found[kResolved];
  // Money paid and the order gone, told as a scam; or (sixth pass) goods
  // that never came and a seller nobody can reach ("item never arrived and
  // seller wont reply", "Vendeur injoignable, colis jamais reçu"), paid or
  // not said: an order is paid for.
  const bool money_gone = found[kPaid] && found[kGone];
  if ((money_gone && found[kFraudIdiom]) || (found[kGone] && no_contact)) found[kFraud] = true;
  const auto add_evidence = [&](int cue) {
    for (const Span& span : cue_evidence[cue]) {
      if (static_cast<int>(u.evidence.size()) < kMaxEvidence) {
        u.evidence.push_back(span);
      }
    }
  };
  // Ninth pass: a fraud word only asked about, with no money paid or
  // taken, no goods gone and no account misused, is a question.
  if (found[kFraud] && !fraud_claimed && !found[kPaid] && !found[kCharge] &&
      !found[kGone] && !found[kNotMe]) {
    found[kFraud] = false;
    u.evidence.erase(
        std::remove_if(u.evidence.begin(), u.evidence.end(),
                       [&](const Span& e) {
                         return std::find(fraud_spans.begin(),
                                          fraud_spans.end(),
                                          e) != fraud_spans.end();
                       }),
        u.evidence.end());
  }
  // A data leak is a fraud claim, asked about or told ("Gab es bei euch
  // ein Datenleck?").
  if (found[kLeak]) {
    found[kFraud] = true;
    add_evidence(kLeak);
  }
  if (appliance_hazard) found[kHealth] = true;
  // Fourteenth pass: mould on goods (bread, bulbs, a shower curtain, a
  // bath toy) is a defect; it is a hazard when somebody fell ill or was
  // treated ("schimmliges Brot, danach Erbrechen, Notaufnahme"). The fire
  // brigade is one with a fire: an appliance, smoke, heat or a bang told
  // (not a youth fire brigade's order or a toy fire station).
  if (found[kMould] && (found[kSevere] || found[kTreatment] || found[kInjury])) {
    found[kHealth] = true;
    add_evidence(kMould);
  }
  if (found[kFireCrew] && (found[kAppliance] || found[kHazard] ||
                           found[kHeat] || found[kBang])) {
    found[kHealth] = true;
    add_evidence(kFireCrew);
  }
  if (found[kLegalAct]) {
    found[kLegal] = true;
    add_evidence(kLegalAct);
  }
  // Seventh pass: a failure told plainly ("something popped, smoke came
  // out", "coś strzeliło w nagrzewnicy") is a hazard; an injury that
  // needed treatment ("cut open, stitched at A&E") is a hazard however
  // calmly it is told; an order, a charge or a subscription the customer
  // says is not theirs ("an order I never placed", "jemand hat über mein
  // Konto bestellt") is account fraud.
  // (A bang and smoke or blown fuses told in two sentences of a text
  // about an appliance, "Nagrzewnica po tygodniu. Coś pyknęło. Poszedł
  // dym.", count too; fireworks that bang and smoke do not.)
  if (blew_up || (found[kBang] && found[kHazard] && found[kAppliance])) {
    found[kHealth] = true;
    add_evidence(kBang);
  }
  // Eighth pass: an appliance that smells of burning or is too hot to
  // touch is a hazard when the customer acted for safety (unplugged it,
  // stopped using it, asks about a recall); told as a fault ("das Netzteil
  // wird so heiß, dass man es nicht anfassen kann") it is a complaint.
  // Ninth pass: so is one that overheated, melted, flared up or "could
  // have caught fire" with somebody exposed to it (children beside it, a
  // father asleep on an electric blanket; not a laptop merely bought for a
  // daughter) or a near miss told ("das hätte
  // brennen können", "strach pomyśleć, co by było w nocy").
  const bool someone_exposed = found[kExposed];
  if (found[kAppliance] && (found[kHeat] || found[kHazard] || found[kBang]) &&
      (found[kSafeAct] || found[kNearMiss] || someone_exposed)) {
    found[kHealth] = true;
  }
  if (found[kInjury] && found[kTreatment]) {
    found[kHealth] = true;
    add_evidence(kInjury);
  }
  // Eighteenth pass: a small part (a magnet, a button cell, a glass
  // splinter) swallowed or in a mouth, with a child or treatment told
  // ("Unser Sohn hatte eine Knopfzelle im Mund ... Kinderklinik", "Im Glas
  // mit dem Babybrei war ein Glassplitter, meine Tochter hat ihn
  // ausgespuckt"), or anything swallowed that needed treatment ("swallowed
  // ... the x-ray shows it"), is a hazard, also in a text the model reads
  // as positive; a warning that parts can be swallowed is a stop phrase,
  // and a question before buying is no incident.
  if (params_.swallowed_part && !found[kPresale] &&
      ((part_swallowed && (found[kChild] || found[kTreatment])) ||
       (found[kSwallowed] && found[kTreatment] && !quiet))) {
    found[kHealth] = true;
    add_evidence(kSwallowed);
    add_evidence(kSmallPart);
  }
  if (not_mine) {
    found[kFraud] = true;
    add_evidence(kNotMe);
  }
  // An allergic reaction with swelling or breathing trouble or in a child
  // (or with a hospital, HEALTH_SAFETY by itself) is a hazard; "uczulił, twarz czerwona przez
  // dwa dni" is a complaint.
  // Eighth pass: or one that needed treatment ("had a reaction, we spent
  // the night in A&E"); not a condition asked about before buying ("Syn
  // ma alergię, dlatego pytam").
  // Tenth pass: a child the customer says is fine ("She didn't eat any
  // and she's absolutely fine", "nic jej nie jest") makes no hazard of an
  // allergy by itself; swelling or treatment still does.
  if (found[kAllergy] && !found[kPresale] &&
      (found[kSevere] || (found[kChild] && !found[kUnhurt]) || found[kTreatment])) {
    found[kHealth] = true;
    add_evidence(kAllergy);
  }
  // Ninth pass: swelling or breathing trouble in a child that needed
  // treatment ("her lips swelled up, we used her EpiPen ... A&E") is a
  // reaction without the word.
  if (found[kSevere] && found[kTreatment] && found[kChild] &&
      !found[kPresale]) {
    found[kHealth] = true;
  }
  // Ninth pass: a child's safety product (a car seat, a stair gate, a cot)
  // that failed with the child in it, told with an injury or a safety act
  // ("the buckle came undone with my son in it ... Has it been
  // recalled?"), in a complaining text.
  if (found[kChildGear] && (found[kChild] || found[kExposed]) &&
      (found[kInjury] || found[kSafeAct] ||
       (params_.child_gear_near_miss && found[kNearMiss])) &&
      !found[kPresale] &&
      (label == SentimentLabel::kNegative || label == SentimentLabel::kMixed)) {
    found[kHealth] = true;
    add_evidence(kInjury);
  }
  // The message itself asks ("Why has nobody answered my three emails?"):
  // a customer still waiting, not a review telling of past silence
  // ("Thanks for nothing, three emails without an answer" is a complaint).
  const bool asks = text.find('?') != std::string_view::npos;
  // Nobody answering about an order, a return, a refund or money, told as
  // a present fact by a negative text with "nobody" or repeated contact
  // ("nobody answers my emails about the return", "od 12 dni nikt nie
  // odpowiada na moje zgłoszenie reklamacyjne") in a text that is not
  // positive is a customer still waiting, question or not; silence about an invoice correction or
  // without a topic ("Thanks for nothing, still waiting on a reply") is a
  // complaint.
  // Eighth pass: contact counted in a message that asks ("ho scritto tre
  // volte ... cosa devo fare?", "trois fois que je demande ... quand ?")
  // is repeated as much as "third time" (TIMES also holds "instead of",
  // so only there); silence about an
  // invoice or a receipt alone, with the goods there and whole, is a
  // complaint ("Trzeci mail bez odpowiedzi" about a missing invoice); a
  // customer who says it is not urgent ("Nic pilnego", "no rush") is not
  // waiting urgently.
  const bool repeated = found[kRepeat] || found[kTimes];
  const bool paperwork_only =
      found[kPaperwork] && !found[kGone] && !found[kDamage];
  // Tenth pass: nor is one who says it is fine now ("alles wieder gut").
  const bool calm = found[kNotUrgent] || found[kFineNow];
  // Ninth pass: or a question to anyone after repeated contact, about an
  // order, a return or money ("This is my fourth message in ten days. Can
  // anyone tell me whether my order was sent?"), or a question for a reply
  // about one after contact counted ("Ich habe dreimal angerufen – bekomme
  // ich irgendwann eine Antwort zu meiner Reklamation?"; not "Could you
  // send a replacement or should I return the set?").
  const bool unanswered =
      !calm &&
      ((((no_contact && asks) || (asks_for_answer && found[kTopic])) &&
        repeated && !paperwork_only && label != SentimentLabel::kPositive) ||
       (asks_for_reply && found[kTimes] && !paperwork_only &&
        label != SentimentLabel::kPositive) ||
       (params_.asked_answer_after_repeat && asks_with_answer &&
        repeat_topic && !paperwork_only && negative &&
        clause_level != SentimentLabel::kPositive) ||
       (unanswered_topic && (found[kNobody] || found[kRepeat]) &&
        label != SentimentLabel::kPositive &&
        clause_level != SentimentLabel::kPositive));
  // A demand for action now ("I need one of these refunded today",
  // "Ich erwarte heute noch einen Anruf", "Chiedo di essere ricontattata
  // oggi stesso") in a text or clauses that complain: the customer says
  // it is urgent, when the clause level complains, or the text does and
  // asks nothing: a pre-sale "Dringende Frage: passt das ...? Bitte heute
  // antworten" (which the model may read as negative) is not.
  const auto complains = [](SentimentLabel l) {
    return l == SentimentLabel::kNegative || l == SentimentLabel::kMixed;
  };
  // Eighth pass: nor is a question before buying ("Pilnie potrzebuję na
  // sobotę, czy jeśli zamówię dziś ...? Pytam przed zakupem").
  const bool pressing =
      demand_now && !calm && !found[kPresale] &&
      (complains(clause_level) || (complains(label) && !asks));
  // The clauses must agree that the text is negative (issue 17: a positive
  // or neutral clause-level reading never cries wolf).
  const bool clauses_agree = clause_level == SentimentLabel::kUnspecified ||
                             clause_level == SentimentLabel::kNegative;
  // Strong negative clause evidence stands for a weak model score: a long
  // complaint told with the model's positive words ("birthday present")
  // still counts when its clauses are clearly negative.
  // Sixth pass: an order damaged or gone when it is needed for an
  // occasion that is days or hours away ("the cake arrived smashed, the
  // party is TOMORROW"), or with nobody answering ("Impreza jutro, goście
  // zaproszeni, nikt nie odbiera telefonu"), is distress without a
  // distress word.
  const bool ruined_for_a_date =
      occasion_soon && !calm && !found[kPresale] &&
      (found[kDamage] || found[kGone] || no_contact);
  // Seventh pass: money taken several times or for a cancelled order, not
  // given back, with a bill due ("dreimal abgebucht, die Miete ist
  // fällig") or with nobody answering and a demand for action now (a
  // double charge told as a story, "three weeks later, nothing", is a
  // complaint); a dependent or
  // disabled relative left without a needed device, after repeated
  // contact or with a demand ("the care bed is broken, five days of
  // calls").
  const bool money_held = overcharged && !found[kResolved] &&
                          (found[kBill] || (no_contact && demand_now));
  // Ninth pass: DEPENDENT also holds what a dependent person cannot do
  // without (insulin, an inhaler, incontinence pads, baby formula); such a
  // need asked for with a date or after repeated contact ("Syn wyjeżdża
  // pojutrze ... Błagam o szybką wymianę") is pressing without a damage
  // word.
  const bool dependent_left =
      found[kDependent] && !calm && !found[kPresale] &&
      (((found[kDamage] || found[kGone] || no_contact) &&
        (found[kRepeat] || demand_now ||
         (no_contact && (found[kDamage] || found[kGone])))) ||
       (found[kDemand] && (found[kSoon] || found[kNow] || repeated)));
  // (The clause level is not asked about money held: "pobraliście 900 zł
  // zamiast 90" reads as a contrast.)
  // Ninth pass: a dependent left without help counts when the text or
  // its clauses complain (the model reads "Mi madre tiene 89 años ... no
  // puede salir de casa sin ella. Por favor, llámenme" as positive, the
  // clauses read "Torba chłodząca na insulinę ... Błagam o szybką wymianę"
  // as positive), or, whatever the reading, with a demand for action now
  // after repeated contact; never in a clearly positive text.
  const bool harmed =
      (complains(label) && money_held) ||
      (dependent_left && !quiet &&
       (complains(label) || complains(clause_level) ||
        (demand_now && repeated)));
  const bool distress =
      negative &&
      ((clause_level != SentimentLabel::kPositive &&
        (found[kDistress] || (found[kDamage] && found[kLetdown]) || pressing ||
         ruined_for_a_date)) ||
       harmed);
  const bool strong_negative =
      (negative && clauses_agree &&
       ((overall.score <= kStrongNegativeScore && confident) || lowest_rating ||
        clause_level == SentimentLabel::kNegative)) ||
      distress;
  const bool mismatch =
      (high_rating && clearly_negative) || (low_rating && clearly_positive);

  for (size_t r = 0; r < kLexiconReasons.size(); ++r) {
    if (found[r]) u.reasons.emplace_back(kLexiconReasons[r]);
  }
  if (strong_negative) u.reasons.emplace_back("STRONG_NEGATIVE");
  if (mismatch) u.reasons.emplace_back("RATING_TEXT_MISMATCH");

  int level;  // 1..4 = P1..P4, 5 = NONE
  if (found[kLegal] || found[kHealth] || found[kFraud]) {
    level = 1;
  } else if (distress || escalated || unanswered || pressing || harmed) {
    level = 2;
  } else if ((negative && overall.score <= kNegativeScore) || low_rating ||
             mismatch) {
    level = 3;
  } else if (negative || label == SentimentLabel::kMixed ||
             (rated && !low_rating && !high_rating &&
              label != SentimentLabel::kPositive)) {
    level = 4;
  } else {
    level = 5;
  }
  if (level < 5 &&
      high_reach_.contains(absl::AsciiStrToLower(options.source))) {
    level = std::max(1, level - 1);
    u.reasons.emplace_back("HIGH_REACH");
  }
  if (!clauses_agree && !found[kLegal] && !found[kHealth] && !found[kFraud] &&
      !escalated && !unanswered && !distress && !pressing && !harmed) {
    level = std::max(level, 3);
  }
  u.priority = static_cast<Priority>(level);
  return u;
}

}  // namespace opinia::nlp
