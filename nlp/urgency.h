// UrgencyAssessor: how soon a shop should answer a review, and why.
//
// Reason codes (Urgency::reasons, always in this order):
//   LEGAL_THREAT, HEALTH_SAFETY, FRAUD_CLAIM, CHURN_INTENT  phrases found in
//       the text with the lexicon models/urgency.tsv (format in
//       lexicon_file.h, phrase syntax in term_matcher.h: stems for
//       inflection, e.g. "oszust*", "pozwe"); their spans are the evidence.
//       A phrase does not count when negated: a negator at most 3 words
//       before it (NEGATION lines: "nie", "not", "kein", and words ending in
//       "n't"), or at most 1 word before it (NEGATION_NEAR lines: German
//       "nicht", which negates the next word, while nouns take "kein"), with
//       nothing in between that ends the negation's scope: punctuation, emoji
//       or a SCOPE_END word — contrast ("ale", "but", "aber") or a verb the
//       negation belongs to ("nie dajcie się oszukać", "don't get scammed").
//       So "to nie jest oszustwo", "not a scam", "kein Betrug" do not count.
//       Nor do they count in a clearly positive text (overall positive,
//       score >= 0.5, confidence >= 0.5) unless the rating is low: there
//       such words are hypothetical or praise ("great for allergy sufferers").
//   STRONG_NEGATIVE  overall NEGATIVE with score <= -0.6 and confidence
//       >= 0.5, or NEGATIVE text with the lowest rating of the scale, or
//       NEGATIVE text whose clause-level outcome is NEGATIVE (see Assess).
//   RATING_TEXT_MISMATCH  a high rating (top quarter of the scale: 4-5 of 5)
//       with clearly negative text (NEGATIVE, score <= -0.5, confidence >=
//       0.5), or a low rating (bottom quarter: 1-2 of 5) with clearly positive
//       text. `overall` should be the text's own sentiment: if the caller
//       fused the rating into it, mismatches are harder to see.
//   HIGH_REACH  options.source is a public platform with a large audience
//       (HIGH_REACH lines: google, facebook, trustpilot, allegro, ceneo, ...).
//
// Constructions (issue 17, fifth pass; cue labels in urgency.tsv):
//   - CHURN_INTENT phrases ("Never again", "Nie wieder") are listed as a
//     reason but raise nothing; an ESCALATION phrase (chargeback, PayPal or
//     bank dispute, buyer protection, a cancelled account) is CHURN_INTENT
//     with P2: churn only counts as urgent when the customer acts.
//   - FRAUD_IDIOM ("rip-off", "Abzocke", "timo", "arnaque", "fregatura") is
//     about value, not a fraud claim; FRAUD_CLAIM comes from it only with
//     PAID and GONE ("paid, nothing arrived"), and PAID + GONE + nobody
//     answering is a FRAUD_CLAIM without any fraud word.
//   - HEALTH_SAFETY also from an APPLIANCE and a HAZARD word (melting,
//     smoke) in one sentence ("the kettle melted"); a lid melting in the
//     oven or a burnt smell alone is no hazard.
//   - Nobody answering (NOBODY and ANSWER in one sentence, a negated ANSWER
//     or a NO_REPLY phrase) after repeated contact (REPEAT: "third time",
//     "three emails", weeks) in a message that asks ('?') is P2 without a
//     reason code; told in a review without a question it is not.
//   - STRONG_NEGATIVE also for a NEGATIVE text (clause level not POSITIVE)
//     with DISTRESS ("devastated", "załamana", "verzweifelt") or with DAMAGE
//     and LETDOWN ("arrived broken and incomplete, very disappointed").
// Second round of the fifth pass:
//   - Nobody answering told as a present fact: NOBODY with a present-tense
//     ANSWERS verb, or a negated ANSWERS verb, and a TOPIC (order, return,
//     refund, money, complaint) in one sentence, with NOBODY or REPEAT
//     (now also spans of days) in the text, in a text and clauses that are
//     not POSITIVE: P2 without a reason code, question or not ("nobody
//     answers my emails about the return"). Past tense, a noun ("keine
//     Antwort") or no topic stays a complaint.
//   - A demand for action now: NOW ("today", "sofort", "natychmiast") and
//     DEMAND ("I need", "bitte", "proszę", "je veux") in one sentence, when
//     the clause level complains (NEGATIVE or MIXED) or the text does and
//     asks nothing: P2, STRONG_NEGATIVE when the text is NEGATIVE. It is
//     read even in a clearly positive text (the lexicon is not), and so is
//     an ESCALATION.
//   - ALLERGY is HEALTH_SAFETY only with SEVERE (swelling, breathing) or a
//     CHILD in the text; a hospital word is HEALTH_SAFETY by itself.
//   - STRONG_NEGATIVE from the score, the lowest rating or the clause level
//     alone is listed but gives P3: P2 needs one of the constructions.
// Sixth pass (the shop corpus' train part):
//   - GONE (the goods never came: "never arrived", "jamais livré") with
//     nobody answering or reachable ("won't reply", "injoignable",
//     "przestał odpisywać") is a FRAUD_CLAIM without PAID: an order is paid.
//   - OCCASION (wedding, birthday, party, Christmas) with SOON ("tomorrow",
//     "demain", "jutro") or a NOW word in one sentence, and DAMAGE, GONE or
//     nobody answering in the text, is distress (a ruined order needed for
//     a date): P2 and STRONG_NEGATIVE in a NEGATIVE text whose clause
//     level is not POSITIVE.
//   - An ESCALATION told as settled (a RESOLVED phrase, not negated: "got
//     my money back", "wurde das Geld erstattet") is CHURN_INTENT without
//     P2; a cancelled subscription is plain churn, not an escalation.
// Seventh pass (categories the rules missed on a fresh table; cues CHARGE,
// TIMES, CANCELLED, BILL, NOT_ME, ACCOUNT, BANG, INJURY, TREATMENT,
// DEPENDENT, LEGAL_ACT):
//   - Money taken several times, more than due or for a cancelled order
//     (CHARGE or PAID with TIMES or CANCELLED in one sentence: "dreimal
//     abgebucht", "charged for a cancelled order", "900 zł zamiast 90"), not
//     RESOLVED, with a BILL due (rent, bills, an overdraft) or with nobody
//     answering and a demand for action now, in a NEGATIVE or MIXED text:
//     P2, STRONG_NEGATIVE when NEGATIVE (whatever the clause level: "zamiast"
//     reads as a contrast). Told as a story ("three weeks later, nothing")
//     it stays a complaint.
//   - Account fraud: NOT_ME ("never placed", "someone used my account",
//     "sin mi consentimiento", "Yo no he sido") with an ACCOUNT word, CHARGE,
//     PAID or a TOPIC in one sentence is a FRAUD_CLAIM ("I placed the order
//     twice by mistake" says nothing of the kind).
//   - A failure told plainly: BANG (popped, sparks, flames, "strzeliło") with
//     a HAZARD (smoke, fuses) or an APPLIANCE in one sentence, or with a
//     HAZARD anywhere in a text with an APPLIANCE, is HEALTH_SAFETY; smoke and gas detectors are stop phrases; a gas smell
//     or leak is a HEALTH_SAFETY phrase by itself.
//   - An injury told as a fact: INJURY (a cut, a wound, bleeding) with
//     TREATMENT (stitches, A&E, a doctor) anywhere in the text is
//     HEALTH_SAFETY ("seams", "puntos" alone are not).
//   - A DEPENDENT relative (disabled, bedridden; a care bed, a wheelchair)
//     with DAMAGE, GONE or nobody answering, and nobody answering, REPEAT or
//     a demand for action now, in a NEGATIVE or MIXED text whose clause
//     level is not POSITIVE: P2 (STRONG_NEGATIVE when NEGATIVE).
//   - A legal step taken (LEGAL_ACT: a police report filed, "Anzeige ist
//     raus", "porte plainte") is LEGAL_THREAT; unlike a plain LEGAL_THREAT
//     phrase it counts in a clearly positive (sarcastic) text too, and a
//     joke (😂, "haha") still threatens nobody. Going to one's bank is an
//     ESCALATION phrase, counted in such texts too. Known risk: a police
//     report told in a sincerely positive review ("parcel stolen, reported
//     it, the shop resent it — great") is P1.
//   The evidence of these reasons is the NOT_ME, BANG and INJURY phrases.
// Eighth pass (the misses and false alarms of cases6 and cases7):
//   - EXPECTED (smoke told as normal: the manual, burn-in) drops
//     HEALTH_SAFETY, HAZARD and BANG in its sentence; a JOKE also cancels
//     HEALTH_SAFETY ("Haha ... nearly sent me to hospital").
//   - NOT_URGENT ("no rush", "Nic pilnego") and PRESALE (a question before
//     buying) stop the P2 constructions for nobody answering (NOT_URGENT),
//     a demand now and an occasion; PRESALE also the allergy one.
//   - Asking, repeated, unanswered contact counts TIMES ("tre volte") as
//     REPEAT, and does not count when only PAPERWORK (an invoice) is asked
//     about with the goods neither GONE nor DAMAGED.
//   - HEAT (a burning smell, too hot to touch) with an APPLIANCE and a
//     SAFE_ACT (unplugged, stopped using, a recall) in the text, and
//     ALLERGY with TREATMENT, are HEALTH_SAFETY.
// Ninth pass (the misses and false alarms of cases6, cases7 and cases8):
//   - An APPLIANCE with HEAT, HAZARD or BANG is HEALTH_SAFETY with a
//     SAFE_ACT, a NEAR_MISS ("could have caught fire", "strach pomyśleć")
//     or somebody EXPOSED ("asleep on it", "die Kinder saßen daneben"),
//     also in a clearly positive text when a safety act or near miss is
//     told. CHILD_GEAR (car seat, stair gate, cot) with the child and an
//     INJURY or a SAFE_ACT, in a NEGATIVE or MIXED text, too; so is
//     swelling (SEVERE) in a CHILD with TREATMENT (an adrenaline pen).
//   - DEPENDENT also holds a dependent's needs (insulin, inhalers,
//     incontinence pads, baby formula): with DEMAND and SOON, NOW or
//     repeated contact it is pressing without a damage word; nobody
//     answering alone needs DAMAGE or GONE with it. It counts when the
//     text or the clause level complains, or with a demand now after
//     repeated contact; never in a clearly positive text.
//   - A question to anyone (NOBODY in a sentence with '?') after repeated
//     contact about a TOPIC, or a question for a reply about a TOPIC
//     (ANSWER and TOPIC in one asking sentence) after contact counted
//     (TIMES), is unanswered contact (P2).
//   - THREAT_IF ("otherwise", "sonst", "or I'll") with BANK in one sentence
//     is an ESCALATION.
//   - A FRAUD_CLAIM phrase only in questions, with no PAID, CHARGE, GONE or
//     NOT_ME, is a question ("Is this one of those scam sites?"); LEAK (a
//     data leak) is a FRAUD_CLAIM asked or told.
// Tenth pass (calm look-alikes; cases8 and cases9 read):
//   - FINE_NOW (the fault has been fine since: "it's been fine all week",
//     "seitdem läuft er", "ora funziona") drops HAZARD and BANG and the
//     appliance constructions unless a SAFE_ACT, NEAR_MISS or HEAT is told,
//     and stops the P2 constructions like NOT_URGENT.
//   - UNHURT ("she's fine", "nobody was hurt", "nic jej nie jest") keeps a
//     CHILD alone from making an allergy HEALTH_SAFETY (SEVERE or
//     TREATMENT still do).
// Fourteenth pass (calm false alarms of cases..cases13 read):
//   - MOULD (mould on goods) is HEALTH_SAFETY only with SEVERE, TREATMENT
//     or INJURY told; FIRE_CREW (the fire brigade) only with an APPLIANCE,
//     HAZARD, HEAT or BANG in the text ("Bestellung für die Freiwillige
//     Feuerwehr", a toy fire station are none).
//   - REVERSAL ("Rückbuchung", "storno", "Lastschrift zurückgehen
//     lassen") is an ESCALATION only with the customer's BANK in its
//     sentence; alone it is the shop's refund booking.
//   - Silence right after a conditional (IF: "si personne ne répond",
//     "if nobody is in", at most 4 words, one clause) is a supposition, not
//     unanswered contact, unless the sentence makes it the condition of the
//     customer's own step (BANK, THREAT_IF, a legal or escalation phrase).
// Eighteenth pass (urgent cases missed out of fold; UrgencyParams below,
// each on by default): a small part swallowed or in a mouth (SWALLOWED,
// SMALL_PART), child gear with a near miss, and a question for an answer
// after contact counted about an order.
//
// Priority:
//   P1  LEGAL_THREAT, HEALTH_SAFETY or FRAUD_CLAIM
//   P2  distress (STRONG_NEGATIVE from DISTRESS, DAMAGE + LETDOWN, a
//       ruined order needed for a date, a demand for action now, money
//       held or a dependent left without help), an
//       escalation (CHURN_INTENT from an ESCALATION phrase), or unanswered
//       contact (no reason code)
//   P3  negative: NEGATIVE text with score <= -0.3, a low rating,
//       RATING_TEXT_MISMATCH, or STRONG_NEGATIVE without a construction
//   P4  mildly negative or mixed: any other NEGATIVE or MIXED text, or a
//       middle rating (3 of 5) without positive text
//   NONE  everything else (positive or neutral, no reason)
// HIGH_REACH raises P2..P4 by one level (P1 stays P1) and is listed only when
// the priority is not NONE. An unspecified overall label is read from the
// score (<= -0.25 negative, >= 0.25 positive, else neutral).
// The rating scale is options.rating_scale (0 = 5). How soon a priority
// must be answered is the service's business (tenant SLA policies), not
// this library's.
//
// Immutable and thread-safe once built; a few microseconds per review.
#ifndef OPINIA_NLP_URGENCY_H_
#define OPINIA_NLP_URGENCY_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "nlp/analysis.h"
#include "nlp/term_matcher.h"
#include "nlp/text.h"

namespace opinia::nlp {

// Constructions of the eighteenth pass (issue 17, helper U), each on by
// default; opinia-eval --no_urgency18 turns all three off.
struct UrgencyParams {
  // A SMALL_PART (magnet, button cell, glass splinter) with SWALLOWED
  // (swallowed, in the mouth, spat out) in one sentence and a CHILD or
  // TREATMENT in the text, or SWALLOWED with TREATMENT in a text not
  // clearly positive, is HEALTH_SAFETY; these cues (and TREATMENT, CHILD)
  // are read in a clearly positive text too.
  bool swallowed_part = true;
  // A child's safety product that failed with the child in it is
  // HEALTH_SAFETY with a NEAR_MISS told ("could have been so much worse"),
  // not only with an injury or a safety act.
  bool child_gear_near_miss = true;
  // A sentence asking for an answer ("Bekomme ich irgendwann eine
  // Antwort?") in a text with a sentence counting contact about an order
  // (REPEAT and TOPIC: "Ich frage jetzt zum vierten Mal nach, wo meine
  // Bestellung bleibt") is unanswered contact (P2), in a NEGATIVE text
  // whose clauses are not POSITIVE.
  bool asked_answer_after_repeat = true;
};

class UrgencyAssessor {
 public:
  // Loads `models_dir`/urgency.tsv. NOT_FOUND when the file is missing;
  // INVALID_ARGUMENT (naming the line) for a malformed line or unknown label.
  static absl::StatusOr<std::unique_ptr<UrgencyAssessor>> Create(
      const std::string& models_dir);
  // As Create(), with the eighteenth pass' constructions set by `params`.
  static absl::StatusOr<std::unique_ptr<UrgencyAssessor>> CreateWithParams(
      const std::string& models_dir, const UrgencyParams& params);

  // `t` is Tokenize(text); `language` selects the lexicon ("pl", "de-AT"),
  // an unknown or empty one ("und") tries all; `overall` is the review's
  // sentiment. `clause_level` is the compositional layer's outcome
  // (nlp/polarity_rules.h; kUnspecified = not known; the analyzer says
  // NEGATIVE only for strong clause evidence, MIXED for a milder
  // complaint): STRONG_NEGATIVE from the score is given only when it is
  // NEGATIVE (or unknown), from distress only when it is not POSITIVE, and
  // any other value caps a text without a lexicon reason, an escalation,
  // unanswered contact or distress at P3, after HIGH_REACH. Never fails.
  Urgency Assess(std::string_view text, const TokenizedText& t,
                 std::string_view language, const Sentiment& overall,
                 const AnalyzeOptions& options,
                 SentimentLabel clause_level = SentimentLabel::kUnspecified) const;

  static constexpr int kMaxEvidence = 16;
  static constexpr int kNegationWindow = 3;      // NEGATION
  static constexpr int kNearNegationWindow = 1;  // NEGATION_NEAR

 private:
  UrgencyAssessor() = default;
  bool Negated(const TokenizedText& t, int sentence_begin, int first) const;
  // Tokens [begin, end) laugh (a JOKE word or emoji, "haha", "hehe").
  bool Jokes(const TokenizedText& t, int begin, int end) const;

  UrgencyParams params_;
  std::unique_ptr<TermMatcher> matcher_;
  // Plain forms of negators -> how many words may stand between it and the
  // phrase it negates.
  absl::flat_hash_map<std::string, int> negators_;
  absl::flat_hash_set<std::string> scope_ends_;  // plain forms
  absl::flat_hash_set<std::string> high_reach_;  // lower-case source ids
  // JOKE words and emoji ("😂", "lol", "xD"); "haha*", "hehe*" also.
  absl::flat_hash_set<std::string> jokes_;  // plain forms
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_URGENCY_H_
