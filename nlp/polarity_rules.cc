#include "nlp/polarity_rules.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlp/lexicon_file.h"
#include "nlp/word_filter.h"

namespace opinia::nlp {
namespace {

// Matcher labels of the word classes; valences follow from kFirstValence.
enum Label {
  kNegator = 0,
  kWithout,
  kContrast,
  kConcession,
  kIntensifier,
  kDiminisher,
  kExpect,
  kCompare,
  kRelief,
  kQuestion,
  kSarcasm,
  kExcess,
  kWorry,
  kNote,
  kWhy,
  kWait,
  kLast,
  kShrug,
  kResolved,
  kFailure,
  kCease,
  kLife,
  kPrior,
  kNoMore,
  kFunction,
  kCalm,
  kSeparable,
  kDismiss,
  kConsequence,
  kVerdict,
  kTurn,
  kTryOn,
  kPutRight,
  kConsolation,
  kFirstValence
};
constexpr std::array<std::string_view, kFirstValence> kLabelNames = {
    "NEGATOR",  "WITHOUT", "CONTRAST", "CONCESSION", "INTENSIFIER",
    "DIMINISHER", "EXPECT", "COMPARE",  "RELIEF",     "QUESTION", "SARCASM",
    "EXCESS",   "WORRY",   "NOTE",     "WHY",        "WAIT",
    "LAST",     "SHRUG",   "RESOLVED", "FAILURE",  "CEASE",
    "LIFE",     "PRIOR",   "NOMORE",   "FUNCTION", "CALM",
    "SEPARABLE", "DISMISS", "CONSEQUENCE", "VERDICT", "TURN", "TRYON",
    "PUTRIGHT", "CONSOLATION"};

// Token `at` ends a clause: the end, a punctuation mark, "und", "oder".
bool EndsClause(const TokenizedText& t, int at, int end) {
  if (at >= end || t.tokens[at].kind == TokenKind::kPunct) return true;
  const std::string& w = t.tokens[at].plain;
  return w == "und" || w == "oder";
}

// language.substr(0, 2) == tag for a two-letter `tag` ("de" for "de-AT"),
// without a call: Score tests the language this way a few times per
// sentence, and its length keeps the compiler from inlining string_view's
// comparison.
bool LanguageIs(std::string_view language, const char (&tag)[3]) {
  return language.size() >= 2 && language[0] == tag[0] && language[1] == tag[1];
}

// Whether a row of one of `languages` ("de", "*" for every language) is
// of `language` ("de-AT"). Out of line: PolarityRules::Score is long enough
// for the compiler to stop inlining its string comparisons.
[[gnu::noinline]] bool AnyLanguageOf(const std::vector<std::string>& languages,
                                     std::string_view language) {
  return std::any_of(languages.begin(), languages.end(), [&](const std::string& l) {
    return l == "*" || language.substr(0, 2) == l;
  });
}

// Whether the phrase `m` holds a German "nicht mehr" ("lädt nicht mehr",
// "springt nicht mehr an").
bool NoMoreInside(const TokenizedText& t, const TermMatcher::Match& m) {
  for (int k = m.first_token; k + 1 < m.end_token; ++k) {
    if (t.tokens[k].plain == "nicht" && t.tokens[k + 1].plain == "mehr") return true;
  }
  return false;
}

// The word after "nicht mehr", "plus", "più" that makes them a comparison
// ("nicht mehr als 5 Euro", "plus que", "più di tre giorni"), not a cease.
bool IsNoMoreComparison(std::string_view w) {
  return w == "als" || w == "que" || w == "qu" || w == "de" || w == "d" || w == "di" ||
         w == "che" || w == "del" || w == "della";
}

// (string_view: comparing with a literal tests the length first, no strlen.)
bool IsClauseBreak(const Token& tok) {
  const std::string_view n = tok.norm;
  return n == "," || n == ";" || n == ":" || n == "(" || n == ")" ||
         n == "\xE2\x80\x93" || n == "\xE2\x80\x94" || n == "-" ||
         n == "\xE2\x80\xA6" || n == "/";
}

bool IsQuote(const Token& tok) {
  const std::string_view n = tok.norm;
  return n == "\"" || n == "'" || n == "\xE2\x80\x9E" || n == "\xE2\x80\x9C" ||
         n == "\xE2\x80\x9D" || n == "\xC2\xAB" || n == "\xC2\xBB" ||
         n == "\xE2\x80\x9A" || n == "\xE2\x80\x98" || n == "\xE2\x80\x99";
}

// German adjectives of a noun + "-los"/"-frei" ("problemlos",
// "störungsfrei"): the valence of the noun turned around, or nothing.
std::optional<float> SuffixShift(const Lexicon::View& view,
                                 std::string_view plain) {
  static constexpr std::string_view kSuffixes[] = {
      "losen", "loser", "loses", "losem", "lose", "los",
      "freien", "freier", "freies", "freiem", "freie", "frei"};
  for (std::string_view suf : kSuffixes) {
    if (plain.size() < suf.size() + 4 ||
        plain.substr(plain.size() - suf.size()) != suf) {
      continue;
    }
    std::string_view stem = plain.substr(0, plain.size() - suf.size());
    std::optional<float> v = Lexicon::WordValence(view, stem, stem);
    if (!v && stem.back() == 's') {
      stem.remove_suffix(1);  // Fugen-s: "störungsfrei"
      v = Lexicon::WordValence(view, stem, stem);
    }
    if (!v || *v == 0) return std::nullopt;
    return *v < 0 ? std::min(1.0f, 0.2f - *v) : -*v;
  }
  return std::nullopt;
}

// "Ok, ...", "Bueno, ...", "Well: ...": a mild word that opens a sentence
// and is set off by a comma or colon before more words is a discourse
// marker, not an evaluation ("Jest ok." and "Super, danke!" stay).
// Regret markers: connectives that are also a mild complaint.
// True when `plain` is one of `words`; an entry ending in '*' is a prefix
// (Polish inflection).
template <size_t N>
bool InWordList(std::string_view plain, const std::string_view (&words)[N]) {
  for (std::string_view w : words) {
    if (w.back() == '*' ? plain.substr(0, w.size() - 1) == w.substr(0, w.size() - 1)
                        : plain == w) {
      return true;
    }
  }
  return false;
}

// "only" words that open a clause as "but" after praise.
bool IsOnlyBut(std::string_view plain) {
  static constexpr std::string_view kOnly[] = {"tylko", "nur", "just", "only",
                                               "solo", "seulement"};
  return InWordList(plain, kOnly);
}

bool IsRegret(std::string_view plain) {
  static constexpr std::string_view kRegrets[] = {
      "niestety", "leider", "unfortunately", "sadly", "lamentablemente",
      "desgraciadamente", "malheureusement", "purtroppo"};
  return InWordList(plain, kRegrets);
}

// "never" words, and the degree words after which they do not negate: "I
// have never been so disappointed", "nigdy nie byłem tak zadowolony",
// "noch nie so enttäuscht", "jamais été aussi déçu" say the most, not the
// opposite ("not so good" stays a negation: "not" is no "never" word).
bool IsNever(std::string_view plain) {
  static constexpr std::string_view kNever[] = {"never", "nigdy", "nie",
                                                "nunca", "jamas", "jamais", "mai"};
  return InWordList(plain, kNever);
}

bool IsDegree(std::string_view plain) {
  static constexpr std::string_view kDegree[] = {
      "so", "such", "more", "tak", "taka", "taki", "takie", "takiego", "bardziej",
      "mehr", "tan", "mas", "aussi", "si", "plus", "autant", "cosi", "piu",
      "tanto"};
  return InWordList(plain, kDegree);
}

// Words that, right before a word of the other sign, are its degree:
// "great disappointment", "ogromne rozczarowanie", "terribly good".
bool IsDegreeWord(std::string_view plain) {
  static constexpr std::string_view kWords[] = {
      "great", "big", "huge", "total", "complete", "real", "absolute",
      "pretty", "terribly", "awfully", "horribly", "insanely", "crazy",
      "damn", "super", "ogromn*", "wielk*", "totaln*", "kompletn*",
      "straszn*", "okropn*", "potworn*", "gross", "grosse", "grossen",
      "grosser", "riesig*", "furchtbar", "schrecklich", "gran", "enorme",
      "terriblemente", "grand", "grande", "terriblement", "tremendamente"};
  return InWordList(plain, kWords);
}

// Comparatives that, after an expectation verb that is not negated, say
// the expectation was disappointed: "expected more", "spodziewałem się
// czegoś lepszego", "hätte mehr erwartet", "m'attendais à mieux".
bool IsComparative(std::string_view plain) {
  static constexpr std::string_view kWords[] = {
      "more", "better", "wiecej", "lepiej", "lepszego", "lepszej", "lepsze",
      "lepszy", "mehr", "besser", "bessere*", "mas", "mejor", "mieux", "piu",
      "meglio"};
  return InWordList(plain, kWords);
}

// "How stupid is that", "Wie genial ist das": an opener, a word with a
// valence and "is that" is an exclamation, not a question.
bool IsExclamative(const TokenizedText& t, int i, int end, const Lexicon::View& view) {
  static constexpr std::string_view kHow[] = {"how", "wie"};
  static constexpr std::string_view kIs[] = {"is", "was", "ist", "war"};
  static constexpr std::string_view kThat[] = {"that", "this", "das", "dies"};
  if (i + 3 >= end || !InWordList(t.tokens[i].plain, kHow)) return false;
  std::optional<float> v = Lexicon::Valence(view, t.tokens[i + 1].norm);
  return v && *v != 0 && InWordList(t.tokens[i + 2].plain, kIs) &&
         InWordList(t.tokens[i + 3].plain, kThat);
}

// Italian and Spanish absolute superlatives ("contentissima",
// "facilissimo", "rapidísimo", "carísimo"): the valence of the base
// adjective, x1.5 (at most 1), or nothing.
std::optional<float> Superlative(const Lexicon::View& view, std::string_view plain) {
  static constexpr std::string_view kEndings[] = {
      "issimo", "issima", "issimi", "issime", "isimo", "isima", "isimos", "isimas"};
  for (std::string_view end : kEndings) {
    if (plain.size() < end.size() + 3 || plain.substr(plain.size() - end.size()) != end) {
      continue;
    }
    const std::string stem(plain.substr(0, plain.size() - end.size()));
    for (std::string_view vowel : {"o", "a", "e", ""}) {
      const std::string base = stem + std::string(vowel);
      std::optional<float> v = Lexicon::WordValence(view, base, base);
      if (v && *v != 0) return std::clamp(1.5f * *v, -1.0f, 1.0f);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// Plural and feminine forms of es/fr/it adjectives the lexicon lists in
// the masculine singular only ("stupendi", "contenta", "cómodas",
// "déçue", "ravies"): the base form's valence, or nothing.
std::optional<float> RomanceInflection(const Lexicon::View& view, std::string_view norm) {
  static constexpr std::pair<std::string_view, std::string_view> kForms[] = {
      {"i", "o"}, {"e", "o"}, {"a", "o"}, {"i", "e"}, {"as", "o"}, {"os", "o"},
      {"es", ""}, {"s", ""}, {"e", ""}, {"es", "e"}};
  if (norm.size() < 5) return std::nullopt;
  for (const auto& [from, to] : kForms) {
    if (norm.substr(norm.size() - from.size()) != from) continue;
    const std::string base =
        std::string(norm.substr(0, norm.size() - from.size())) + std::string(to);
    std::optional<float> v = Lexicon::Valence(view, base);
    if (v && *v != 0) return v;
  }
  return std::nullopt;
}

// A sarcastic clause: its praise is a complaint, `share` of it as strong.
void TurnSarcastic(float share, Clause* c, PolarityEvidence* e) {
  c->negative = share * c->positive;
  c->positive = c->lexicon_positive = c->lexicon_negative = 0;
  ++e->constructions;
  ++e->sarcasms;
}

bool IsOnly(std::string_view plain) {
  static constexpr std::string_view kWords[] = {
      "only", "jedyny", "jedyna", "jedyne", "jedynie", "einzig*", "seul*", "unico",
      "unica", "solo"};
  return InWordList(plain, kWords);
}

bool HasValence(const Lexicon::View& view, const Token& tok) {
  if (tok.kind != TokenKind::kWord) return false;
  std::optional<float> v = Lexicon::Valence(view, tok.norm);
  return v && *v != 0;
}

bool IsYet(std::string_view plain) {
  static constexpr std::string_view kWords[] = {
      "yet", "jeszcze", "noch", "todavia", "aun", "encore", "ancora"};
  return InWordList(plain, kWords);
}

bool IsThan(std::string_view plain) {
  // Not "de"/"di" ("esperaba algo más de esta batidora" is "from"): the
  // COMPARE phrases ("de lo esperado", "di quanto") cover those.
  static constexpr std::string_view kWords[] = {"than", "niz", "als", "que"};
  return InWordList(plain, kWords);
}

// Degree words after a negated expectation verb: "didn't expect such
// quality", "no esperaba tanta calidad", "ne m'attendais pas à une telle
// finition" — a surprise, praise unless what follows is a complaint.
bool IsSurpriseDegree(std::string_view plain) {
  static constexpr std::string_view kWords[] = {
      "such", "so", "tak", "taka", "taki", "takie", "takiej", "takiego",
      "solch*", "so", "tanta", "tanto", "tan", "telle", "tel", "tels",
      "telles", "simile", "tale", "cosi"};
  return InWordList(plain, kWords);
}

// The valence of a score "N/5" or "N/10" at token `i` (number, "/",
// number), or nothing.
std::optional<float> ScoreFraction(const TokenizedText& t, int i, int end) {
  if (i + 2 >= end || t.tokens[i].kind != TokenKind::kNumber ||
      t.tokens[i + 1].norm != "/" || t.tokens[i + 2].kind != TokenKind::kNumber) {
    return std::nullopt;
  }
  double x = 0;
  double of = 0;
  if (!absl::SimpleAtod(t.tokens[i].norm, &x) ||
      !absl::SimpleAtod(t.tokens[i + 2].norm, &of) || (of != 5 && of != 10) ||
      x < 0 || x > of) {
    return std::nullopt;
  }
  return static_cast<float>(0.9 * (2.0 * x / of - 1.0));
}

// How long something took, read at a unit word ("9 dni", "two weeks",
// "nach 20 Tagen", "w 3 dni", "within an hour"): in days, and the
// preposition before the amount.
enum class DurationPrep { kNone, kWithin, kAfter, kSince, kNot };
struct Duration {
  int clause = 0;  // index into the sentence's clauses
  float days = 0;
  DurationPrep prep = DurationPrep::kNone;
  bool amount = false;  // a number or number word ("2 days", "an hour")
};

// Days per unit, or 0 when `plain` is no unit of time.
float UnitDays(std::string_view plain) {
  static constexpr std::string_view kMinutes[] = {
      "minut*", "minutes", "minute", "minuten", "minutos", "minuti"};
  static constexpr std::string_view kHours[] = {
      "godzin*", "hours", "hour", "stunden", "stunde", "horas", "hora",
      "heures", "heure", "ore"};
  static constexpr std::string_view kDays[] = {
      "dni", "dniach", "dnia", "days", "day", "tage", "tagen", "tag", "dias",
      "dia", "jours", "jour", "giorni", "giorno", "werktage", "werktagen"};
  static constexpr std::string_view kWeeks[] = {
      "tydzien", "tygodnie", "tygodni", "tygodniach", "tygodniu", "weeks",
      "week", "wochen", "woche", "semanas", "semana", "semaines", "semaine",
      "settimane", "settimana"};
  static constexpr std::string_view kMonths[] = {
      "miesiac", "miesiace", "miesiecy", "miesiacu", "months", "month",
      "monate", "monaten", "monat", "meses", "mes", "mois", "mesi", "mese"};
  // Read for every word: the lists in one hash lookup, plus their prefix
  // entries ("minut*"). The first list (in the order below) holding the
  // word gives its unit.
  struct Unit {
    std::string_view list;
    float days;
    size_t rank;
  };
  struct Units {
    absl::flat_hash_map<std::string_view, Unit> exact;
    WordFilter exact_filter;  // rules out most words before the hash lookup
    std::vector<Unit> prefixes;  // `list` is the prefix
  };
  static const Units* units = [] {
    auto* u = new Units();
    const auto add = [u](const auto& words, float days, size_t rank) {
      for (std::string_view w : words) {
        if (w.back() == '*') {
          u->prefixes.push_back({w.substr(0, w.size() - 1), days, rank});
        } else {
          u->exact.try_emplace(w, Unit{w, days, rank});  // the first list wins
          u->exact_filter.Add(w);
        }
      }
    };
    add(kDays, 1, 0);
    add(kWeeks, 7, 1);
    add(kMonths, 30, 2);
    add(kHours, 1.0f / 24, 3);
    add(kMinutes, 1.0f / 1440, 4);
    return u;
  }();
  const Unit* best = nullptr;
  if (units->exact_filter.MayContain(plain)) {
    if (auto it = units->exact.find(plain); it != units->exact.end()) best = &it->second;
  }
  for (const Unit& p : units->prefixes) {
    if (plain.substr(0, p.list.size()) == p.list && (best == nullptr || p.rank < best->rank)) {
      best = &p;
    }
  }
  return best != nullptr ? best->days : 0;
}

// The amount a number word or article stands for, or 0.
float NumberWord(std::string_view plain) {
  static constexpr std::pair<std::string_view, float> kWords[] = {
      {"a", 1}, {"an", 1}, {"one", 1}, {"ein", 1}, {"eine", 1}, {"einem", 1},
      {"einer", 1}, {"un", 1}, {"una", 1}, {"une", 1}, {"uno", 1},
      {"dwa", 2}, {"dwie", 2}, {"dwoch", 2}, {"two", 2}, {"zwei", 2},
      {"dos", 2}, {"deux", 2}, {"due", 2}, {"couple", 2},
      {"trzy", 3}, {"trzech", 3}, {"three", 3}, {"drei", 3}, {"tres", 3},
      {"trois", 3}, {"tre", 3}, {"kilka", 3}, {"kilku", 3}, {"several", 3},
      {"mehrere", 3}, {"mehreren", 3}, {"einigen", 3}, {"varios", 3},
      {"varias", 3}, {"plusieurs", 3}, {"alcuni", 3},
      {"cztery", 4}, {"czterech", 4}, {"four", 4}, {"vier", 4}, {"cuatro", 4},
      {"piec", 5}, {"pieciu", 5}, {"five", 5}, {"funf", 5}, {"cinco", 5},
      {"szesc", 6}, {"six", 6}, {"sechs", 6}, {"seis", 6},
      {"siedem", 7}, {"seven", 7}, {"sieben", 7}, {"siete", 7},
      {"osiem", 8}, {"eight", 8}, {"acht", 8}, {"ocho", 8},
      {"dziesiec", 10}, {"ten", 10}, {"zehn", 10}, {"diez", 10},
      {"kilkanascie", 12}};
  for (const auto& [w, n] : kWords) {
    if (plain == w) return n;
  }
  return 0;
}

DurationPrep PrepOf(std::string_view plain) {
  static constexpr std::string_view kWithin[] = {
      "w", "in", "within", "innerhalb", "binnen", "en", "dentro", "entro",
      "ciagu", "under"};
  static constexpr std::string_view kAfter[] = {
      "po", "after", "nach", "tras", "los", "apres", "dopo", "bout"};
  static constexpr std::string_view kSince[] = {
      "od", "since", "for", "seit", "desde", "depuis", "da"};
  // Not a wait: the past ("vor 10 Tagen", "hace 10 días") or the future
  // ("za tydzień", "next week", "nächste Woche").
  static constexpr std::string_view kNot[] = {
      "vor", "hace", "ya", "za", "na", "next", "nastepn*", "kolejn*", "nachste*",
      "kommende*", "proxima", "proximo", "prochaine", "prochain", "prossima",
      "prossimo", "this", "ten", "ta", "diese*", "este", "esta", "ce", "cette",
      "questa", "questo", "last", "ostatni*", "letzte*", "pasada", "pasado"};
  if (InWordList(plain, kNot)) return DurationPrep::kNot;
  if (InWordList(plain, kWithin)) return DurationPrep::kWithin;
  if (InWordList(plain, kAfter)) return DurationPrep::kAfter;
  if (InWordList(plain, kSince)) return DurationPrep::kSince;
  return DurationPrep::kNone;
}

// Words between a preposition and its amount ("po prawie dwóch", "after
// almost three").
bool IsApproximator(std::string_view plain) {
  static constexpr std::string_view kWords[] = {
      "prawie", "niemal", "ponad", "az", "okolo", "almost", "nearly",
      "about", "over", "just", "fast", "knapp", "uber", "gut", "casi", "mas",
      "de", "than", "als", "already", "juz", "schon", "ya", "whole",
      "entire", "calych", "caly", "cale", "ganze", "ganzen"};
  return InWordList(plain, kWords);
}

// The duration whose unit is token `i` (first..i-1 are before it in the
// sentence), or nothing. "30 dni na zwrot", "2 weeks of use": a span of
// time followed by what it is for says nothing about a wait.
std::optional<Duration> ReadDuration(const TokenizedText& t, int first, int end,
                                     int i) {
  const float unit = UnitDays(t.tokens[i].plain);
  if (unit == 0) return std::nullopt;
  if (i + 1 < end) {
    static constexpr std::string_view kFor[] = {
        "na", "to", "for", "of", "zum", "fur", "para", "pour", "per", "do",
        "temu", "ago", "her", "fa"};
    if (InWordList(t.tokens[i + 1].plain, kFor)) return std::nullopt;
  }
  int j = i - 1;
  float n = 0;
  if (j >= first) {
    double x = 0;
    if (t.tokens[j].kind == TokenKind::kNumber && absl::SimpleAtod(t.tokens[j].norm, &x)) {
      n = static_cast<float>(x);
    } else {
      n = NumberWord(t.tokens[j].plain);
    }
  }
  const bool amount = n > 0;
  if (amount) {
    --j;
  } else {
    n = 1;  // "po tygodniu", "nach einer Woche" (the article is read above)
  }
  while (j >= first && IsApproximator(t.tokens[j].plain)) --j;
  Duration d;
  d.days = n * unit;
  d.amount = amount;
  if (j >= first) d.prep = PrepOf(t.tokens[j].plain);
  // Without an amount only a preposition makes it a span ("po tygodniu";
  // not "este mes").
  if (d.prep == DurationPrep::kNot || (!amount && d.prep == DurationPrep::kNone)) {
    return std::nullopt;
  }
  return d;
}

bool DiscourseMarker(const TokenizedText& t, int first, int end, int at,
                     int after, float valence) {
  if (at != first || after != at + 1 || valence <= 0 || valence > 0.7f ||
      after + 1 >= end) {
    return false;
  }
  const std::string_view n = t.tokens[after].norm;
  return (n == "," || n == ":") && t.tokens[after + 1].kind == TokenKind::kWord;
}

// The negator of a verb ("nie", "not", "nicht", "ne", "non"; Spanish
// "no"), as opposed to a negative determiner ("brak", "zero", "żadnych",
// "keine", "no issues", "aucun"), which denies the noun after it.
bool IsVerbNegator(std::string_view plain, std::string_view language) {
  static const auto* verbal = new absl::flat_hash_set<std::string_view>{
      "nie", "not", "nt", "n't", "dont", "doesnt", "didnt", "isnt", "wasnt", "never",
      "nicht", "nigdy", "ne", "pas", "non", "jamais", "mai", "nunca", "jamas"};
  return verbal->contains(plain) || (plain == "no" && !LanguageIs(language, "en"));
}

}  // namespace

PolarityEvidence JoinPolarity(const PolarityEvidence* const* parts, size_t n) {
  // The net evidence of `x`, its lexicon's included.
  auto lean = [](const PolarityEvidence& x) {
    return x.Net() + x.lexicon_positive - x.lexicon_negative;
  };
  auto complains = [&lean](const PolarityEvidence& x) { return lean(x) < 0; };
  PolarityEvidence e;
  for (size_t i = 0; i < n; ++i) {
    const PolarityEvidence& p = *parts[i];
    // "... the screen fogged up for good. Brilliant.": one praise word
    // after a complaint is sarcasm.
    // ... and before one: "Fantastycznie. Trzeci raz zmieniają termin."
    if (p.lone_praise && ((i > 0 && complains(e)) ||
                          (i == 0 && n > 1 && complains(*parts[1])))) {
      const float v = p.positive + p.lexicon_positive;
      e.negative += v;
      e.best_negative = std::max(e.best_negative, v);
      e.hits += p.hits;
      e.constructions += 1;
      e.sentences += p.sentences;
      e.sarcasms += 1;
      continue;
    }
    // Fourteenth pass: "... Then it stopped charging", "... Overall, not
    // worth it": a verdict or a turn that goes against what came before.
    const bool turns = p.opener_turn && lean(p) * lean(e) < 0;
    if ((p.leading_contrast || turns) && i > 0) {
      e.positive *= PolarityRules::kBeforeContrastWeight;
      e.negative *= PolarityRules::kBeforeContrastWeight;
      e.best_positive *= PolarityRules::kBeforeContrastWeight;
      e.best_negative *= PolarityRules::kBeforeContrastWeight;
      e.lexicon_positive *= PolarityRules::kBeforeContrastWeight;
      e.lexicon_negative *= PolarityRules::kBeforeContrastWeight;
    }
    e.lexicon_positive += p.lexicon_positive;
    e.lexicon_negative += p.lexicon_negative;
    e.positive += p.positive;
    e.negative += p.negative;
    e.best_positive = std::max(e.best_positive, p.best_positive);
    e.best_negative = std::max(e.best_negative, p.best_negative);
    e.hits += p.hits;
    e.constructions += p.constructions;
    e.contrasts += p.contrasts;
    e.buts += p.buts;
    if (p.buts > 0) e.after_contrast = p.after_contrast;
    e.sentences += p.sentences;
    e.questions += p.questions;
    e.courtesies += p.courtesies;
    e.sarcasms += p.sarcasms;
    e.notes += p.notes;
    e.calms += p.calms;
    e.dismissals += p.dismissals;
    e.failures += p.failures;
    e.resolutions += p.resolutions;
    e.put_rights += p.put_rights;
    e.consolations += p.consolations;
    e.denials += p.denials;
    e.praise_idioms += p.praise_idioms;
    e.distress += p.distress;
    if (i == 0) e.leading_contrast = p.leading_contrast;
  }
  return e;
}

absl::StatusOr<std::unique_ptr<PolarityRules>> PolarityRules::Create(
    const std::string& models_dir, float put_right, bool more_events, bool reply_failures) {
  const std::string path_table = absl::StrCat(models_dir, "/polarity.tsv");
  absl::StatusOr<std::vector<LexiconLine>> lines = ReadLexiconFile(path_table);
  if (!lines.ok()) return lines.status();
  auto r = std::unique_ptr<PolarityRules>(new PolarityRules());
  r->put_right_ = std::max(put_right, 0.0f);
  TermMatcher::Builder builder;
  // The rows of the optional files after polarity.tsv's, each read only
  // when its setting is on (off: the file is not read at all):
  // SentimentParams::more_events, then SentimentParams::reply_failures.
  // ends[i] is one past the last line of files[i], for error messages.
  std::vector<std::string> files = {path_table};
  std::vector<size_t> ends = {lines->size()};
  for (const auto& [on, name] : {std::pair<bool, const char*>{more_events, kMoreEventsFile},
                                 std::pair<bool, const char*>{reply_failures, kReplyFailuresFile}}) {
    if (!on) continue;
    files.push_back(absl::StrCat(models_dir, "/", name));
    absl::StatusOr<std::vector<LexiconLine>> m = ReadLexiconFile(files.back());
    if (!m.ok()) return m.status();
    lines->insert(lines->end(), m->begin(), m->end());
    ends.push_back(lines->size());
  }
  size_t file = 0;
  for (size_t li = 0; li < lines->size(); ++li) {
    const LexiconLine& l = (*lines)[li];
    while (li >= ends[file]) ++file;
    const std::string& path = files[file];
    int label = -1;
    for (int k = 0; k < kFirstValence; ++k) {
      if (l.label == kLabelNames[k]) label = k;
    }
    float v = 0;
    if (label < 0 && l.label == "-") {
      label = TermMatcher::kStop;
    } else if (label < 0 && absl::SimpleAtof(l.label, &v) && v >= -1 && v <= 1) {
      auto it = std::find(r->valences_.begin(), r->valences_.end(), v);
      label = kFirstValence + static_cast<int>(it - r->valences_.begin());
      if (it == r->valences_.end()) r->valences_.push_back(v);
    } else if (label < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", l.line, ": unknown label \"", l.label, "\""));
    }
    // Switched off: the PUTRIGHT rows are not matched at all (their words
    // keep their lexicon valences, as before the rows were written).
    if ((label == kPutRight || label == kConsolation) && r->put_right_ <= 0) continue;
    if (label == kSeparable) {
      // "setzt aus": a FAILURE phrase, and its verb with the particle
      // ending the clause ("setzt bei Steigungen aus").
      const TokenizedText w = Tokenize(l.phrase);
      if (w.tokens.size() < 2) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ":", l.line, ": SEPARABLE needs a verb and a particle"));
      }
      r->separable_[w.tokens.front().plain].emplace_back(l.language, w.tokens.back().plain);
      if (std::find(r->separable_languages_.begin(), r->separable_languages_.end(),
                    l.language) == r->separable_languages_.end()) {
        r->separable_languages_.emplace_back(l.language);
      }
      label = kFailure;
    }
    if (absl::Status s = builder.Add(l.language, l.phrase, label); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", l.line, ": ", s.message()));
    }
    if (label == kNegator || label == kWithout) {
      const TokenizedText w = Tokenize(l.phrase);
      if (w.tokens.size() == 1) r->negators_.insert(w.tokens[0].plain);
    }
  }
  r->matcher_ = std::move(builder).Build();
  return r;
}

namespace {

// 🙃 upside-down face, 🙄 eye roll, 😒 unamused, 🤡 clown.
bool IsIronyEmoji(std::string_view norm) {
  static constexpr std::string_view kIrony[] = {
      "\xF0\x9F\x99\x83", "\xF0\x9F\x99\x84", "\xF0\x9F\x98\x92", "\xF0\x9F\xA4\xA1"};
  for (std::string_view e : kIrony) {
    if (norm.substr(0, e.size()) == e) return true;
  }
  return false;
}

// Net evidence of the clauses before clause `k`.
float NetBefore(const std::vector<Clause>& own, size_t k) {
  float net = 0;
  for (size_t j = 0; j < k; ++j) net += own[j].Net();
  return net;
}

// The last clause opens with a contrast ("but", "only" after praise): the
// clauses before it weigh less.
void OpenContrast(std::vector<Clause>* own) {
  own->back().contrast = true;
  for (Clause& c : *own) {
    if (&c != &own->back()) c.weight *= PolarityRules::kBeforeContrastWeight;
  }
}

// Net evidence of the clauses after the first (the rest of the sentence).
float RestNet(const std::vector<Clause>& own) {
  float net = 0;
  for (size_t k = 1; k < own.size(); ++k) net += own[k].Net();
  return net;
}

// No decisive evidence of its own: nothing, or plain lexicon words only
// (the connective outweighs them: "but it runs two sizes small").
bool Undecided(const Clause& c) {
  return c.positive == c.lexicon_positive && c.negative == c.lexicon_negative;
}

void GiveDefault(float net_before, Clause* c, PolarityEvidence* e) {
  if (net_before == 0) return;
  (net_before > 0 ? c->negative : c->positive) += PolarityRules::kContrastDefault;
  ++c->hits;
  ++e->hits;
  ++e->constructions;
}

}  // namespace

void PolarityRules::ContrastDefaults(std::vector<Clause>* clauses, PolarityEvidence* e) {
  std::vector<Clause>& own = *clauses;
  for (size_t k = 1; k < own.size(); ++k) {
    if (!own[k].contrast || !Undecided(own[k])) continue;
    GiveDefault(NetBefore(own, k), &own[k], e);
  }
  for (size_t k = 0; k < own.size(); ++k) {
    if (!own[k].concession || Undecided(own[k])) continue;
    // "Although X, Y": Y is the main clause; "Y, although X": the one before.
    size_t main = k == 0 ? 1 : k - 1;
    if (main >= own.size() || !Undecided(own[main]) || own[main].contrast) continue;
    GiveDefault(own[k].Net(), &own[main], e);
  }
}

PolarityEvidence PolarityRules::Score(const TokenizedText& t, int first,
                                      int end, std::string_view language,
                                      const Lexicon& lexicon,
                                      std::vector<Clause>* clauses,
                                      Lexicon::WordValences* valences) const {
  PolarityEvidence e;
  first = std::max(first, 0);
  end = std::min<int>(end, static_cast<int>(t.tokens.size()));
  if (first >= end) return e;
  e.sentences = 1;
  thread_local std::vector<TermMatcher::Match> matches;
  thread_local std::vector<Clause> own;
  // Contribution of each token (0 = none), for relief to cancel worries.
  thread_local std::vector<float> contrib;
  matches.clear();
  own.clear();
  contrib.assign(static_cast<size_t>(end - first), 0.0f);
  matcher_->Scan(t, first, end, matcher_->LanguageMask(language),
                 [&](const TermMatcher::Match& m) { matches.push_back(m); });
  const Lexicon::View view = lexicon.ForLanguage(language);
  const bool german = LanguageIs(language, "de");
  // Whether a SEPARABLE row is of this language (as `particle` below tells
  // it): none is, and no word can be a separable verb's particle.
  const bool separable = AnyLanguageOf(separable_languages_, language);
  // lexicon.tsv's diacritic-free forms and 5-letter stems help Polish;
  // for de/es/fr/it (machine-translated AFINN) they hit order words
  // ("bestellt", "geliefert", "schon"): nlp/eval dev de 0.736 -> 0.764
  // without them. Their inflections are in polarity.tsv instead.
  const bool stems = LanguageIs(language, "pl");
  // Lexicon::WordValence of token k (through the memo when given).
  auto word_valence = [&](int k) {
    return valences != nullptr
               ? valences->Of(view, t, k)
               : Lexicon::WordValence(view, t.tokens[k].norm, t.tokens[k].plain);
  };
  // German and Polish put "aber", "allerdings", "jednak", "natomiast" after
  // the clause's subject; in English "still", "yet" there are adverbs.
  const bool postposed_contrast = german || stems;
  const bool romance = LanguageIs(language, "it") ||
                       LanguageIs(language, "es") || LanguageIs(language, "fr");
  const bool romance_superlatives =
      LanguageIs(language, "it") || LanguageIs(language, "es");

  own.push_back(Clause{first, end});
  int neg_scope = 0;       // words left in a negation's scope
  bool never = false;      // the negation is a "never" ("nie" only in German)
  bool excess = false;     // "too" waits for its word
  bool without = false;    // a "without" word waits for its noun
  int without_words = 0;   // words since it
  float intensity = 1.0f;  // intensifiers waiting for their word
  bool in_quotes = false;
  bool question = false;  // a '?' or an interrogative opener
  bool opener = false;    // an interrogative opener (no '?' yet)
  bool why = false;       // the opener asks why: a complaint, not a query
  bool exclamation = false;
  int bangs = 0;  // '!' marks in the sentence
  bool concession_clause = false;
  int words_in_clause = 0;
  size_t next_match = 0;
  int last_contrib = -1;  // index into contrib of the clause's last hit
  // Spans of time in the sentence, and whether it speaks of an order, a
  // delivery or a wait (NOTE and WAIT words): durations count only then.
  thread_local std::vector<Duration> durations;
  durations.clear();
  bool about_waiting = false;
  bool waited = false;  // a WAIT word: "for/od/seit 10 days" is a wait too
  bool lasted = false;  // a LAST word: "lasted two days" is a short life
  bool shrugged = false;  // a SHRUG phrase ("no big deal")
  bool prior = false;  // a PRIOR word in the clause ("the old one")
  // A FUNCTION verb in the clause ("lädt", "s'allume", "si accende"): what
  // a NOMORE word after it says ceased.
  bool function_verb = false;
  // contrib index of the clause's failure not negated (-1: none): what a
  // German "nicht" later in the clause turns ("löst sich nicht").
  int failure_contrib = -1;
  // A SEPARABLE verb waiting for its particle at the end of its clause.
  const std::vector<std::pair<std::string, std::string>>* split_particles = nullptr;
  size_t split_clause = 0;
  int split_verb = 0;
  // Failure events not negated: their clause, valence and the share a
  // question leaves them (below); a consequence (CONSEQUENCE: "sent it
  // back") is told apart for the short life and the return process.
  struct Failure {
    int clause;
    float valence;
    float question_share;
    bool consequence;
  };
  thread_local std::vector<Failure> failures;
  failures.clear();
  // A negation that found no word to turn ("neither will charge", "nothing
  // happens"), and a "yet" word ("not tried yet" is a note).
  bool bare_negation = false;
  bool yet = false;
  bool determiner_negation = false;  // the negation is "brak", "zero", "keine", "no issues"

  // An expectation verb that is not negated, waiting for a comparative
  // ("expected more") within kExpectWords words; a negated one ("didn't
  // expect") waiting for a degree word ("such"), then for its word.
  int expect_words = 0;
  bool surprise = false;
  bool surprise_degree = false;
  // The clause's last hit was one plain word (no construction): its token
  // and whether it came from lexicon.tsv.
  int last_plain = -1;
  bool last_plain_lexicon = false;

  // A concession clause weighs kConcessionWeight; one that holds a failure
  // after the sentence's main clause ("Super bequem, wobei die Sohle nach
  // einem Monat durchgelaufen ist") is the complaint told last:
  // kFailureConcessionWeight.
  auto concession_weight = [&]() {
    return own.back().failure && own.size() > 1 ? kFailureConcessionWeight
                                                : kConcessionWeight;
  };
  auto close_clause = [&](int at) {
    if (concession_clause) own.back().weight *= concession_weight();
    Clause& c = own.back();
    c.end_token = at;
    concession_clause = false;
    // "Mon ancien grille-pain a lâché", "my old one, bought in 2019,
    // broke": PRIOR reaches past clauses without evidence.
    if (c.hits > 0) prior = false;
    function_verb = false;
    failure_contrib = -1;
    own.push_back(Clause{at, end});  // (c is invalid from here)
    neg_scope = 0;
    without = false;
    intensity = 1.0f;
    excess = false;
    words_in_clause = 0;
    last_contrib = -1;
    last_plain = -1;
    expect_words = 0;
    surprise = surprise_degree = false;
  };
  auto add = [&](int at, float v, bool construction, bool lexicon = false) {
    // "my old one was faulty, so ...": what failed before this purchase
    // is no complaint about it.
    if (prior && v < 0 && neg_scope == 0 && !without) return;
    if (neg_scope > 0 || without) {
      // "not good" is less negative than "bad"; "no problems" is positive.
      // A table word ("no problems", "nic nie cieknie"), or a lexicon word
      // after a negative determiner or "without" ("brak zastrzeżeń", "keine
      // Mängel"; not a verb's "nie", "not": "nikt nie pamiętał").
      if (v < 0 && (!lexicon || without || determiner_negation)) ++e.denials;
      v = v > 0 ? -0.75f * v : -0.9f * v;
      neg_scope = 0;
      construction = true;
    }
    without = false;
    surprise_degree = false;
    // "great disappointment", "super wolna", "strangely good": a plain word
    // right before a word of the other sign is its degree, not an opinion.
    if (!construction && last_plain >= 0 && last_plain == at - first - 1 &&
        contrib[last_plain] * v < 0 &&
        IsDegreeWord(t.tokens[first + last_plain].plain)) {
      const float prev = contrib[last_plain];
      Clause& c = own.back();
      (prev > 0 ? c.positive : c.negative) -= std::fabs(prev);
      if (last_plain_lexicon) {
        (prev > 0 ? c.lexicon_positive : c.lexicon_negative) -= std::fabs(prev);
      }
      contrib[last_plain] = 0;
      v *= 1.5f;
      construction = true;
    }
    v *= intensity;
    intensity = 1.0f;
    if (in_quotes && v > 0) {
      v = -0.6f * v;  // scare quotes: the promise, not the outcome
      construction = true;
    }
    contrib[at - first] += v;
    last_contrib = at - first;
    last_plain = construction ? -1 : at - first;
    last_plain_lexicon = lexicon;
    Clause& c = own.back();
    (v > 0 ? c.positive : c.negative) += std::fabs(v);
    if (lexicon && !construction) {
      (v > 0 ? c.lexicon_positive : c.lexicon_negative) += std::fabs(v);
    }
    ++c.hits;
    ++e.hits;
    e.constructions += construction;
  };

  // A word with a valence (negative_only: a complaint) within kNegScope
  // words after token `from`, in its clause: what a CEASE or NOMORE word
  // turns like a negator ("stopped squeaking", "nicht mehr so gut").
  auto valence_follows = [&](int from, bool negative_only) {
    for (int k = from, seen = 0; k < end && seen < kNegScope; ++k) {
      const Token& w = t.tokens[k];
      if (w.kind == TokenKind::kPunct && IsClauseBreak(w)) break;
      if (w.kind != TokenKind::kWord) continue;
      ++seen;
      for (size_t n = next_match; n < matches.size() && matches[n].first_token <= k; ++n) {
        const int l = matches[n].label;
        if (matches[n].first_token != k) continue;
        if (l == kFailure) return true;
        if (l >= kFirstValence && valences_[l - kFirstValence] != 0 &&
            (!negative_only || valences_[l - kFirstValence] < 0)) {
          return true;
        }
      }
      const std::optional<float> v = stems ? word_valence(k) : Lexicon::Valence(view, w.norm);
      if (v && *v != 0 && (!negative_only || *v < 0)) return true;
    }
    return false;
  };
  // Turns the clause's last hit when it is at most `span` words before
  // token `at` ("drückt nicht", "quietscht nicht mehr"): false when there
  // is none.
  auto turn_last = [&](int at, int span, bool negative_only) {
    if (last_contrib < 0 || last_contrib < at - first - span || contrib[last_contrib] == 0 ||
        (negative_only && contrib[last_contrib] > 0)) {
      return false;
    }
    const float prev = contrib[last_contrib];
    const float turned = prev > 0 ? -0.75f * prev : -0.9f * prev;
    Clause& c = own.back();
    (prev > 0 ? c.positive : c.negative) -= std::fabs(prev);
    c.lexicon_positive = std::min(c.lexicon_positive, c.positive);
    c.lexicon_negative = std::min(c.lexicon_negative, c.negative);
    (turned > 0 ? c.positive : c.negative) += std::fabs(turned);
    contrib[last_contrib] = turned;
    ++e.constructions;
    return true;
  };
  // A failure event at token `at` (FAILURE, CEASE, NOMORE; CONSEQUENCE when
  // `consequence`): kFailureValence, turned when `negated`; a failure of the
  // clause unless negated or after a PRIOR word.
  auto add_failure = [&](int at, bool negated, bool consequence = false) {
    if (!negated) neg_scope = 0, without = false;
    add(at, kFailureValence, true);
    if (!negated && !prior) {
      own.back().failure = true;
      failures.push_back(Failure{static_cast<int>(own.size()) - 1, kFailureValence,
                                 consequence ? kConsequenceQuestionShare
                                             : kFailureQuestionShare,
                                 consequence});
      failure_contrib = last_contrib;
    }
  };
  // Whether the event phrase `m` (FAILURE, CEASE) is negated by the
  // negation in scope; a negator inside the phrase is its own ("nobody
  // answered"), not a negation of it.
  auto event_negated = [&](const TermMatcher::Match& m) {
    bool negated = neg_scope > 0 || without;
    for (int k = m.first_token; k < m.end_token; ++k) {
      if (negators_.contains(t.tokens[k].plain)) negated = false;
    }
    return negated;
  };
  // A VERDICT or TURN phrase that opens the sentence, and its end.
  enum class Opener { kNone, kVerdict, kTurn };
  Opener sentence_opener = Opener::kNone;
  int opener_end = first;
  // Token `at` opens the sentence (after at most one punctuation token).
  auto opens_sentence = [&](int at) {
    return at == first || (at == first + 1 && t.tokens[first].kind == TokenKind::kPunct);
  };

  // Scare quotes are short („free delivery”); a longer quotation is
  // reported speech and keeps its words' signs.
  thread_local std::vector<bool> scare;
  scare.assign(static_cast<size_t>(end - first), false);
  for (int i = first, open = -1; i < end; ++i) {
    if (!IsQuote(t.tokens[i])) continue;
    if (open < 0) {
      open = i;
      continue;
    }
    int words = 0;
    for (int k = open + 1; k < i; ++k) words += t.tokens[k].kind == TokenKind::kWord;
    if (words <= kScareQuoteWords) {
      for (int k = open + 1; k < i; ++k) scare[k - first] = true;
    }
    open = -1;
  }

  for (int i = first; i < end; ++i) {
    const Token& tok = t.tokens[i];
    in_quotes = scare[i - first];
    // "Produkt 5/5, Service 1/5", "10/10": a score out of 5 or 10.
    if (std::optional<float> v = ScoreFraction(t, i, end)) {
      add(i, *v, true);
      ++words_in_clause;
      i += 2;
      continue;
    }
    if (tok.kind == TokenKind::kPunct) {
      const std::string_view n = tok.norm;
      if (n == "?" || n == "\xC2\xBF") question = true;
      if (n == "!") {
        exclamation = true;
        ++bangs;
      }
      if (IsClauseBreak(tok) && words_in_clause > 0) {
        close_clause(i + 1);
      }
      continue;
    }
    const bool after_excess = excess;  // only the word right after "too"
    excess = false;
    if (never && neg_scope > 0 && IsDegree(tok.plain)) {
      neg_scope = 0;  // "never been so disappointed"
      ++e.constructions;
    }
    while (next_match < matches.size() && matches[next_match].first_token < i) {
      ++next_match;
    }
    // "der Motor setzt bei Steigungen einfach aus", "bricht dann ab": a
    // SEPARABLE verb whose particle ends its clause is that failure;
    // negated when a negator stands between them ("löst sich nicht ab").
    if (tok.kind == TokenKind::kWord && separable) {
      const auto particle = [&](const std::pair<std::string, std::string>& p) {
        return p.second == tok.plain && (p.first == "*" || language.substr(0, 2) == p.first);
      };
      if (split_particles != nullptr && split_clause == own.size() - 1 &&
          std::any_of(split_particles->begin(), split_particles->end(), particle) &&
          EndsClause(t, i + 1, end)) {
        bool negated = false;
        for (int k = split_verb + 1; k < i; ++k) {
          negated |= negators_.contains(t.tokens[k].plain);
        }
        split_particles = nullptr;
        add_failure(i, negated);
        ++words_in_clause;
        continue;  // the particle is the event's ("kaputt" no word of its own)
      } else if (const auto it = separable_.find(tok.plain);
                 it != separable_.end() &&
                 !(next_match < matches.size() && matches[next_match].first_token == i &&
                   matches[next_match].end_token > i + 1)) {
        split_particles = &it->second;
        split_clause = own.size() - 1;
        split_verb = i;
      }
    }
    if (tok.kind == TokenKind::kWord && expect_words > 0) {
      // "Expected a lot more", "mi aspettavo molto di più", "esperaba algo
      // más": the expectation was disappointed (not "more than I
      // expected": COMPARE). A phrase starting here counts by its words.
      int span_end = i + 1;
      if (next_match < matches.size() && matches[next_match].first_token == i) {
        span_end = matches[next_match].end_token;
      }
      int comparative = -1;
      for (int k = i; k < span_end; ++k) {
        if (IsComparative(t.tokens[k].plain)) comparative = k;
      }
      // Not "more than ..." nor "more problems" (a word with a valence
      // after it: what was expected is that).
      const bool followed =
          comparative >= 0 && comparative + 1 < end &&
          (IsThan(t.tokens[comparative + 1].plain) ||
           HasValence(view, t.tokens[comparative + 1]));
      if (comparative >= 0 && !followed) {
        expect_words = 0;
        add(i, kDisappointed, true);
        words_in_clause += span_end - i;
        if (span_end > i + 1) ++next_match;
        i = span_end - 1;
        continue;
      }
      --expect_words;
    }
    if (tok.kind == TokenKind::kWord && surprise && IsSurpriseDegree(tok.plain)) {
      // "didn't expect such ...": the degree of what surprised.
      surprise = false;
      surprise_degree = true;
      intensity *= 1.5f;
      ++words_in_clause;
      continue;
    }
    // "Super lampa, tylko klosz przyszedł pęknięty", "Günstig, nur lädt es
    // nicht mehr": "only" opening a clause after praise is "but" (not "only
    // 2 days"; after a complaint it goes on with it: "wasn't helpful, just
    // copy-paste answers").
    if (tok.kind == TokenKind::kWord && words_in_clause == 0 && own.size() > 1 &&
        IsOnlyBut(tok.plain) &&
        !(i + 1 < end && t.tokens[i + 1].kind == TokenKind::kNumber) &&
        NetBefore(own, own.size() - 1) > 0) {
      OpenContrast(&own);
      ++words_in_clause;
      if (next_match < matches.size() && matches[next_match].first_token == i) {
        // "tylko że": the phrase is the connective.
        const int phrase_end = matches[next_match++].end_token;
        words_in_clause += phrase_end - i - 1;
        i = phrase_end - 1;
      }
      continue;
    }
    if (next_match < matches.size() && matches[next_match].first_token == i) {
      const TermMatcher::Match& m = matches[next_match++];
      const int label = m.label;
      switch (label) {
        case kNegator:
          // "je ne m'attendais pas à ...": the second half of the negation
          // around an expectation verb negates nothing more.
          if (surprise) break;
          {
            const bool nicht = german && m.end_token == i + 1 && tok.plain == "nicht";
            // German verb-second order: "löst sich auch nach Monaten nicht",
            // "tropft bei Regen nicht": a "nicht" with nothing valenced after
            // it in its clause turns the clause's failure before it,
            // however far, and it is no failure (nor a short life).
            if (nicht && failure_contrib >= 0 && failure_contrib == last_contrib &&
                !valence_follows(m.end_token, /*negative_only=*/false) &&
                turn_last(i, i - first, /*negative_only=*/true)) {
              const int ci = static_cast<int>(own.size()) - 1;
              own.back().failure = false;
              failures.erase(std::remove_if(failures.begin(), failures.end(),
                                            [ci](const Failure& f) { return f.clause == ci; }),
                             failures.end());
              failure_contrib = -1;
              break;
            }
            // German "drückt nicht", "scheuert nicht.": a "nicht" that ends
            // its clause turns the word right before it.
            if (nicht && (i + 1 >= end || t.tokens[i + 1].kind == TokenKind::kPunct) &&
                turn_last(i, 2, false)) {
              break;
            }
            // "funktioniert seit gestern nicht", "lädt das Handy nicht": a
            // German "nicht" after a FUNCTION verb of its clause with no
            // word with a valence after it is that verb's failure.
            if (nicht && function_verb && !valence_follows(m.end_token, /*negative_only=*/false)) {
              add_failure(i, /*negated=*/false);
              break;
            }
          }
          // Polish "nie" is "not" except after "nigdy" (negative concord);
          // German "nie" is "never".
          {
            const std::string& last = t.tokens[m.end_token - 1].plain;  // "noch nie"
            never = (never && neg_scope > 0) ||
                    (IsNever(last) && (last != "nie" || german));
          }
          neg_scope = kNegScope + 1;
          determiner_negation = !IsVerbNegator(t.tokens[m.end_token - 1].plain, language);
          break;
        case kWithout:
          without = true;
          without_words = 0;
          neg_scope = 0;
          break;
        case kContrast:
        case kConcession: {
          if (label == kContrast && opens_sentence(i)) e.leading_contrast = true;
          // "Qualität leider mies": a regret word inside a clause is an
          // adverb of it, not a connective.
          if (words_in_clause > 0 && m.end_token == i + 1 && IsRegret(tok.plain)) {
            std::optional<float> v = Lexicon::WordValence(view, tok.norm, tok.plain);
            add(i, v && *v < 0 ? *v : kRegret, false);
            break;
          }
          // "auf das Paket habe ich aber 9 Tage gewartet", "Jakość
          // materiału jednak słaba" (de, pl): a contrast word after the clause's
          // subject, before any evidence, contrasts the whole clause with
          // what came before; it does not split it.
          const bool inside = postposed_contrast && label == kContrast &&
                              words_in_clause > 0 && own.back().hits == 0;
          if (words_in_clause > 0 && !inside) {
            close_clause(i);
          }
          if (inside && own.size() == 1) e.leading_contrast = true;
          if (label == kContrast) {
            OpenContrast(&own);
          } else {
            own.back().concession = true;
            concession_clause = true;
          }
          // "niestety", "leider" are connectives and complaints.
          if (m.end_token == i + 1) {
            std::optional<float> v = Lexicon::WordValence(view, tok.norm, tok.plain);
            if ((!v || *v == 0) && IsRegret(tok.plain)) v = kRegret;
            if (v && *v != 0) add(i, *v, false);
          }
          break;
        }
        case kIntensifier:
          intensity *= 1.5f;
          break;
        case kWorry:
          // "I was worried about the payment, but ...": a mild complaint,
          // and the clause's aspects follow what the worry turned into
          // (nlp/analyzer.cc).
          own.back().worry = true;
          add(i, kWorryValence, false);
          break;
        case kExcess:
          // "too late", "trop petit": the next word is a complaint, or a
          // stronger one ("too flimsy"; "trop bien" is praise, x1.5).
          excess = true;
          intensity *= 1.5f;
          break;
        case kDiminisher:
          intensity *= 0.6f;
          own.back().diminished = true;
          break;
        case kExpect:
          // "didn't expect such fast shipping": the negation is of the
          // expectation, so what follows keeps its sign.
          if (neg_scope > 0) {
            neg_scope = 0;
            ++e.constructions;
            surprise = true;
          } else {
            expect_words = kExpectWords;
            // "hätte deutlich mehr erwartet": the comparative before the verb.
            for (int k = i - 1; k >= own.back().first_token && k >= i - kExpectWords; --k) {
              if (t.tokens[k].kind == TokenKind::kWord && IsThan(t.tokens[k].plain)) break;
              if (t.tokens[k].kind == TokenKind::kWord && IsComparative(t.tokens[k].plain) &&
                  (k + 1 == i || !HasValence(view, t.tokens[k + 1]))) {
                const float prev = contrib[k - first];
                Clause& c = own.back();
                if (prev != 0) {
                  (prev > 0 ? c.positive : c.negative) -= std::fabs(prev);
                  c.lexicon_positive = std::min(c.lexicon_positive, c.positive);
                  c.lexicon_negative = std::min(c.lexicon_negative, c.negative);
                  contrib[k - first] = 0;
                }
                add(k, kDisappointed, true);
                expect_words = 0;
                break;
              }
            }
          }
          break;
        case kLast:
          // "wytrzymało", "lasted", "gehalten": a short span of time in the
          // sentence is a short life.
          lasted = true;
          break;
        case kLife: {
          // "after the first wash", "po pierwszym praniu": a short span for
          // a failure in its clause (a duration without an amount is no
          // wait).
          Duration d;
          d.clause = static_cast<int>(own.size()) - 1;
          d.days = 1;
          d.prep = DurationPrep::kAfter;
          durations.push_back(d);
          break;
        }
        case kPrior:
          prior = true;
          break;
        case kCease: {
          // "stopped", "przestał", "hörte auf", "dejó de": with a complaint
          // after it ("stopped squeaking", "przestał piszczeć") it turns
          // that word like a negator; otherwise it is the failure
          // ("przestał się włączać", "dejó de calentar").
          if (valence_follows(m.end_token, /*negative_only=*/true) && neg_scope == 0 &&
              !without) {
            neg_scope = kNegScope + 1;
            determiner_negation = false;
            ++e.constructions;
            break;
          }
          [[fallthrough]];
        }
        case kFailure: {
          // "Der Akku lädt nicht mehr so langsam": a failure phrase that
          // ends in a German "nicht mehr" ("lädt nicht mehr", "geht nicht
          // mehr") with a word with a valence after it negates that word,
          // as NOMORE does after a FUNCTION verb.
          if (german && NoMoreInside(t, m) && neg_scope == 0 && !without &&
              valence_follows(m.end_token, /*negative_only=*/false)) {
            neg_scope = kNegScope;
            determiner_negation = false;
            never = false;
            break;
          }
          // "fell off", "nie dotarł": a failure event. A negator inside the
          // phrase is its own ("nobody answered"), not a negation of it.
          add_failure(i, event_negated(m));
          break;
        }
        case kVerdict:
        case kTurn:
          // Fourteenth pass: "Overall, ...", "W sumie ...", "Insgesamt ...";
          // "Then ...", "Potem ...", "Dann ...": a sentence that opens with
          // a verdict or a story's turn (below, after the clauses).
          if (opens_sentence(i) && sentence_opener == Opener::kNone) {
            sentence_opener = label == kVerdict ? Opener::kVerdict : Opener::kTurn;
            opener_end = m.end_token;
          }
          break;
        case kConsequence:
          // "sent it back", "odesłałam", "liegt im Keller", "lo devolví": the
          // customer's verdict told as an act; a failure event ("didn't
          // have to send it back" is praise), unless the return was a
          // smooth process (below).
          add_failure(i, event_negated(m), /*consequence=*/true);
          break;
        case kFunction:
          // "lädt", "s'allume", "si accende": the product doing its job
          // (no valence of its own).
          function_verb = true;
          break;
        case kNoMore: {
          // A negation after its verb that says it ceased: German "lädt
          // seit gestern nicht mehr", "geht nach einer Woche nicht mehr";
          // French and Italian "plus", "più" after a negator that turned no
          // word ("ne tient plus", "non si accende più"). Right after a
          // complaint it turns it ("quietscht nicht mehr"); after a
          // FUNCTION verb of its clause, with no word with a valence after
          // it and no comparison ("nicht mehr als", "più di"), it is the
          // failure of that verb. Otherwise what it was before: German
          // "nicht" ("will ich gar nicht mehr ausziehen", "nicht mehr so
          // gut"), French and Italian "more".
          const bool romance_plus = !german;
          const bool negated = !romance_plus || neg_scope > 0;
          if (negated && turn_last(i, kNegScope, /*negative_only=*/true)) {
            neg_scope = 0;
            break;
          }
          const bool compares =
              m.end_token < end && IsNoMoreComparison(t.tokens[m.end_token].plain);
          if (negated && function_verb && !compares &&
              !valence_follows(m.end_token, /*negative_only=*/false)) {
            add_failure(i, /*negated=*/false);
            break;
          }
          if (!romance_plus) {
            neg_scope = kNegScope;  // "nicht", and "mehr" a word of its scope
            determiner_negation = false;
            never = false;
            break;
          }
          // "plus", "più": a plain word.
          const std::optional<float> v = Lexicon::Valence(view, tok.norm);
          if (v && *v != 0) {
            add(i, *v, false, /*lexicon=*/true);
          } else if (neg_scope > 0 && --neg_scope == 0) {
            bare_negation = true;
          }
          break;
        }
        case kCompare:
          // "faster than expected": strengthens the comparison before it.
          if (last_contrib >= 0) {
            contrib[last_contrib] *= 1.5f;
            Clause& c = own.back();
            const float v = contrib[last_contrib] / 1.5f;
            (v > 0 ? c.positive : c.negative) += 0.5f * std::fabs(v);
            ++e.constructions;
          }
          break;
        case kShrug:
          // "a day late, no big deal": the complaints before it in the
          // sentence do not count, and it praises nothing.
          for (Clause& c : own) c.negative = c.lexicon_negative = 0;
          for (float& c : contrib) c = std::max(c, 0.0f);
          shrugged = true;
          ++e.constructions;
          break;
        case kResolved: {
          // "sorted it in minutes", "wysłali nową", "hat alles geklärt": a
          // problem put right is praise, and (unless negated: "nobody
          // solved it") it resolves the complaints before it. A duration
          // with it reads as a wait's ("sorted it within 2 hours": quick,
          // "nobody sorted it for 3 weeks": slow).
          about_waiting = true;
          waited = true;
          if (neg_scope > 0 || without) {
            add(i, kResolvedValence, true);  // "nobody solved it": a complaint
          } else {
            own.back().resolution = true;  // praise only after a complaint (below)
          }
          break;
        }
        case kPutRight: {
          // "got my money back", "the replacement arrived", "reklamacja
          // została uznana", "Ersatz kam": a problem put right (or a bad
          // outcome avoided) told as an event is praise; negated ("never
          // got my money back") a complaint. A span of time with it is a
          // wait's ("the refund came back after three weeks").
          about_waiting = true;
          const bool negated = event_negated(m);
          if (!negated) neg_scope = 0, without = false;
          add(i, put_right_, true);
          if (!negated) ++e.put_rights;
          break;
        }
        case kConsolation:
          // "at least I got my money back": what was saved, not a verdict.
          ++e.consolations;
          break;
        case kRelief:
          // "I was worried ..., needlessly": the worries do not count.
          for (Clause& c : own) c.negative = c.lexicon_negative = 0;
          for (float& c : contrib) c = std::max(c, 0.0f);
          add(i, 0.5f, true);
          break;
        case kSarcasm:
          // "thanks for nothing": a complaint the model reads as thanks.
          add(i, -0.9f, true);
          ++e.sarcasms;
          break;
        case kQuestion:
        case kWhy:
          // "How stupid is that?", "How awesome is that.": an exclamation.
          if (IsExclamative(t, i, end, view)) {
            exclamation = true;
            break;
          }
          // The first word of the sentence, or of its second clause after
          // a greeting ("Dzień dobry, czy ..."), not a relative pronoun
          // after a longer clause ("..., który ...").
          if (words_in_clause == 0 &&
              (own.size() == 1 ||
               (own.size() == 2 &&
                own[0].end_token - own[0].first_token <= kGreetingTokens))) {
            opener = true;
            why = label == kWhy;
          }
          break;
        case kNote:
        case kTryOn:
          // "zamówienie", "Rechnung", "parcel": an order fact, no opinion.
          // TRYON ("two sizes", "zum Vergleichen"): one placed to choose
          // from (below: its return is the plan).
          ++e.notes;
          about_waiting = true;
          break;
        case kCalm:
          // "just letting you know", "nur zur Info", "no rush", "sin prisa":
          // the customer tells the shop something calmly. A note (the note
          // rule of SentimentClassifier::Compose(), with calm_words for its
          // length), no opinion; a complaint of its own still decides.
          ++e.notes;
          ++e.calms;
          break;
        case kDismiss:
          // Tenth pass: "no big deal", "all fine now", "fixed it myself",
          // "is it normal?": the customer dismisses a small problem, has
          // put it right or only asks. A calm marker (above) that also
          // weighs against the complaint (SentimentParams::dismiss_weight).
          // Negated ("no es normal", "not fine now") it dismisses nothing.
          if (neg_scope > 0 || without) break;
          ++e.notes;
          ++e.calms;
          ++e.dismissals;
          break;
        case kWait:
          // "czekałam", "took", "gewartet", "tardó": a span of time in the
          // sentence is a wait.
          about_waiting = true;
          waited = true;
          break;
        default:
          // Negative concord: "nie mam żadnych zastrzeżeń", "non mi è
          // servita a niente" are one negation, and a praise idiom with a
          // negator in it denies a problem.
          {
            const bool negated = neg_scope > 0 || without;
            bool denies = negated;
            for (int k = i; k < m.end_token; ++k) {
              if (negators_.contains(t.tokens[k].plain)) {
                neg_scope = 0;
                without = false;
                denies = true;
              }
            }
            // A praise idiom ("does the job", "tut was es soll").
            const float v = valences_[label - kFirstValence];
            if (m.end_token - i > 1 && !negated && v > 0) {
              if (denies) {
                ++e.denials;
              } else if (v >= kDecisiveIdiom) {
                ++e.praise_idioms;
              }
            }
          }
          if (surprise_degree && valences_[label - kFirstValence] == 0) {
            add(i, kSurprise, true);  // "no esperaba tanta calidad"
          } else if (valences_[label - kFirstValence] != 0 &&
              !DiscourseMarker(t, first, end, i, m.end_token,
                               valences_[label - kFirstValence])) {
            // An idiom is a construction; a single table word is evidence
            // the model may already have.
            add(i, valences_[label - kFirstValence], m.end_token - i > 1);
          }
          break;
      }
      words_in_clause += m.end_token - i;
      i = m.end_token - 1;
      continue;
    }
    if (tok.kind != TokenKind::kWord && tok.kind != TokenKind::kEmoji &&
        tok.kind != TokenKind::kEmoticon) {
      continue;
    }
    ++words_in_clause;
    if (tok.kind == TokenKind::kWord) {
      if (std::optional<Duration> d = ReadDuration(t, first, end, i)) {
        d->clause = static_cast<int>(own.size()) - 1;
        durations.push_back(*d);
        continue;
      }
    }
    // lexicon.tsv gives some one-letter words a valence (the emoji list's
    // circled letters "ⓘ", "Ⓦ" normalise to Polish "i" +1.0, "w" +0.4;
    // models/README.md): no one-letter word carries an opinion.
    if (tok.kind == TokenKind::kWord && tok.plain.size() == 1) {
      if (neg_scope > 0) --neg_scope;
      continue;
    }
    // An emoji or emoticon ends a negation's scope and is not negated
    // itself: it closes a thought ("Lepiej trafić nie mogłam 🙂 Buty
    // wygodne": the "nie" is not the comfort's).
    if ((tok.kind == TokenKind::kEmoji || tok.kind == TokenKind::kEmoticon)) {
      neg_scope = 0;
      without = false;
    }
    // Irony emoji ("przyszły różowe 🙃"): a complaint whatever the
    // praise around them says (the table cannot hold them: its phrases are
    // keyed by ASCII-folded forms, which an emoji does not have).
    if (tok.kind == TokenKind::kEmoji && IsIronyEmoji(tok.norm)) {
      add(i, kIronyValence, true);
      continue;
    }
    std::optional<float> v = tok.kind == TokenKind::kWord
                                 ? (stems ? word_valence(i) : Lexicon::Valence(view, tok.norm))
                                 : Lexicon::Valence(view, tok.norm);
    if (!v && german && tok.kind == TokenKind::kWord) {
      if ((v = SuffixShift(view, tok.plain))) {
        add(i, *v, true);
        continue;
      }
    }
    if (!v && romance_superlatives && tok.kind == TokenKind::kWord) {
      v = Superlative(view, tok.plain);
    }
    if (!v && romance && tok.kind == TokenKind::kWord) {
      v = RomanceInflection(view, tok.norm);
    }
    if (v && *v != 0 && DiscourseMarker(t, first, end, i, i + 1, *v)) {
      v.reset();
    }
    if (v && *v != 0) {
      // The general lexicon is noisier than the table: it weighs less
      // unless a construction turns it around.
      add(i, *v, false, /*lexicon=*/true);
    } else if (after_excess && tok.kind == TokenKind::kWord) {
      intensity = 1.0f;
      add(i, kExcessValence, true);
    } else if (surprise_degree && tok.kind == TokenKind::kWord) {
      intensity = 1.0f;
      add(i, kSurprise, true);  // "une telle finition"
    } else {
      if (neg_scope > 0 && --neg_scope == 0) bare_negation = true;
      if (without && ++without_words > 2) without = false;
      if (IsYet(tok.plain)) yet = true;
    }
  }
  own.back().end_token = end;
  if (concession_clause) own.back().weight *= concession_weight();
  if (own.back().first_token >= end && own.size() > 1) own.pop_back();
  // "..., I am devastated!!!": a complaint shouted is distress (for
  // urgency; the label does not change).
  if (bangs >= kDistressBangs && own.back().negative > 0) {
    e.distress += (kDistress - 1.0f) * own.back().weight * own.back().negative;
  }
  // A wait of kSlowDays or more is a complaint ("dostawa trwała dwa
  // tygodnie", "9 Tage gewartet", "after 3 weeks"); an answer, delivery
  // or refund within kFastDays is praise ("w 3 dni", "within an hour").
  int short_life = -1;  // the clause of a short life ("lasted two days")
  // The clause of a failure's short life that opens the sentence; -1: none.
  int life_turn = -1;
  // A failure with a span of time or a LIFE marker in its clause, or in
  // the clause before it when that one holds no evidence ("Po tygodniu,
  // przestał się włączać"): a short life too.
  if (!lasted && !failures.empty()) {
    for (size_t ci = 0; ci < own.size(); ++ci) {
      Clause& c = own[ci];
      // A consequence is no short life ("sent it back within a week").
      if (std::none_of(failures.begin(), failures.end(), [&](const Failure& f) {
            return f.clause == static_cast<int>(ci) && !f.consequence;
          })) {
        continue;
      }
      const bool life = std::any_of(durations.begin(), durations.end(), [&](const Duration& d) {
        return d.days <= kFailureLifeDays &&
               (d.clause == static_cast<int>(ci) ||
                (d.clause + 1 == static_cast<int>(ci) && own[ci - 1].hits == 0));
      });
      if (!life) continue;
      // "Am zweiten Tag ist die Kufe abgebrochen", "After a week the strap
      // snapped": a sentence that opens with a short life turns the story
      // told before it, as a sentence that opens with "but" does.
      if (life_turn < 0 && (ci == 0 || (ci == 1 && own[0].hits == 0))) {
        life_turn = static_cast<int>(ci);
      }
      c.negative -= kShortLifeValence;
      ++c.hits;
      ++e.hits;
      ++e.constructions;
      failures.push_back(Failure{static_cast<int>(ci), kShortLifeValence,
                                 kFailureQuestionShare, false});
    }
  }
  for (const Duration& d : durations) {
    float v = 0;
    bool wait = true;  // a wait, not a short life (Clause::wait)
    if (lasted && d.days <= kShortLifeDays && d.prep != DurationPrep::kSince) {
      v = kShortLifeValence;
      wait = false;
      short_life = d.clause;
    } else if (!about_waiting) {
      continue;
    } else if (d.days >= kSlowDays && d.prep != DurationPrep::kWithin &&
        (d.prep != DurationPrep::kSince || waited)) {
      v = kSlowValence;
    } else if (d.days <= kFastDays && d.amount && waited &&
               (d.prep == DurationPrep::kWithin || d.prep == DurationPrep::kAfter)) {
      // "broke within days", "kaputt nach 2 Tagen": quick, but no praise
      // without a wait word and an amount.
      v = kFastValence;
    }
    if (v == 0) continue;
    Clause& c = own[static_cast<size_t>(std::min<int>(d.clause, static_cast<int>(own.size()) - 1))];
    if (wait) c.wait = true;
    (v > 0 ? c.positive : c.negative) += std::fabs(v);
    ++c.hits;
    ++e.hits;
    ++e.constructions;
  }
  // "Sent it back, the refund came within three days, no hassle": a return
  // told as a smooth process is praise of the return, not a verdict, and
  // one told with an order fact ("Zwei Artikel retourniert, Gutschrift ist
  // sichtbar": a NOTE word) a note. When the sentence holds no complaint
  // but its consequences and there is praise in the clause of the first
  // one or after it, or a NOTE word, the consequences carry nothing.
  if (std::any_of(failures.begin(), failures.end(), [](const Failure& f) { return f.consequence; })) {
    float negative = 0;
    int first_consequence = static_cast<int>(own.size());
    for (const Failure& f : failures) {
      negative -= f.consequence ? std::fabs(f.valence) : 0;
      if (f.consequence) first_consequence = std::min(first_consequence, f.clause);
    }
    bool praise = false;
    for (size_t ci = 0; ci < own.size(); ++ci) {
      // A worry is no complaint ("dreaded sending it back, painless").
      negative += own[ci].negative - (own[ci].worry ? std::fabs(kWorryValence) : 0.0f);
      praise |= static_cast<int>(ci) >= first_consequence && own[ci].positive > 0;
    }
    // Fifteenth pass: an order placed to choose from (TRYON) may be told in
    // an earlier sentence ("Ordered two sizes to try on. The 12 goes
    // back."): its returns are the plan.
    auto try_on_before = [&] {
      bool found = false;
      if (first > 0) {
        matcher_->Scan(t, 0, first, matcher_->LanguageMask(language),
                       [&](const TermMatcher::Match& m) { found |= m.label == kTryOn; });
      }
      return found;
    };
    if (negative < 1e-4f && (praise || e.notes > 0 || try_on_before())) {
      for (const Failure& f : failures) {
        if (!f.consequence) continue;
        Clause& c = own[static_cast<size_t>(f.clause)];
        c.negative = std::max(0.0f, c.negative - std::fabs(f.valence));
        c.failure = false;
        --c.hits;
        --e.hits;
        --e.constructions;
      }
      failures.erase(std::remove_if(failures.begin(), failures.end(),
                                    [](const Failure& f) { return f.consequence; }),
                     failures.end());
    }
  }
  // "Super jakość, aż dwa dni wytrzymało", "Amazing quality, lasted a
  // whole two days": the praise before a short life is sarcastic.
  for (int j = 0; j < short_life && j < static_cast<int>(own.size()); ++j) {
    Clause& c = own[static_cast<size_t>(j)];
    if (c.negative > 0 || c.positive == 0) continue;
    TurnSarcastic(kSarcasmShare, &c, &e);
  }
  // "Stellar communication: five emails, zero answers": praise of at most
  // kColonPraiseWords words before a colon, and what follows complains.
  if (own.size() >= 2 && own[0].end_token > own[0].first_token &&
      t.tokens[own[0].end_token - 1].norm == ":" && own[0].negative == 0 &&
      own[0].positive >= kSarcasticPraise) {
    int praise_words = 0;
    for (int i = own[0].first_token; i < own[0].end_token; ++i) {
      praise_words += t.tokens[i].kind == TokenKind::kWord;
    }
    float rest = 0;
    bool only = false;  // "Great product: the only downside is the price"
    for (size_t j = 1; j < own.size(); ++j) {
      rest += own[j].Net();
      for (int i = own[j].first_token; i < own[j].end_token; ++i) {
        only |= IsOnly(t.tokens[i].plain);
      }
    }
    if (praise_words <= kColonPraiseWords && rest < 0 && !only) {
      TurnSarcastic(kSarcasmShare, &own[0], &e);
    }
  }

  // "What a great product!" opens like a question and is not one;
  // "?!" is indignation, not a question.
  // Without a '?' only a short sentence is read as a question by its
  // opener ("Kiedy wysyłka"): a longer one is more often an exclamation
  // or a statement ("Que lindo día el de hoy", "Quand la moule menace ...").
  int words = 0;
  for (int i = first; i < end; ++i) words += t.tokens[i].kind == TokenKind::kWord;
  question = (question || (opener && words <= kOpenerWords)) && !exclamation;
  // A query ("Czy materiał się nie mechaci?", "Does it struggle with
  // frozen fruit?") names what could go wrong without saying it did; "why"
  // ("Dlaczego nikt nie odpowiada?") asks about what did.
  const float q = !question ? 1.0f
                  : why     ? kWhyQuestionWeight
                  : opener  ? kQueryWeight
                            : kQuestionWeight;
  e.questions = question;
  // The turn is a "but" without the word: the sentences before it weigh
  // kBeforeContrastWeight (JoinPolarity), and its clause is the one after
  // the contrast (PolarityEvidence::buts, after_contrast).
  if (life_turn >= 0 && !question && !e.leading_contrast &&
      std::none_of(own.begin(), own.end(), [](const Clause& c) { return c.contrast; })) {
    e.leading_contrast = true;
    own[static_cast<size_t>(life_turn)].contrast = true;
    ++e.constructions;
  }
  // Fourteenth pass: "... Overall, I would not buy it again", "... W sumie
  // wracam do starego", "... Then it stopped charging": a sentence that
  // opens with a verdict (VERDICT) or with a story's turn (TURN) and
  // holds evidence is a "but" without the word, as a short life above: its
  // clause decides, and the sentences before it weigh
  // kBeforeContrastWeight when it goes against them (JoinPolarity).
  // A verdict decides without evidence of its own too (the clause model
  // may read it: nlp/analyzer.cc DecidingClauseLabel); a turn with none
  // is only the story going on ("Then I put it together").
  if (sentence_opener != Opener::kNone && !question && !e.leading_contrast &&
      std::none_of(own.begin(), own.end(), [](const Clause& c) { return c.contrast; })) {
    int k = -1;
    for (size_t ci = 0; ci < own.size() && k < 0; ++ci) {
      if (own[ci].hits > 0 && own[ci].Net() != 0) k = static_cast<int>(ci);
    }
    // "Overall, ...": the clause after the marker's own.
    if (k < 0 && sentence_opener == Opener::kVerdict) {
      k = own.size() > 1 && own[0].end_token <= opener_end + 1 ? 1 : 0;
    }
    if (k >= 0) {
      e.opener_turn = true;
      own[static_cast<size_t>(k)].contrast = true;
      ++e.constructions;
    }
  }
  // "Does it leak?", "¿Se despega la suela?": a failure asked about did
  // not happen (yet); "why did it break?" tells that it did.
  if (question && !why) {
    for (const Failure& f : failures) {
      own[static_cast<size_t>(f.clause)].negative -=
          (1.0f - f.question_share) * std::fabs(f.valence);
    }
  }
  // "Thanks", "Danke!": a short sentence whose only evidence is mild praise.
  if (!question && words <= 2 && own.size() == 1 && own[0].negative == 0 &&
      own[0].positive > 0 && own[0].positive <= 0.2f) {
    e.courtesies = 1;
  }
  // "Brilliant.", "Brawo.": one praise word standing alone (JoinPolarity:
  // sarcasm after a complaint).
  // "WOW!" is delight, not irony.
  e.lone_praise = !question && !exclamation && words == 1 && own.size() == 1 &&
                  own[0].negative == 0 && own[0].positive >= kSarcasticPraise;
  // "Great, broke on day two", "Brawo, ...": a praise word standing alone
  // (at most one particle with it) before a comma, and a complaint in the
  // rest of the sentence ("No pięknie, zamówiłam czarne, przyszły różowe 🙃").
  if (own.size() >= 2 && own[0].hits == 1 && own[0].negative == 0 &&
      own[0].positive >= kSarcasticPraise && RestNet(own) < 0) {
    // "Great," or "No rewelacja,": not "Prodotto ottimo," (an aspect's
    // praise before its complaint is a contrast, not sarcasm).
    static constexpr std::string_view kParticles[] = {
        "no", "oh", "och", "ach", "wow", "well", "really", "na", "ja", "echt",
        "naprawde", "vraiment", "davvero", "que", "che", "ah"};
    int praise_words = 0;
    bool particle = false;
    for (int i = own[0].first_token; i < own[0].end_token; ++i) {
      // A score counts as words: "Produkt 5/5, ..." is no sarcasm.
      if (t.tokens[i].kind == TokenKind::kNumber) praise_words += 2;
      if (t.tokens[i].kind != TokenKind::kWord) continue;
      ++praise_words;
      particle |= InWordList(t.tokens[i].plain, kParticles);
    }
    if (praise_words == 1 || (praise_words == 2 && particle)) {
      TurnSarcastic(1.0f, &own[0], &e);
    }
  }
  // A worry followed by praise is relief ("I was sceptical, and these
  // turned out to be the best headphones"): the worry and what was feared
  // do not count.
  for (size_t ci = 0; ci < own.size(); ++ci) {
    if (!own[ci].worry) continue;
    size_t k = ci + 1;
    while (k < own.size() && own[k].Net() <= 0) ++k;
    if (k == own.size()) continue;
    for (size_t j = ci; j < k; ++j) {
      own[j].negative = own[j].lexicon_negative = 0;
      own[j].relieved_by = static_cast<int>(k - j);
    }
    // The praise that relieved it across a "but" is the construction's,
    // not a plain lexicon word ("I was sceptical, but I'm impressed").
    if (own[k].contrast) own[k].lexicon_positive = 0;
    ++e.constructions;
  }
  // A complaint before a resolution in its sentence ("My card payment
  // failed at first, but support sorted it in minutes") was put right: the
  // resolution is praise (kResolvedValence) and the sentence counts in
  // PolarityEvidence::resolutions (no MIXED). Without a complaint before
  // it a RESOLVED word carries nothing ("pomogli wyjaśnić mechanizm").
  for (size_t k = 1; k < own.size(); ++k) {
    if (!own[k].resolution) continue;
    bool complained = false;
    for (size_t j = 0; j < k; ++j) complained |= own[j].Net() < 0;
    if (!complained) continue;
    own[k].positive += kResolvedValence;
    ++own[k].hits;
    ++e.hits;
    ++e.constructions;
    ++e.resolutions;
  }
  // Contrast as evidence: the connective itself says that the clause it
  // opens turns against what came before ("Gorgeous finish, but the paint
  // was flaking off", "Płatność nie przeszła, ale konsultant od razu
  // pomógł"). A clause after "but" with no evidence of its own takes
  // kContrastDefault against the net evidence of the clauses before it; so
  // does the main clause of a concession ("Obwohl die App modern aussieht,
  // findet die Suche nicht mal einfache Artikel").
  if (!question) ContrastDefaults(&own, &e);
  if (neg_scope > 1) bare_negation = true;  // the negation ends the sentence
  // English only: its NOTE words ("bought", "card", "review", "item")
  // are everyday words of opinions too; Polish "nie ma" is a note's
  // ("paczki nie ma, pewnie u sąsiadów": nlp/eval dev -2 cases).
  e.failures = bare_negation && !yet && LanguageIs(language, "en");
  // Nothing left but a shrug: no opinion (NEUTRAL unless the model is sure).
  if (shrugged && std::all_of(own.begin(), own.end(),
                              [](const Clause& c) { return c.Net() == 0; })) {
    e.hits = 0;
    for (Clause& c : own) c.hits = 0;
  }
  for (Clause& c : own) {
    c.question = question;
    e.contrasts += c.contrast || c.concession;
    e.buts += c.contrast;
    if (c.contrast) e.after_contrast = c.weight * q * c.Net();
    const float w = c.weight * q;
    const float pos = c.positive - c.lexicon_positive;
    const float neg = c.negative - c.lexicon_negative;
    e.positive += w * pos;
    e.negative += w * neg;
    e.lexicon_positive += w * c.lexicon_positive;
    e.lexicon_negative += w * c.lexicon_negative;
    e.best_positive = std::max(e.best_positive, w * pos);
    e.best_negative = std::max(e.best_negative, w * neg);
  }
  if (clauses != nullptr) clauses->insert(clauses->end(), own.begin(), own.end());
  return e;
}

}  // namespace opinia::nlp
