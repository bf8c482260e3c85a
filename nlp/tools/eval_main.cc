// opinia-eval: runs the full analyzer over labelled TSV files (the
// ../shared/data format) and prints accuracy, macro-F1, per-class
// precision/recall, the confusion matrix, language-ID accuracy per language
// and throughput.
//
//   opinia-eval --models=DIR [--stars] [--hint] [--source=NAME]
//               [--dump=FILE] [--no_rules] [--no_meta]
//               [--lid=combined|fasttext|cld2] [--rule_weight=F]
//               [--emoji_weight=F] [--neutral_margin=F]
//               [--meta_rule_weight=F] [--meta_emoji_weight=F]
//               [--composed_rule_weight=F] [--composed_rule_words=F]
//               [--mixed_over_arbiter_words=F]
//               [--rating_weight=F] [--length_k=MODEL:K]
//               [--no_route_tweets] [--router_threshold=F]
//               [--no_router_aspect_gate] [--no_composition]
//               [--compose_weight=F] [--compose_weights=LANG:W,...]
//               [--neutral_keep=F] [--mixed_min=F]
//               [--borrowed_compose_weight=F] [--model_reads_conceded]
//               [--mixed_words=F] [--compose_words=F]
//               [--compose_lexicon=F] [--compose_plain_words=F]
//               [--compose_plain=F] [--deciding_clause_off=LANG,...] FILE.tsv...
//   opinia-eval --models=DIR --cases=nlp/eval --split=dev|test|all
//   opinia-eval --models=DIR --cases=nlp/corpus --table=shop --split=corpus_dev
//               [--table=NAME] [--lang=pl,en,...] [--dump] [--trace]
//
// --stars passes the file's star rating to the analyzer (star fusion);
// --hint passes the file's language as language_hint. Without them the
// numbers are text-only. --source=NAME passes NAME as every example's
// platform (AnalyzeOptions::source), as a collector would. --dump=FILE
// appends "lang gold predicted detected_lang score text" per example.
// --no_route_tweets scores English texts that look like tweets with the
// review model. --router_threshold sets the P(post) at or above which an
// unmarked text goes to the tweet model (nlp/tweet_router.h; > 1: never;
// without it each language's TweetRouter::Threshold());
// --no_router_aspect_gate lets the router move texts that name a shop
// aspect;
// each report counts the texts the analyzer's router read as posts
// (Analysis::route; none with --no_route_tweets). Throughput counts
// Analyze() calls only.
//
// --cases=DIR scores the full analyzer on the hand-written case table
// DIR/<NAME>_<lang>.tsv, NAME from --table (default cases; the third- and
// fourth-pass tables are cases3, cases4) (nlp/eval/README.md; scoring in
// nlp/tools/eval_cases.h): per language and category the label accuracy,
// aspects found and with the right polarity, urgency false alarms, misses
// and reason recall, then the language's totals. Each case gets its star
// rating, no language hint and no source. --split picks the half of the
// table (dev: FNV-1a 64 of the id even; test: odd); the test half is for
// one run at the end. --dump prints every case's expected and predicted
// values (--dump_evidence: with each reported aspect's first evidence
// spans, "(unnamed)" when no clause names it); --trace does too, and after
// each case a "#TRACE" line with what the label arbiter read (the composed
// label, the review model, the clause models, the rules' evidence: the
// fifteenth pass's census). --no_aspect_signs leaves
// models/aspect_signs.meta out. Without --lang, a language the table has
// no file for is skipped.
// --table=shop --split=corpus_dev scores the same way the dev part of the
// shop corpus (nlp/corpus/README.md), the fifth no model is trained on.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "nlp/analyzer.h"
#include "nlp/analyzer_config.h"
#include "nlp/label_arbiter.h"
#include "nlp/tools/eval_cases.h"
#include "nlp/tools/tsv.h"

namespace opinia::nlp::tools {
namespace {

const char* LabelName(SentimentLabel l) {
  switch (l) {
    case SentimentLabel::kPositive: return "positive";
    case SentimentLabel::kNegative: return "negative";
    case SentimentLabel::kNeutral: return "neutral";
    case SentimentLabel::kMixed: return "mixed";
    default: return "unspecified";
  }
}

// Counts the texts the analyzer's router (nlp/tweet_router.h) moved to the
// tweet model: unmarked texts read as posts (Analysis::route; the marked
// ones and social sources not counted).
class RouteCounter {
 public:
  void Add(const Analysis& a) {
    ++seen_;
    moved_ += a.route == TextRoute::kRoutedPost;
  }
  void Print() {
    std::printf("  router: %d of %d texts read as posts\n", moved_, seen_);
    moved_ = seen_ = 0;
  }

 private:
  int moved_ = 0, seen_ = 0;
};

struct Flags {
  std::string models = "models";
  bool stars = false;
  bool hint = false;
  std::string source;  // --source: the platform every example came from
  std::string dump;    // --dump: one line per example, for error analysis
  AnalyzerConfig config;
  std::vector<std::string> files;
  std::string cases;  // --cases: the case table's directory
  std::string table = "cases";  // --table: the files' name before _<lang>.tsv
  bool langs_set = false;
  Split split = Split::kDev;
  bool split_set = false;
  std::vector<std::string> langs = {"pl", "en", "de", "es", "fr", "it"};
  bool dump_cases = false;
  bool dump_evidence = false;  // --dump_evidence: --dump with aspect evidence
};

void DumpCase(const EvalCase& c, const CaseScore& s, const Analysis& a, bool evidence,
              bool trace) {
  std::string expected_aspects, got_aspects, labels;
  for (const ExpectedAspect& e : c.aspects) {
    absl::StrAppend(&expected_aspects, expected_aspects.empty() ? "" : ";",
                    AspectName(e.aspect), ":",
                    e.polarity == Polarity::kPos   ? "POS"
                    : e.polarity == Polarity::kNeg ? "NEG"
                                                   : "NEU");
  }
  for (const AspectSentiment& g : a.aspects) {
    absl::StrAppendFormat(&got_aspects, "%s%s:%.2f", got_aspects.empty() ? "" : ";",
                          AspectName(g.aspect), g.sentiment.score);
    if (evidence) {  // --dump_evidence: "(unnamed)" and its first 3 spans
      absl::StrAppend(&got_aspects, g.named ? "" : "(unnamed)", "[");
      for (size_t k = 0; k < g.evidence.size() && k < 3; ++k) {
        const Span& sp = g.evidence[k];
        absl::StrAppend(&got_aspects, k ? "|" : "",
                        c.text.substr(sp.begin, std::min<size_t>(sp.end - sp.begin, 40)));
      }
      absl::StrAppend(&got_aspects, "]");
    }
  }
  for (SentimentLabel l : c.labels) {
    absl::StrAppend(&labels, labels.empty() ? "" : "|", CaseLabelName(l));
  }
  std::string reasons;
  for (const std::string& r : a.urgency.reasons) {
    absl::StrAppend(&reasons, reasons.empty() ? "" : ";", r);
  }
  std::printf("%s\t%s\t%s\t%s %.2f\t%s\t%s\t%s\tP%d %s\t%s\n", c.id.c_str(),
              s.label_right ? "ok" : "WRONG", labels.c_str(),
              CaseLabelName(a.sentiment.label), a.sentiment.score,
              expected_aspects.c_str(), got_aspects.c_str(),
              c.urgent ? "urgent" : "-", static_cast<int>(a.urgency.priority),
              reasons.c_str(), c.text.c_str());
  // --trace: what the label arbiter read (its features as
  // LabelArbiterFeatures() computes them; a routed post has none).
  if (trace) {
    const LabelArbiterTrace& tr = ThreadLabelArbiterTrace();
    if (tr.features.size() > 40) {
      const std::vector<float>& x = tr.features;
      std::printf("#TRACE\t%s\tcomposed=%s %.2f\tmodel p/n/u/m=%.2f/%.2f/%.2f/%.2f\tclause=%.2f..%.2f\t"
                  "ev +%.2f -%.2f lex +%.2f -%.2f\tq=%.2f noop=%.0f notes=%.0f fail=%.0f\tw=%.0f bp=%.2f bn=%.2f dis=%.2f sarc=%.0f res=%.0f den=%.0f\n",
                  c.id.c_str(), CaseLabelName(tr.composed.label), tr.composed.score, x[5], x[6], x[7],
                  x[8], x[18], x[19], x[21], x[22], x[23], x[24], x[31], x[33], x[34], x[35],
                  std::exp(x[40]) - 1, x[13], x[14], x[32], x[30], x[28], x[29]);
    }
  }
}

// opinia-eval --cases: see the file comment.
int RunCases(const Flags& f, const Analyzer& analyzer) {
  if (f.split == Split::kTest || f.split == Split::kAll) {
    std::fprintf(stderr, "test split: run once at the end\n");
  }
  for (const std::string& lang : f.langs) {
    const std::string path = f.cases + "/" + f.table + "_" + lang + ".tsv";
    std::ifstream in(path, std::ios::binary);
    if (!in && !f.langs_set) continue;
    if (!in) {
      std::cerr << "cannot open " << path << "\n";
      return 1;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto cases = ParseCases(text.str(), path);
    if (!cases.ok()) {
      std::cerr << cases.status() << "\n";
      return 1;
    }
    std::map<std::string, Tally> by_category;
    RouteCounter routes;
    for (const EvalCase& c : *cases) {
      if (!InSplit(c.id, f.split)) continue;
      AnalyzeOptions o;
      o.rating = c.rating;
      const Analysis a = analyzer.Analyze(c.text, o);
      routes.Add(a);
      const CaseScore s = ScoreCase(c, a);
      by_category[c.category].Add(c, s);
      if (f.dump_cases) DumpCase(c, s, a, f.dump_evidence, f.config.trace_label_arbiter);
    }
    std::printf("%s", FormatLanguageReport(lang, by_category).c_str());
    routes.Print();
  }
  return 0;
}

void Report(const std::string& name, const std::vector<Example>& ex,
            const std::vector<Analysis>& out, double seconds, size_t bytes) {
  const std::vector<std::string> classes = {"positive", "negative", "neutral",
                                            "mixed"};
  std::map<std::string, std::map<std::string, int>> confusion;  // gold->pred
  std::map<std::string, std::pair<int, int>> lid;                // lang->(ok,n)
  std::map<std::string, std::vector<int>> by_lang;  // lang -> example idx
  int correct = 0;
  for (size_t i = 0; i < ex.size(); ++i) {
    std::string pred = LabelName(out[i].sentiment.label);
    confusion[ex[i].label][pred]++;
    correct += pred == ex[i].label;
    auto& l = lid[ex[i].lang];
    l.first += out[i].language == ex[i].lang;
    l.second++;
    by_lang[ex[i].lang].push_back(static_cast<int>(i));
  }
  std::vector<std::string> gold;  // classes present in the gold labels
  for (const auto& c : classes) {
    if (confusion.count(c)) gold.push_back(c);
  }
  auto macro_f1 = [&](const std::vector<int>& idx, bool print) {
    std::map<std::string, std::map<std::string, int>> cm;
    for (int i : idx) cm[ex[i].label][LabelName(out[i].sentiment.label)]++;
    double f1sum = 0;
    for (const auto& c : gold) {
      int tp = cm[c][c], pred_c = 0, gold_c = 0;
      for (const auto& g : classes) pred_c += cm[g][c];
      for (const auto& p : classes) gold_c += cm[c][p];
      double p = pred_c ? static_cast<double>(tp) / pred_c : 0;
      double r = gold_c ? static_cast<double>(tp) / gold_c : 0;
      double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
      f1sum += f1;
      if (print) {
        std::printf("  %-9s precision %.3f recall %.3f f1 %.3f (n=%d)\n",
                    c.c_str(), p, r, f1, gold_c);
      }
    }
    return gold.empty() ? 0.0 : f1sum / static_cast<double>(gold.size());
  };
  std::vector<int> all(ex.size());
  for (size_t i = 0; i < ex.size(); ++i) all[i] = static_cast<int>(i);
  std::printf("== %s (%zu examples)\n", name.c_str(), ex.size());
  std::printf("  accuracy %.4f\n",
              ex.empty() ? 0.0 : static_cast<double>(correct) / ex.size());
  double mf1 = macro_f1(all, true);
  std::printf("  macro-F1 %.4f (over %zu gold classes)\n", mf1, gold.size());
  std::printf("  confusion (rows gold, cols predicted):\n  %-9s", "");
  for (const auto& c : classes) std::printf(" %9s", c.c_str());
  std::printf("\n");
  for (const auto& g : gold) {
    std::printf("  %-9s", g.c_str());
    for (const auto& c : classes) std::printf(" %9d", confusion[g][c]);
    std::printf("\n");
  }
  if (by_lang.size() > 1) {
    std::printf("  per language: ");
    for (const auto& [l, idx] : by_lang) {
      int ok = 0;
      for (int i : idx) ok += LabelName(out[i].sentiment.label) == ex[i].label;
      std::printf("%s acc %.3f F1 %.4f ", l.c_str(),
                  static_cast<double>(ok) / static_cast<double>(idx.size()), macro_f1(idx, false));
    }
    std::printf("\n");
  }
  std::printf("  language-id accuracy:");
  for (const auto& [l, p] : lid) {
    std::printf(" %s %.3f", l.c_str(),
                static_cast<double>(p.first) / static_cast<double>(p.second));
  }
  std::printf("\n  throughput: %.0f reviews/s, %.2f MB/s (%.3f s, %zu bytes, "
              "1 thread)\n",
              static_cast<double>(ex.size()) / seconds,
              static_cast<double>(bytes) / 1e6 / seconds, seconds, bytes);
}

}  // namespace
}  // namespace opinia::nlp::tools

constexpr const char* kUsage =
    "usage: opinia-eval --models=DIR [flags] FILE.tsv...\n"
    "       opinia-eval --models=DIR --cases=DIR --split=dev|test|all|corpus_dev"
    " [--table=NAME] [--lang=pl,en,...] [--dump] [--trace]\n"
    "flags: --stars --hint --source=NAME --dump=FILE --no_rules --no_meta\n"
    "  --no_route_tweets --router_threshold=F --no_router_aspect_gate\n"
    "  --lid=combined|fasttext|cld2 --length_k=MODEL:K\n"
    "  --lid_polish_letters=N (speed setting, default 2, off: 0; nlp/analyzer_config.h)\n"
    "  --rule_weight=F --emoji_weight=F --meta_rule_weight=F --composed_rule_weight=F\n"
    "  --composed_rule_words=F --mixed_over_arbiter_words=F\n"
    "  --meta_emoji_weight=F --neutral_margin=F --rating_weight=F\n"
    "  --no_composition --no_neutral_raw --compose_weight=F --compose_weights=LANG:W,...|-\n"
    "  --compose_words=F --deciding_clause_off=LANG,...|-\n"
    "  --compose_lexicon=F --compose_plain_words=F --compose_plain=F\n"
    "  --neutral_keep=F --neutral_keep_untempered=F --mixed_min=F --mixed_words=F\n"
    "  --mixed_ratio=F --mixed_sides_unweighted=F --mixed_skips_sarcasm=F\n"
    "  --mixed_over_arbiter_aspects=F --mixed_own_language_words=F\n"
    "  --mixed_either_order=F --mixed_unnamed=F\n"
    "  --note_keep=F --note_lexicon=F --no_note_failures --no_aspects_follow_review\n"
    "  --no_aspects_deciding_side --aspects_deciding_side --model_reads_conceded --no_aspect_signs --dump_evidence\n"
    "  --no_aspects_late_turn --late_reading=F --late_reading_sign_change\n"
    "  --late_reading_words=F --late_reading_score=F --late_reading_to_negative_only\n"
    "  --late_reading_after_arbiter --late_reading_early=F\n"
    "  --story_end=F --story_end_early=F --story_end_to_positive --story_end_not_from_mixed\n"
    "  --late_praise=F --late_praise_score=F --late_praise_sentences=F --late_praise_early=F\n"
    "  --late_praise_words=F --late_praise_turn --late_praise_last=F --late_praise_after_arbiter\n"
    "  --aspects_late_part --no_aspects_late_part --no_label_arbiter --no_urgency18\n"
    "  --note_words=F --calm_words=F --calm_relief=F --dismiss_weight=F\n"
    "  --middle_mixed=F --put_right=F --put_right_decides=F --put_right_lexicon=F\n"
    "  --put_right_last=F\n"
    "  --put_right_after_arbiter --more_events --reply_failures --no_reply_failures\n"
    "  --blind_complaint=F --blind_complaint_score=F --deciding_skips_dismissed --no_deciding_skips_dismissed\n"
    "  --compose_construction=F --contrast_decides=F\n"
    "  --contrast_override=F --contrast_override_words=F --denial_lexicon=F\n"
    "  --evidence_over_neutral=F --evidence_over_neutral_words=F\n"
    "  --borrowed_compose_weight=F\n"
    "(meaning of each: the comment at the top of nlp/tools/eval_main.cc and\n"
    "nlp/sentiment.h, SentimentParams)\n";

int main(int argc, char** argv) {
  using namespace opinia::nlp;         // NOLINT
  using namespace opinia::nlp::tools;  // NOLINT
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto fl = [&](const char* name, float* v) {
      std::string p = std::string("--") + name + "=";
      if (!absl::StartsWith(a, p)) return false;
      return absl::SimpleAtof(a.substr(p.size()), v);
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (absl::StartsWith(a, "--models=")) f.models = a.substr(9);
    else if (a == "--stars") f.stars = true;
    else if (a == "--hint") f.hint = true;
    else if (absl::StartsWith(a, "--source=")) f.source = a.substr(9);
    else if (absl::StartsWith(a, "--dump=")) f.dump = a.substr(7);
    else if (a == "--dump") f.dump_cases = true;
    else if (a == "--dump_evidence") f.dump_cases = f.dump_evidence = true;
    else if (a == "--trace") f.dump_cases = true, f.config.trace_label_arbiter = true;
    else if (absl::StartsWith(a, "--cases=")) f.cases = a.substr(8);
    else if (absl::StartsWith(a, "--table=")) f.table = a.substr(8);
    else if (a == "--split=dev") f.split = Split::kDev, f.split_set = true;
    else if (a == "--split=test") f.split = Split::kTest, f.split_set = true;
    else if (a == "--split=all") f.split = Split::kAll, f.split_set = true;
    else if (a == "--split=corpus_dev") f.split = Split::kCorpusDev, f.split_set = true;
    else if (absl::StartsWith(a, "--lang=")) {
      f.langs = absl::StrSplit(a.substr(7), ',', absl::SkipEmpty());
      f.langs_set = true;
    }
    else if (a == "--no_rules") f.config.sentiment.use_rules = false;
    else if (a == "--no_meta") f.config.sentiment.use_meta = false;
    else if (a == "--no_route_tweets") f.config.route_tweets = false;
    else if (fl("router_threshold", &f.config.router_threshold)) {}
    else if (a == "--no_router_aspect_gate") f.config.router_aspect_gate = false;
    else if (a == "--lid=fasttext") f.config.lid_method = LanguageIdentifier::Method::kFastText;
    else if (a == "--lid=cld2") f.config.lid_method = LanguageIdentifier::Method::kCld2;
    else if (a == "--lid=combined") f.config.lid_method = LanguageIdentifier::Method::kCombined;
    else if (absl::StartsWith(a, "--lid_polish_letters=")) {
      if (!absl::SimpleAtoi(a.substr(21), &f.config.lid_polish_letters)) {
        std::cerr << "bad " << a << "\n";
        return 2;
      }
    }
    else if (fl("rule_weight", &f.config.sentiment.rule_weight)) {}
    else if (fl("meta_rule_weight", &f.config.sentiment.meta_rule_weight)) {}
    else if (fl("composed_rule_weight", &f.config.sentiment.composed_rule_weight)) {}
    else if (fl("composed_rule_words", &f.config.sentiment.composed_rule_words)) {}
    else if (fl("mixed_over_arbiter_words", &f.config.sentiment.mixed_over_arbiter_words)) {}
    else if (fl("meta_emoji_weight", &f.config.sentiment.meta_emoji_weight)) {}
    else if (fl("emoji_weight", &f.config.sentiment.emoji_weight)) {}
    else if (fl("neutral_margin", &f.config.sentiment.neutral_margin)) {}
    else if (fl("rating_weight", &f.config.sentiment.rating_weight)) {}
    else if (a == "--no_composition") f.config.sentiment.use_composition = false;
    else if (a == "--model_reads_conceded") f.config.sentiment.model_skips_conceded = false;
    else if (a == "--no_neutral_raw") f.config.sentiment.neutral_raw = false;
    else if (fl("compose_weight", &f.config.sentiment.compose_weight)) {}
    else if (fl("neutral_keep", &f.config.sentiment.neutral_keep)) {}
    else if (fl("neutral_keep_untempered", &f.config.sentiment.neutral_keep_untempered)) {}
    else if (fl("mixed_ratio", &f.config.sentiment.mixed_ratio)) {}
    else if (fl("mixed_sides_unweighted", &f.config.sentiment.mixed_sides_unweighted)) {}
    else if (fl("mixed_skips_sarcasm", &f.config.sentiment.mixed_skips_sarcasm)) {}
    else if (fl("mixed_own_language_words", &f.config.sentiment.mixed_own_language_words)) {}
    else if (fl("mixed_over_arbiter_aspects", &f.config.sentiment.mixed_over_arbiter_aspects)) {}
    else if (fl("mixed_either_order", &f.config.sentiment.mixed_either_order)) {}
    else if (fl("mixed_unnamed", &f.config.sentiment.mixed_unnamed)) {}
    else if (a == "--no_note_failures") f.config.sentiment.note_failures = false;
    else if (a == "--no_aspects_follow_review") f.config.sentiment.aspects_follow_review = false;
    else if (a == "--no_aspects_deciding_side") f.config.sentiment.aspects_deciding_side = false;
    else if (a == "--aspects_deciding_side") f.config.sentiment.aspects_deciding_side = true;
    else if (a == "--no_aspect_signs") f.config.aspect_signs = false;
    else if (a == "--no_label_arbiter") f.config.use_label_arbiter = false;
    else if (a == "--no_urgency18") f.config.urgency = {false, false, false};
    else if (a == "--no_aspects_late_turn") f.config.sentiment.aspects_late_turn = false;
    else if (fl("late_reading", &f.config.sentiment.late_reading)) {}
    else if (a == "--late_reading_sign_change") f.config.sentiment.late_reading_sign_change = true;
    else if (fl("late_reading_early", &f.config.sentiment.late_reading_early)) {}
    else if (fl("story_end", &f.config.sentiment.story_end)) {}
    else if (fl("story_end_early", &f.config.sentiment.story_end_early)) {}
    else if (a == "--story_end_to_positive") f.config.sentiment.story_end_to_positive = true;
    else if (a == "--story_end_not_from_mixed") f.config.sentiment.story_end_from_mixed = false;
    else if (fl("late_praise", &f.config.sentiment.late_praise)) {}
    else if (fl("late_praise_score", &f.config.sentiment.late_praise_score)) {}
    else if (fl("late_praise_sentences", &f.config.sentiment.late_praise_sentences)) {}
    else if (fl("late_praise_early", &f.config.sentiment.late_praise_early)) {}
    else if (fl("late_praise_words", &f.config.sentiment.late_praise_words)) {}
    else if (a == "--late_praise_turn") f.config.sentiment.late_praise_turn = true;
    else if (fl("late_praise_last", &f.config.sentiment.late_praise_last)) {}
    else if (a == "--late_praise_after_arbiter") f.config.sentiment.late_praise_after_arbiter = true;
    else if (a == "--aspects_late_part") f.config.sentiment.aspects_late_part = true;
    else if (a == "--no_aspects_late_part") f.config.sentiment.aspects_late_part = false;
    else if (fl("late_reading_words", &f.config.sentiment.late_reading_words)) {}
    else if (fl("late_reading_score", &f.config.sentiment.late_reading_score)) {}
    else if (a == "--late_reading_after_arbiter") {
      f.config.sentiment.late_reading_after_arbiter = true;
    } else if (a == "--late_reading_to_negative_only") {
      f.config.sentiment.late_reading_to_positive = false;
    }
    else if (fl("note_keep", &f.config.sentiment.note_keep)) {}
    else if (fl("note_lexicon", &f.config.sentiment.note_lexicon)) {}
    else if (fl("note_words", &f.config.sentiment.note_words)) {}
    else if (fl("calm_words", &f.config.sentiment.calm_words)) {}
    else if (fl("calm_relief", &f.config.sentiment.calm_relief)) {}
    else if (fl("dismiss_weight", &f.config.sentiment.dismiss_weight)) {}
    else if (fl("middle_mixed", &f.config.sentiment.middle_mixed)) {}
    else if (fl("put_right", &f.config.sentiment.put_right)) {}
    else if (fl("put_right_decides", &f.config.sentiment.put_right_decides)) {}
    else if (fl("put_right_lexicon", &f.config.sentiment.put_right_lexicon)) {}
    else if (fl("put_right_last", &f.config.sentiment.put_right_last)) {}
    else if (a == "--put_right_after_arbiter") f.config.sentiment.put_right_after_arbiter = true;
    else if (fl("blind_complaint", &f.config.sentiment.blind_complaint)) {}
    else if (fl("blind_complaint_score", &f.config.sentiment.blind_complaint_score)) {}
    else if (a == "--deciding_skips_dismissed") f.config.sentiment.deciding_skips_dismissed = true;
    else if (a == "--no_deciding_skips_dismissed") f.config.sentiment.deciding_skips_dismissed = false;
    else if (a == "--more_events") f.config.sentiment.more_events = true;
    else if (a == "--reply_failures") f.config.sentiment.reply_failures = true;
    else if (a == "--no_reply_failures") f.config.sentiment.reply_failures = false;
    else if (fl("compose_construction", &f.config.sentiment.compose_construction)) {}
    else if (fl("contrast_decides", &f.config.sentiment.contrast_decides)) {}
    else if (fl("contrast_override", &f.config.sentiment.contrast_override)) {}
    else if (fl("contrast_override_words", &f.config.sentiment.contrast_override_words)) {}
    else if (fl("evidence_over_neutral", &f.config.sentiment.evidence_over_neutral)) {}
    else if (fl("evidence_over_neutral_words", &f.config.sentiment.evidence_over_neutral_words)) {}
    else if (fl("denial_lexicon", &f.config.sentiment.denial_lexicon)) {}
    else if (fl("borrowed_compose_weight", &f.config.sentiment.borrowed_compose_weight)) {}
    else if (fl("mixed_min", &f.config.sentiment.mixed_min)) {}
    else if (fl("mixed_words", &f.config.sentiment.mixed_words)) {}
    else if (fl("compose_words", &f.config.sentiment.compose_words)) {}
    else if (fl("compose_lexicon", &f.config.sentiment.compose_lexicon)) {}
    else if (fl("compose_plain_words", &f.config.sentiment.compose_plain_words)) {}
    else if (fl("compose_plain", &f.config.sentiment.compose_plain)) {}
    else if (absl::StartsWith(a, "--length_k=")) {
      // MODEL:K, MODEL a name in models/sentiment_models.tsv.
      const size_t colon = a.find(':');
      float k = 0;
      if (colon == std::string::npos || !absl::SimpleAtof(a.substr(colon + 1), &k)) {
        std::cerr << "want --length_k=MODEL:K, got " << a << "\n";
        return 2;
      }
      f.config.sentiment.length_k[a.substr(11, colon - 11)] = k;
    }
    else if (absl::StartsWith(a, "--deciding_clause_off=")) {
      if (!ParseLanguageSet(a.substr(22), &f.config.sentiment.deciding_clause_off)) {
        std::cerr << "want --deciding_clause_off=LANG,..., got " << a << "\n";
        return 2;
      }
    }
    else if (absl::StartsWith(a, "--compose_weights=")) {
      // LANG:W,... over compose_weight ("-": none).
      if (!ParseComposeWeights(a.substr(18), &f.config.sentiment.compose_weight_by_language)) {
        std::cerr << "want --compose_weights=LANG:W,..., got " << a << "\n";
        return 2;
      }
    }
    else if (absl::StartsWith(a, "--")) {
      std::cerr << "unknown flag " << a << "\n";
      return 2;
    } else {
      f.files.push_back(a);
    }
  }
  if (f.files.empty() == f.cases.empty() || f.cases.empty() == f.split_set) {
    std::cerr << kUsage;
    return 2;
  }
  auto analyzer = CreateAnalyzerWithConfig(f.models, f.config);
  if (!analyzer.ok()) {
    std::cerr << analyzer.status() << "\n";
    return 1;
  }
  if (!f.cases.empty()) return RunCases(f, **analyzer);
  std::printf("model_version %s; stars %s; hint %s; rules %s\n",
              (*analyzer)->ModelVersion().c_str(), f.stars ? "on" : "off",
              f.hint ? "on" : "off",
              f.config.sentiment.use_rules ? "on" : "off");
  for (const std::string& file : f.files) {
    auto ex = ReadTsv(file);
    if (!ex.ok()) {
      std::cerr << ex.status() << "\n";
      return 1;
    }
    std::vector<Analysis> out;
    out.reserve(ex->size());
    size_t bytes = 0;
    auto start = std::chrono::steady_clock::now();
    for (const Example& e : *ex) {
      AnalyzeOptions o;
      if (f.stars) o.rating = e.stars;
      if (f.hint) o.language_hint = e.lang;
      o.source = f.source;
      bytes += e.text.size();
      out.push_back((*analyzer)->Analyze(e.text, o));
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                             start).count();
    Report(file, *ex, out, s, bytes);
    RouteCounter routes;
    for (const Analysis& a : out) routes.Add(a);
    routes.Print();
    if (!f.dump.empty()) {
      std::FILE* d = std::fopen(f.dump.c_str(), "a");
      if (d == nullptr) {
        std::cerr << "cannot write " << f.dump << "\n";
        return 1;
      }
      for (size_t i = 0; i < ex->size(); ++i) {
        const Example& e = (*ex)[i];
        std::fprintf(d, "%s\t%s\t%s\t%s\t%.3f\t%s\n", e.lang.c_str(),
                     e.label.c_str(), LabelName(out[i].sentiment.label),
                     out[i].language.c_str(), out[i].sentiment.score,
                     e.text.c_str());
      }
      std::fclose(d);
    }
  }
  return 0;
}
