// Unit table for what the full analyzer makes of clauses (nlp/analyzer.cc):
// an aspect takes the sign of the clause it stands in, and an aspect
// mentioned in a question or an informational note scores near 0. The
// sentences are written for this test, apart from the evaluation table.
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

struct AspectCase {
  const char* name;
  const char* text;
  Aspect aspect;
  int sign;  // +1 above +0.05, -1 below -0.05, 0 within +-0.05
};

const AspectCase kAspectCases[] = {
    {"pl_question", "Czy wysyłka jest w sobotę?", Aspect::kDelivery, 0},
    {"en_question", "Can I return the jacket after thirty days?",
     Aspect::kReturns, 0},
    {"de_question", "Kann ich per Rechnung bezahlen?", Aspect::kPayment, 0},
    {"de_note", "Per Rechnung bezahlt, Paket am Montag abgeholt.",
     Aspect::kPayment, 0},
    {"pl_contrast_price", "Trochę za drogo, ale jakość rewelacyjna.",
     Aspect::kPrice, -1},
    {"pl_contrast_quality", "Trochę za drogo, ale jakość rewelacyjna.",
     Aspect::kProductQuality, +1},
    {"en_failure", "Nice colour, but it melted on the stove.",
     Aspect::kProductQuality, -1},
    {"es_delivery", "El envío llegó tarde, pero la calidad es excelente.",
     Aspect::kDelivery, -1},
    {"fr_quality", "Livraison lente, mais la qualité est parfaite.",
     Aspect::kProductQuality, +1},
    // an opinion that names no aspect and no shop word is the product's
    {"en_default_product", "Incredibly comfortable, I wear them all day.",
     Aspect::kProductQuality, +1},
    {"de_default_product", "Leider schon nach zwei Tagen kaputt gegangen.",
     Aspect::kProductQuality, -1},
    // a clause without evidence across "but" says the opposite
    {"pl_contrasted_delivery", "Paczka szła tydzień, ale warto było czekać.",
     Aspect::kDelivery, -1},
    // an aspect in two clauses: the one after "but" weighs more
    {"pl_weighted", "Ładnie wygląda, ale po tygodniu odpadła rączka.",
     Aspect::kProductQuality, -1},
    // a worry turned into praise: the worried-about aspect is praised
    {"pl_worry", "Obawiałem się płatności przelewem, ale wszystko przebiegło bez problemu.",
     Aspect::kPayment, +1},
    {"en_worry", "I was worried about paying by bank transfer, but it went smoothly.",
     Aspect::kPayment, +1},
    // scores out of 5 or 10
    {"de_fraction_good", "Produkt 5/5, Service 1/5.", Aspect::kProductQuality, +1},
    {"de_fraction_bad", "Produkt 5/5, Service 1/5.", Aspect::kCustomerService, -1},
    // "too" + a word without valence
    {"en_too_late", "The courier came too late.", Aspect::kDelivery, -1},
    // a wait: the aspect of its clause is negative; praise of the other
    // sign than every aspect-naming clause is the product's
    {"de_wait_inside", "Zahlung per PayPal lief glatt, auf das Paket habe ich aber zwei Wochen gewartet.",
     Aspect::kDelivery, -1},
    {"es_other_side", "Muy cómoda la silla, pero la entrega tardó diez días.",
     Aspect::kProductQuality, +1},
    // a wait in a clause that names no aspect is the delivery's (fifth
    // pass, round 2)
    {"de_implied_delivery", "Hat fast zwei Wochen gedauert, aber der Mixer ist klasse.",
     Aspect::kDelivery, -1},
    {"en_implied_delivery", "It took two weeks, but the lamp is lovely.", Aspect::kDelivery, -1},
    // sarcasm: the praised aspect is the complaint
    {"en_sarcastic_aspect", "Great customer service, thanks for nothing.",
     Aspect::kCustomerService, -1},
    // a one-sided review: a clause without evidence of its own reads as
    // the review does, not as the model read its sentence (fifth pass,
    // round 3)
    {"de_follows_review", "Seit dem Update stürzt die App nicht mehr ab. Bin sehr zufrieden.",
     Aspect::kUsability, +1},
    {"pl_follows_review",
     "Telefon się nie grzeje, bateria nie siada po kilku godzinach. Jestem zadowolony.",
     Aspect::kProductQuality, +1},
    {"en_follows_review", "Ordered 4, only 3 arrived. Please send the missing one.",
     Aspect::kDelivery, -1},
    // an emoji ends a negation's scope
    {"pl_emoji_ends_negation", "Lepiej wybrać nie mogłem 🙂 Kurtka wygodna, lekka.",
     Aspect::kProductQuality, +1},
};

// Opinions about the shop or the purchase as a whole are not the product's.
TEST(ClauseAnalysisTest, ShopWordsKeepTheProductOut) {
  auto analyzer = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  for (const char* text : {"Never had an issue with this store.",
                           "Wszystko bez zarzutu, polecam.",
                           "Alles bestens, gerne wieder."}) {
    const Analysis a = (*analyzer)->Analyze(text, {});
    for (const AspectSentiment& as : a.aspects) {
      EXPECT_NE(as.aspect, Aspect::kProductQuality) << text;
    }
  }
}

// A wait after a clause that names another aspect is that aspect's ("the
// refund ..., money back after 3 days"), not the delivery's.
TEST(ClauseAnalysisTest, AWaitAfterANamedAspectIsNotTheDelivery) {
  auto analyzer = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  for (const char* text : {"Zwrot bez problemu, pieniądze wróciły po 2 dniach.",
                           "Die Erstattung lief glatt, Geld nach zwei Tagen zurück."}) {
    const Analysis a = (*analyzer)->Analyze(text, {});
    for (const AspectSentiment& as : a.aspects) {
      EXPECT_NE(as.aspect, Aspect::kDelivery) << text;
    }
  }
}

// The last reported sentiment of `aspect` in `a`, or null.
const AspectSentiment* FindAspect(const Analysis& a, Aspect aspect) {
  const AspectSentiment* found = nullptr;
  for (const AspectSentiment& as : a.aspects) {
    if (as.aspect == aspect) found = &as;
  }
  return found;
}

TEST(ClauseAnalysisTest, AspectSignsFollowTheirClause) {
  auto analyzer = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  for (const AspectCase& c : kAspectCases) {
    const Analysis a = (*analyzer)->Analyze(c.text, {});
    const AspectSentiment* found = FindAspect(a, c.aspect);
    ASSERT_NE(found, nullptr) << c.name << ": no aspect in \"" << c.text << "\"";
    const float s = found->sentiment.score;
    const int sign = s > 0.05f ? 1 : (s < -0.05f ? -1 : 0);
    EXPECT_EQ(sign, c.sign) << c.name << ": \"" << c.text << "\" score " << s;
  }
}

// An aspect judged both ways takes the clause that decides, at its full
// strength: the clause after "but", the main clause of a concession
// (SentimentParams::aspects_deciding_side; the mean of both read near 0).
TEST(ClauseAnalysisTest, TheDecidingClauseSetsAnAspectJudgedBothWays) {
  auto analyzer = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  const AspectCase cases[] = {
      {"en_but", "Great quality, perfect fit, looks amazing, but the zip snagged.",
       Aspect::kProductQuality, -1},
      {"en_but_praise", "The quality was poor at first glance, but it turned out brilliant.",
       Aspect::kProductQuality, 1},
      {"pl_but", "Jakość na początku wydawała się świetna, ale po tygodniu przestał działać.",
       Aspect::kProductQuality, -1},
      {"de_concession", "Obwohl die Qualität gut aussieht, ist der Griff nach zwei Tagen abgebrochen.",
       Aspect::kProductQuality, -1},
  };
  for (const AspectCase& c : cases) {
    const Analysis a = (*analyzer)->Analyze(c.text, {});
    const AspectSentiment* found = FindAspect(a, c.aspect);
    ASSERT_NE(found, nullptr) << c.name << ": no aspect in \"" << c.text << "\"";
    EXPECT_GT(found->sentiment.score * static_cast<float>(c.sign), 0.4f)
        << c.name << ": \"" << c.text << "\" score " << found->sentiment.score;
  }
}

struct LabelCase {
  const char* name;
  const char* text;
  SentimentLabel label;
};

const LabelCase kLabelCases[] = {
    // praise, then a complaint about another aspect: MIXED
    {"en_mixed", "Excellent quality, but the courier was rude.",
     SentimentLabel::kMixed},
    {"pl_mixed", "Jakość świetna, ale obsługa klienta niemiła.",
     SentimentLabel::kMixed},
    // the product failing decides
    {"en_product_decides", "Nice box, but the blender broke within a week.",
     SentimentLabel::kNegative},
    // a German "aber" inside the complaint's clause
    {"de_mixed_inside", "Zahlung per PayPal lief glatt, auf das Paket habe ich aber zwei Wochen gewartet.",
     SentimentLabel::kMixed},
    // the model's MIXED yields to a contrast that comes down on one side
    {"pl_but_decides_pos", "Trochę drogo, ale jakość to w pełni rekompensuje.",
     SentimentLabel::kPositive},
    {"pl_but_decides_neg", "Na początku działał dobrze, jednak po tygodniu przestał działać.",
     SentimentLabel::kNegative},
    // praise of another aspect after the complaint: MIXED since the fourth
    // pass (nlp/eval/README.md, "Conventions decided for this table"; the
    // third pass read it POSITIVE)
    {"en_praise_after", "The delivery was slow, but the sweater is wonderful.",
     SentimentLabel::kMixed},
    // fourth pass: the complaint first, then praise that names another
    // aspect, is MIXED too; a verdict on the whole after it is not
    {"en_complaint_first", "The shop app keeps crashing, but the quality is excellent.",
     SentimentLabel::kMixed},
    {"pl_complaint_first", "Strona sklepu jest beznadziejna, natomiast jakość produktu świetna.",
     SentimentLabel::kMixed},
    {"en_verdict_after", "The courier was late, but I am very happy.", SentimentLabel::kPositive},
    {"en_unnamed_after", "Delivery was three days late, but the sandals are fantastic.",
     SentimentLabel::kMixed},
    // the clause after "but" decides a short text when the evidence agrees
    // (NEGATIVE with --contrast_override=0: the model leans to the defect)
    {"de_after_but_decides",
     "Der erste Toaster war defekt, der Händler schickte aber sofort einen neuen und der läuft tadellos.",
     SentimentLabel::kPositive},
    // fifth pass: a complaint put right after "but" is no MIXED
    {"en_resolved", "The payment failed the first time, but the support team sorted it within minutes.",
     SentimentLabel::kPositive},
    {"fr_resolved", "Le premier colis était abîmé, mais ils ont envoyé un nouveau sans discuter.",
     SentimentLabel::kPositive},
    // fifth pass: the clause after "but" turns against the praise even
    // without an opinion word of its own
    {"en_turn_without_words", "Beautiful colour, but the seam split after two days.",
     SentimentLabel::kNegative},
    {"de_turn_without_words", "Schöne Farbe, aber die Naht ist nach zwei Tagen aufgegangen.",
     SentimentLabel::kNegative},
    {"pl_turn_without_words", "Piękny kolor, ale szew puścił po dwóch dniach.",
     SentimentLabel::kNegative},
    {"de_turn_mixed", "Tolle Jacke, aber der Kurier hat zehn Tage gebraucht.",
     SentimentLabel::kMixed},
    // fifth pass: "the product itself" sets the product against the
    // service praised before it: MIXED; not after a concession
    {"en_product_itself", "Shipping was quick and painless, but the kettle itself is just poor.",
     SentimentLabel::kMixed},
    {"de_product_selbst", "Der Umtausch lief schnell und freundlich, der Mixer selbst ist aber schwach.",
     SentimentLabel::kMixed},
    {"en_itself_concession", "Although the app is easy to use, the lamp itself is a letdown.",
     SentimentLabel::kNegative},
    // a focus word is a whole word: "balsam" is no "sam"
    {"pl_focus_word_whole", "Dostawa szybka, obsługa miła, ale balsam ma fatalną jakość.",
     SentimentLabel::kNegative},
    // a concession's praise is no side of a MIXED: the main clause decides
    {"en_concession_no_mixed", "Even though the chat agent was kind, my money never came back.",
     SentimentLabel::kNegative},
    {"de_concession_no_mixed",
     "Obwohl die Hotline nett war, warte ich seit drei Wochen auf die Erstattung.",
     SentimentLabel::kNegative},
    // a legal threat is a complaint even without an opinion word
    {"it_legal_negative", "Se entro venerdì non ricevo il rimborso, mi rivolgo a un avvocato.",
     SentimentLabel::kNegative},
};

// Every case's text gets its label.
template <size_t N>
void ExpectLabels(const LabelCase (&cases)[N]) {
  auto analyzer = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  for (const LabelCase& c : cases) {
    const Analysis a = (*analyzer)->Analyze(c.text, {});
    EXPECT_EQ(a.sentiment.label, c.label)
        << c.name << ": \"" << c.text << "\" score " << a.sentiment.score;
  }
}

TEST(ClauseAnalysisTest, MixedNeedsPraiseThenAnotherAspectsComplaint) {
  ExpectLabels(kLabelCases);
}

// Third pass: an order note is NEUTRAL, a query is never NEGATIVE, while a
// note or question with an opinion in it keeps its label.
const LabelCase kNoteCases[] = {
    {"pl_note", "Zamówienie 5521 opłacone kartą, odbiór w środę.", SentimentLabel::kNeutral},
    {"de_note", "Bestellung am Freitag aufgegeben, Rechnung liegt bei.",
     SentimentLabel::kNeutral},
    {"en_note", "Ordered the medium, paid via PayPal.", SentimentLabel::kNeutral},
    {"es_note", "Pedido pagado con tarjeta, recogida en tienda.", SentimentLabel::kNeutral},
    {"pl_query", "Czy ta bluza nie kurczy się w praniu?", SentimentLabel::kNeutral},
    {"en_query", "Does the zipper break easily?", SentimentLabel::kNeutral},
    {"de_query", "Läuft der Pullover beim Waschen ein?", SentimentLabel::kNeutral},
    {"pl_note_opinion", "Zamówienie dotarło szybko, wszystko super.",
     SentimentLabel::kPositive},
    {"de_note_opinion", "Rechnung fehlt und die Ware ist kaputt.", SentimentLabel::kNegative},
    {"en_why", "Why has nobody replied to my emails about the broken lamp?",
     SentimentLabel::kNegative},
};

TEST(ClauseAnalysisTest, NotesAndQueriesAreNeutral) { ExpectLabels(kNoteCases); }

// Third pass: urgency that does not cry wolf. A laughing legal "threat" is
// a joke; a complaint without distress or a reason code is not P1/P2; a
// shouted distress over a ruined order is.
struct UrgencyCase {
  const char* name;
  const char* text;
  bool urgent;  // P1 or P2
};

const UrgencyCase kUrgencyCases[] = {
    {"en_joke", "My husband says he will call a lawyer if I buy more shoes 😂 love them.", false},
    {"de_joke", "Mein Mann droht mit dem Anwalt, wenn ich noch mehr Schuhe kaufe 😂", false},
    {"en_plain_complaint", "Wrong size again, rather annoying.", false},
    {"pl_plain_complaint", "Znowu zły kolor, trochę irytujące.", false},
    {"en_distress", "The christening cake arrived crushed and the party is today, I am devastated!!!", true},
    {"en_legal", "I will take legal action if the refund is not paid this week.", true},
    // fourth pass: a laughing "theft" accuses nobody
    {"pl_joke_theft", "Za taką cenę to prawie kradzież 😂", false},
    // a plug melting in use is a hazard; a police report in German order;
    // sarcasm about a short life is a complaint, not an emergency
    {"pl_melted_plug", "Lokówka stopiła się przy wtyczce w trakcie używania.", true},
    {"de_anzeige", "Geld überwiesen, Ware nie gekommen. Ich erstatte Anzeige.", true},
    {"pl_short_life_calm", "Świetny czajnik, wytrzymał cztery dni.", false},
    // fifth pass: plain churn and rip-off idioms are complaints, not
    // emergencies; an escalation, a hazard construction, a fraud
    // construction, a question about repeated silence and distress are
    {"en_never_again", "Never again.", false},
    {"de_nie_wieder", "Nie wieder!", false},
    {"pl_nigdy_wiecej", "Nigdy więcej tu nie kupię.", false},
    {"en_rip_off", "Total rip-off.", false},
    {"de_abzocke", "Reine Abzocke!", false},
    {"en_paypal_claim", "I filed a PayPal claim, no refund after a month.", true},
    {"en_unanswered_question", "Why has nobody answered my emails? This is the third time I'm asking.", true},
    {"it_unanswered_question", "Perché nessuno risponde ai miei messaggi? È la terza volta che scrivo.", true},
    {"es_unanswered_question", "¿Alguien lee mis correos? Es la tercera vez que pregunto.", true},
    {"en_told_silence", "Thanks for nothing, five emails and no answer.", false},
    {"en_toaster_melted", "The toaster melted while in use.", true},
    {"fr_toaster_melted", "Le grille-pain a fondu pendant l'utilisation.", true},
    {"pl_lid_in_oven", "Pokrywka stopiła się w piekarniku.", false},
    {"en_paid_vanished", "Paid 200 euros, the shop vanished and nobody answers.", true},
    {"es_distress", "Mi tarta de cumpleaños llegó aplastada, estoy desesperada.", true},
    // fifth pass, second round: nobody answering about an order, a return,
    // a refund or money, told as a present fact (the example), in
    // six languages; silence told in the past, as a noun or without a
    // topic stays a complaint
    {"en_nobody_answers_return", "nobody answers my emails about the return", true},
    {"pl_nikt_nie_odpowiada", "Nikt nie odpowiada na moje maile w sprawie zwrotu pieniędzy.", true},
    {"de_keiner_antwortet", "Keiner antwortet auf meine Mails wegen der Rücksendung.", true},
    {"es_nadie_responde", "Nadie responde a mis correos sobre la devolución.", true},
    {"fr_personne_ne_repond", "Personne ne répond à mes mails concernant mon remboursement.", true},
    {"it_nessuno_risponde", "Nessuno risponde alle mie email sul rimborso.", true},
    {"en_silence_past_but", "Nobody answered for two weeks, but the dress is lovely.", false},
    {"pl_courier_past", "Sukienka piękna, ale kurier nie odbierał telefonu przez dwa dni.", false},
    {"de_keine_antwort_noun", "Glückwunsch, nach drei Wochen immer noch keine Antwort auf meine Bestellung.", false},
    {"en_nobody_answered_lovely", "Nobody replied to my question about the colour, but the scarf is lovely and warm.", false},
    // a demand for action now in a complaint; the same words in a neutral
    // note or praise are not
    {"en_need_today", "The rings for the wedding never arrived and the courier lost them. I need a solution today.", true},
    {"de_erwarte_heute", "Das Brautkleid kam kaputt an, die Hochzeit ist morgen. Ich erwarte heute noch einen Rückruf.", true},
    {"it_oggi_stesso", "Il passeggino si è rotto al primo giro, chiedo di essere ricontattata oggi stesso.", true},
    {"en_today_note", "Ordered today, please ship it to the pickup point.", false},
    {"pl_today_praise", "Dzisiaj przyszło, proszę tak dalej, super sklep!", false},
    {"de_dringend_presale", "Dringende Frage: passt das Netzteil zu meinem Laptop? Bitte heute antworten.", false},
    // an escalation in a text the model reads as positive still acts
    {"en_dispute_positive_model", "I have filed a dispute with my credit card company since nobody replied.", true},
};

TEST(ClauseAnalysisTest, UrgencyNeedsDistressOrAReason) {
  auto analyzer = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  for (const UrgencyCase& c : kUrgencyCases) {
    const Analysis a = (*analyzer)->Analyze(c.text, {});
    const bool urgent =
        a.urgency.priority == Priority::kP1 || a.urgency.priority == Priority::kP2;
    EXPECT_EQ(urgent, c.urgent) << c.name << ": \"" << c.text << "\" priority "
                                << static_cast<int>(a.urgency.priority);
  }
}

// A speed word in the first judging clause of a sentence that names nothing
// is the delivery's ("Schnell da"); the evidence is that clause. Not when
// an earlier clause judges something else ("the smell ..., but it fades
// fast"), nor when the clause names an aspect ("the app is fast").
TEST(ClauseAnalysisTest, ASpeedWordNamingNothingIsTheDelivery) {
  auto analyzer = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  struct SpeedCase {
    const char* text;
    const char* evidence;  // of DELIVERY; nullptr: no DELIVERY
  };
  const SpeedCase cases[] = {
      {"Mega szybko, mega dobrze zapakowane, mega polecam!!", "Mega szybko"},
      {"Super fast, super well packed, super happy!!", "Super fast"},
      {"Schnell da, gerne wieder.", "Schnell da"},
      {"Rapidísimo, todo perfecto.", "Rapidísimo"},
      {"Très rapide, rien à redire.", "Très rapide"},
      {"Velocissimo, tutto ok.", "Velocissimo"},
      {"Zapach na początku intensywny, ale szybko się ulatnia.", nullptr},
      {"The app is fast and easy to use.", nullptr},
      {"Der Akku ist schnell leer.", nullptr},
  };
  for (const SpeedCase& c : cases) {
    const std::string text = c.text;
    const Analysis a = (*analyzer)->Analyze(text, {});
    const AspectSentiment* delivery = nullptr;
    for (const AspectSentiment& as : a.aspects) {
      if (as.aspect == Aspect::kDelivery) delivery = &as;
    }
    if (c.evidence == nullptr) {
      EXPECT_EQ(delivery, nullptr) << text;
      continue;
    }
    ASSERT_NE(delivery, nullptr) << text;
    ASSERT_FALSE(delivery->evidence.empty()) << text;
    const Span& e = delivery->evidence.front();
    EXPECT_EQ(text.substr(e.begin, e.end - e.begin), c.evidence) << text;
  }
}


// Eighth pass: praise, then a failure told as an event in the last
// sentence, with no opinion word: the event decides (DecidingClauseLabel in
// nlp/analyzer.cc), however strongly the model read the praise. The same
// praise followed by a lasting product stays POSITIVE.
const LabelCase kToldFailureCases[] = {
    {"pl_failure", "Kurtka ładna, ciepła i dobrze uszyta. Po tygodniu noszenia odpadł zamek.",
     SentimentLabel::kNegative},
    {"en_failure",
     "Lovely soft jumper, fits perfectly and the colour is exactly as shown. After the second "
     "wash the seams came apart.",
     SentimentLabel::kNegative},
    {"de_failure", "Sieht toll aus und kam schnell an. Nach zwei Wochen ist der Griff abgebrochen.",
     SentimentLabel::kNegative},
    {"es_failure", "Muy bonitas y llegaron rápido. A la semana se despegó la suela.",
     SentimentLabel::kNegative},
    {"pl_lasting", "Kurtka ładna i ciepła. Po miesiącu nic nie odpadło, wszystko trzyma się świetnie.",
     SentimentLabel::kPositive},
    {"en_lasting", "Lovely soft jumper, fits perfectly. After the second wash it still looks brand new.",
     SentimentLabel::kPositive},
    {"de_lasting",
     "Sieht toll aus und kam schnell an. Nach zwei Wochen funktioniert alles noch einwandfrei.",
     SentimentLabel::kPositive},
    {"es_lasting", "Muy bonitas y llegaron rápido. Después de un mes siguen como nuevas.",
     SentimentLabel::kPositive},
};

TEST(ClauseAnalysisTest, AFailureToldLastDecides) { ExpectLabels(kToldFailureCases); }

// Ninth pass: a calm notice (a CALM marker: "just letting you know", "nur
// zur Info", "no rush") with no opinion of its own, or with its complaint
// put right, is NEUTRAL; a calm marker next to a real complaint is not.
const LabelCase kCalmCases[] = {
    {"pl_calm_relief", "Karton był lekko zgnieciony, ale zawartość cała i działa. Daję tylko znać.",
     SentimentLabel::kNeutral},
    {"en_calm_relief",
     "The box was dented on one corner, but the lamp inside is fine and works. Just letting you know.",
     SentimentLabel::kNeutral},
    {"de_calm_relief",
     "Der Karton war eingedrückt, der Mixer selbst ist aber heil und funktioniert. Nur zur Info.",
     SentimentLabel::kNeutral},
    {"es_calm_relief",
     "La caja llegó un poco rota por una esquina, pero todo está bien dentro y funciona "
     "perfectamente. Solo para que lo sepáis.",
     SentimentLabel::kNeutral},
    {"fr_calm_relief",
     "Le carton est arrivé un peu cabossé, mais la lampe est intacte et fonctionne. Je vous le "
     "signale pour info.",
     SentimentLabel::kNeutral},
    {"it_calm_relief",
     "La scatola è arrivata un po' ammaccata, ma la lampada è intatta e funziona. Ve lo segnalo "
     "solo per conoscenza.",
     SentimentLabel::kNeutral},
    {"pl_calm_long",
     "Dzień dobry, kurier zostawił dziś przesyłkę u sąsiadów z parteru, bo nikogo nie było w "
     "domu, odebrałam ją wieczorem. Daję tylko znać, nie ma pośpiechu.",
     SentimentLabel::kNeutral},
    {"de_calm_long",
     "Hallo, der Zusteller hat die Sendung heute beim Nachbarn im Erdgeschoss abgegeben, weil "
     "niemand zu Hause war, ich habe sie am Abend geholt. Nur zur Info, keine Eile.",
     SentimentLabel::kNeutral},
    // counter-cases: the complaint decides, and so does praise
    {"pl_calm_complaint", "Nie ma pośpiechu, ale czajnik przyszedł zepsuty i cieknie.",
     SentimentLabel::kNegative},
    {"en_calm_complaint", "No rush, but the kettle arrived broken and leaks.",
     SentimentLabel::kNegative},
    {"de_calm_complaint", "Keine Eile, aber der Mixer kam kaputt an und funktioniert nicht.",
     SentimentLabel::kNegative},
    {"es_calm_complaint", "Sin prisa, pero la lámpara llegó rota.", SentimentLabel::kNegative},
    {"fr_calm_complaint", "Pas d'urgence, mais la lampe est arrivée cassée.",
     SentimentLabel::kNegative},
    {"it_calm_complaint", "Nessuna fretta, ma la lampada è arrivata rotta.",
     SentimentLabel::kNegative},
    {"en_calm_praise", "Just letting you know the jacket is fantastic, I love it.",
     SentimentLabel::kPositive},
};

TEST(ClauseAnalysisTest, CalmNoticesAreNeutral) { ExpectLabels(kCalmCases); }

// Tenth pass: calm look-alikes. A small problem the customer dismisses,
// says is fine now or put right themselves, a false alarm or their own
// mistake, a suggestion only (DISMISS markers) is NEUTRAL; a real
// complaint next to one, "no es normal", and praise beyond the complaint
// are not.
const LabelCase kDismissCases[] = {
    {"pl_dismissed", "Kurier dzwonił dwa razy, bo nie mógł znaleźć bramy. Nic takiego, w końcu trafił.",
     SentimentLabel::kNeutral},
    {"pl_solved_by_me",
     "Wkręty do półki były w innym woreczku, znalazłam je w drugim kartonie. Poradziłam sobie "
     "sama, już wszystko w porządku.",
     SentimentLabel::kNeutral},
    {"en_dismissed_suggestion",
     "The lid of the jar was a bit loose when it arrived, nothing leaked. Not a big problem, just "
     "a suggestion to tape them.",
     SentimentLabel::kNeutral},
    {"en_my_mistake_fixed_myself",
     "The shelf wobbled at first, turned out I'd missed a screw. My mistake, fixed it myself.",
     SentimentLabel::kNeutral},
    {"en_false_alarm",
     "Tracking said delivered and I couldn't see it anywhere. False alarm, my son had taken it in.",
     SentimentLabel::kNeutral},
    {"de_suggestion_only",
     "Die Rechnung lag nicht im Paket, ich habe sie dann im Kundenkonto gefunden. Keine große "
     "Sache, nur als Anregung.",
     SentimentLabel::kNeutral},
    {"de_routine_status",
     "Die Erstattung ist seit drei Tagen in Bearbeitung. Wie lange dauert das normalerweise?",
     SentimentLabel::kNeutral},
    {"es_dismissed_suggestion",
     "Una de las tazas venía con una marca pequeña en la base. Nada importante, solo una "
     "sugerencia para el embalaje.",
     SentimentLabel::kNeutral},
    {"es_false_alarm",
     "El pedido ponía entregado pero no lo encontraba. Falsa alarma, lo tenía el vecino.",
     SentimentLabel::kNeutral},
    {"es_my_mistake", "Puse mal el número del piso, error mío. ¿Se puede cambiar antes del envío?",
     SentimentLabel::kNeutral},
    {"fr_false_alarm",
     "Le colis indiquait livré mais je ne le trouvais pas. Fausse alerte, il était chez la voisine.",
     SentimentLabel::kNeutral},
    {"fr_my_mistake",
     "J'ai commandé la mauvaise taille, erreur de ma part. Est-ce possible de l'échanger ?",
     SentimentLabel::kNeutral},
    {"it_dismissed", "Una delle tazze aveva un piccolo segno sul fondo. Niente di che, lo dico per l'imballaggio.",
     SentimentLabel::kNeutral},
    {"it_false_alarm",
     "Il pacco risultava consegnato ma non lo trovavo. Falso allarme, l'aveva preso mio figlio.",
     SentimentLabel::kNeutral},
    {"it_my_mistake",
     "Ho sbagliato il colore nell'ordine, errore mio. Posso cambiarlo prima della spedizione?",
     SentimentLabel::kNeutral},
    // counter-cases: a real complaint, a negated marker, a strong
    // disappointment, praise beyond the complaint
    {"en_is_it_normal_broke", "Is it normal that the kettle broke after two days? Really disappointed.",
     SentimentLabel::kNegative},
    {"es_no_es_normal", "No es normal en un producto nuevo, la tapa se rompió el primer día.",
     SentimentLabel::kNegative},
    {"de_keine_grosse_sache_kaputt",
     "Keine große Sache, aber der Mixer kam kaputt an und funktioniert nicht.",
     SentimentLabel::kNegative},
    {"it_niente_di_che_rotta", "Niente di che, la lampada è arrivata rotta e non si accende.",
     SentimentLabel::kNegative},
    {"fr_par_curiosite_decu",
     "Par curiosité, j'ai testé : la batterie ne tient même pas une heure, très déçu.",
     SentimentLabel::kNegative},
    {"en_praise_and_suggestion",
     "Fantastic blender, works perfectly and it is quiet. Just a suggestion: add a recipe booklet.",
     SentimentLabel::kPositive},
    {"de_praise_and_suggestion",
     "Toller Mixer, sehr leise und kraftvoll. Nur als Anregung: ein Rezeptheft wäre schön.",
     SentimentLabel::kPositive},
};

TEST(ClauseAnalysisTest, CalmLookAlikesAreNeutral) { ExpectLabels(kDismissCases); }

}  // namespace
}  // namespace opinia::nlp
