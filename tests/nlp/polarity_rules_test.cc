// Unit table for the compositional layer (nlp/polarity_rules.h): the sign
// of the evidence and the question mark per category and language. The
// sentences are written for this test, apart from the evaluation table.
#include "nlp/polarity_rules.h"

#include <memory>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "nlp/analyzer_config.h"
#include "nlp/lexicon.h"
#include "nlp/sentiment.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

struct Case {
  const char* name;
  const char* lang;
  const char* text;
  int sign;  // +1 praise, -1 complaint, 0 no evidence
  bool question = false;
};

const Case kCases[] = {
    // negated negative
    {"pl_negneg", "pl", "Żadnych zastrzeżeń do sprzedawcy.", +1},
    {"pl_bez", "pl", "Montaż przebiegł bez problemów.", +1},
    {"en_negneg", "en", "Setup went without any issues.", +1},
    {"de_los", "de", "Die Bezahlung war völlig problemlos.", +1},
    {"de_keine", "de", "Keine Probleme mit dem Umtausch.", +1},
    {"es_negneg", "es", "Ningún problema con el pedido.", +1},
    {"fr_negneg", "fr", "Aucun souci avec la livraison.", +1},
    {"it_negneg", "it", "Nessun problema con il reso.", +1},
    // negated positive
    {"pl_negpos", "pl", "Obsługa nie była pomocna.", -1},
    {"en_negpos", "en", "The seller was not helpful.", -1},
    {"de_negpos", "de", "Der Versand war nicht schnell.", -1},
    // contrast, both directions
    {"pl_contneg", "pl", "Ładne pudełko, ale lampa przestała działać.", -1},
    {"pl_contpos", "pl", "Kurier się spóźnił, ale towar jest świetny.", +1},
    {"en_contneg", "en", "Lovely colour, but it broke within days.", -1},
    {"en_contpos", "en", "Delivery was late, but the jacket is excellent.", +1},
    {"de_contneg", "de", "Tolle Farbe, aber der Akku ist defekt.", -1},
    {"es_contneg", "es", "Bonito diseño, pero se rompió enseguida.", -1},
    {"fr_contpos", "fr", "Un peu en retard, mais produit impeccable.", +1},
    {"it_contneg", "it", "Bel colore, ma non funziona più.", -1},
    // concession
    {"en_conc", "en", "Although the box was dented, I am delighted.", +1},
    {"de_conc", "de", "Obwohl der Preis hoch war, bin ich sehr zufrieden.", +1},
    // expectation and relief
    {"en_relief", "en", "I didn't expect such quick delivery.", +1},
    {"pl_relief", "pl", "Bałem się o rozmiar, niepotrzebnie.", +1},
    {"en_notbad", "en", "Not bad at all.", +1},
    // idioms
    {"pl_idiom", "pl", "Wszystko bez zarzutu.", +1},
    {"de_idiom", "de", "Ware einwandfrei.", +1},
    {"fr_idiom", "fr", "Rien à redire.", +1},
    {"it_idiom", "it", "Niente da eccepire.", +1},
    {"es_idiom", "es", "Todo sin problemas.", +1},
    // sarcasm
    {"pl_sarc", "pl", "No to dzięki za nic.", -1},
    {"es_sarc", "es", "Pues gracias por nada.", -1},
    {"en_quotes", "en", "So much for the 'free returns'.", -1},
    // product failure
    {"en_fail", "en", "The kettle melted on first use.", -1},
    {"pl_fail", "pl", "Suszarka zaczęła dymić.", -1},
    {"de_fail", "de", "Das Gerät überhitzt ständig.", -1},
    // questions and notes
    {"pl_quest", "pl", "Czy ten model ma gwarancję", 0, true},
    {"en_quest", "en", "Will the charger fit a 2019 model?", 0, true},
    {"de_quest", "de", "Gibt es die Hose auch in Blau?", 0, true},
    {"en_note", "en", "Collected from the locker on Tuesday.", 0},
    // "?!" is indignation; a longer sentence opened by "when" or a relative
    // pronoun after a clause is no question
    {"de_indignant", "de", "Wo bleibt mein Geld?!", 0, false},
    {"pl_kiedy", "pl", "Kiedy kurier dojechał, wszystko było w porządku.", +1},
    {"pl_ktory", "pl", "Paczkę odebrał sąsiad, który mieszka obok.", 0},
    // German inflections (the table, not lexicon.tsv's stems) and order
    // words that carry no opinion
    {"de_tolles", "de", "Ein tolles Geschenk für meinen Bruder.", +1},
    {"de_zufriedene", "de", "Eine sehr zufriedene Kundin.", +1},
    {"de_enttaeuschend", "de", "Die Haltbarkeit ist enttäuschend.", -1},
    {"de_mangelhafte", "de", "Mangelhafte Nähte am Kragen.", -1},
    {"de_order_note", "de", "Gestern bestellt, heute geliefert.", 0},
    {"de_schon", "de", "Das Paket wurde schon abgeholt.", 0},
    // "of no use": the negation is of the verb
    {"es_no_sirve", "es", "La garantía no sirve de nada.", -1},
    {"fr_sert_a_rien", "fr", "Ce filtre ne sert à rien.", -1},
    {"it_non_serve", "it", "Questo filtro non serve a niente.", -1},
    // discourse markers: "Ok, ..." opens, it does not praise
    {"en_ok_marker", "en", "Okay, picked it up at the depot on Friday.", 0},
    {"de_ok_marker", "de", "Ok, das Paket liegt jetzt bei der Post.", 0},
    {"pl_ok_word", "pl", "Wszystko ok.", +1},
    // negated positives, negated comparatives, competitors
    {"pl_niezbyt", "pl", "Kurier niezbyt uprzejmy.", -1},
    {"en_never_better", "en", "My shirts have never looked better.", +1},
    {"en_cheaper_elsewhere", "en", "You can get it cheaper elsewhere.", -1},
    {"en_top", "en", "Top quality stitching.", +1},
    {"de_teile", "de", "Der Spiegel kam in zwei Teilen an.", -1},
    // complaints without an evaluative word
    {"en_soaked", "en", "The parcel arrived soaked.", -1},
    {"pl_od_tygodni", "pl", "Na zwrot czekam od tygodni.", -1},
    {"de_nass", "de", "Der Karton kam nass an.", -1},
    {"fr_ecoute", "fr", "Le vendeur est à l'écoute.", +1},
    // sarcasm: a praise word alone before a complaint, "thanks for nothing"
    {"en_sarc_praise", "en", "Wonderful, the handle broke on the first use.", -1},
    {"de_sarc_praise", "de", "Klasse, nach einer Woche defekt.", -1},
    {"pl_sarc_praise", "pl", "Brawo, po tygodniu zepsuty.", -1},
    {"es_sarc_idiom", "es", "Muchas gracias por nada, de verdad.", -1},
    {"it_sarc_idiom", "it", "Grazie di niente, davvero.", -1},
    {"fr_sarc_idiom", "fr", "Merci beaucoup pour rien.", -1},
    // an aspect's praise before a complaint is a contrast, not sarcasm
    {"it_praise_aspect", "it", "Colore bellissimo, cuciture pessime.", -1},
    // warnings: "don't" + a negative verb is advice against, not praise
    {"en_dont_waste", "en", "Don't waste your money on this kettle.", -1},
    {"en_dont_bother", "en", "Honestly, don't bother with the extended warranty.", -1},
    {"pl_nie_marnuj", "pl", "Nie marnujcie pieniędzy na ten zestaw.", -1},
    {"de_nicht_kaufen", "de", "Bitte nicht kaufen, das Ding ist Schrott.", -1},
    {"es_no_pierdas", "es", "No pierdas tu tiempo con esta tienda.", -1},
    {"fr_n_achetez_pas", "fr", "N'achetez pas ce grille-pain.", -1},
    {"it_non_sprecate", "it", "Non sprecate soldi per questa cover.", -1},
    {"en_cant_wait", "en", "Can't wait to order the matching chair.", +1},
    // "never ... so/more": the most, not the opposite; "not so" still negates
    {"en_never_so", "en", "I have never been so disappointed with an order.", -1},
    {"en_never_more", "en", "Never been more pleased with a courier.", +1},
    {"pl_nigdy_tak", "pl", "Nigdy nie byłam tak rozczarowana zakupem.", -1},
    {"de_nie_so", "de", "Ich war noch nie so enttäuscht von einem Shop.", -1},
    {"en_not_so", "en", "The lid is not so sturdy.", -1},
    // a degree word before a word of the other sign
    {"en_great_disappointment", "en", "All in all a great disappointment.", -1},
    {"en_rarely", "en", "The app rarely works on my phone.", -1},
    // excess: "too" + a word without valence is a complaint
    {"en_too_small", "en", "The jacket is too small.", -1},
    {"fr_trop_petit", "fr", "La veste est trop petite.", -1},
    {"de_zu_spaet", "de", "Der Bote kam zu spät.", -1},
    {"pl_za_ciasne", "pl", "Buty są za ciasne.", -1},
    // a worry turned into praise is praise; a worry alone a mild complaint
    {"en_worry_relief", "en", "I was sceptical, but these are the best headphones I have had.", +1},
    {"de_worry_relief", "de", "Hatte Sorge wegen Vorkasse, aber alles lief glatt.", +1},
    {"pl_worry_alone", "pl", "Trochę się obawiam tej płatności.", -1},
    // one-letter words carry no opinion (lexicon.tsv's circled letters)
    {"pl_one_letter", "pl", "Paczka w paczkomacie i u sąsiada.", 0},
    // scores out of 5 or 10
    {"en_fraction", "en", "10/10 would order again.", +1},
    {"pl_fraction", "pl", "Jakość 1/5.", -1},
    // regret markers: a mild complaint
    {"de_leider", "de", "Leider nur in Grau erhältlich.", -1},
    {"en_unfortunately", "en", "Unfortunately only available in grey.", -1},
    // third pass: a query (interrogative opener) about a possible defect
    // carries next to no opinion; a "why" question is a complaint
    {"pl_query_defect", "pl", "Czy ta bluza nie kurczy się w praniu?", 0, true},
    {"en_query_defect", "en", "Does the zipper break easily?", 0, true},
    {"de_query_defect", "de", "Geht der Griff leicht kaputt?", 0, true},
    {"en_why", "en", "Why has nobody replied to my emails about the broken lamp?", -1, true},
    {"de_warum", "de", "Warum reagiert niemand auf meine Reklamation wegen des defekten Geräts?", -1, true},
    // third pass: set phrases
    {"pl_zadnych_wad", "pl", "Nie znalazłem żadnych wad.", +1},
    {"pl_bez_smaku", "pl", "Kawa zupełnie bez smaku.", -1},
    {"pl_jedyny_plus", "pl", "Kolor to jedyny plus.", -1},
    {"en_never_let_down", "en", "The seller has never let me down.", +1},
    {"en_only_good_thing", "en", "The colour is the only good thing about it.", -1},
    {"en_safe_and_sound", "en", "The vase arrived safe and sound.", +1},
    {"de_anstandslos", "de", "Die Retoure lief anstandslos.", +1},
    {"de_kein_thema", "de", "Der Umtausch war kein Thema.", +1},
    {"de_weh", "de", "Nach zwei Stunden tun die Füße weh.", -1},
    {"es_nunca_fallado", "es", "El vendedor nunca me ha fallado.", +1},
    {"es_rasguno", "es", "Ni un rasguño en la pantalla.", +1},
    // waits: a long one is a complaint, a short one after "in"/"after"
    // praise; not "ago", "next week", "for 30 days"
    {"pl_wait_slow", "pl", "Na przesyłkę czekałam prawie trzy tygodnie.", -1},
    {"de_wait_slow", "de", "Auf die Erstattung habe ich 12 Tage gewartet.", -1},
    {"en_wait_slow", "en", "The parcel took 11 days.", -1},
    {"pl_wait_fast", "pl", "Zwrot pieniędzy przyszedł po 2 dniach.", +1},
    {"en_wait_fast", "en", "The refund arrived within 2 days.", +1},
    {"en_ago", "en", "I sent the parcel back 10 days ago.", 0},
    {"de_next_week", "de", "Die Lieferung kommt nächste Woche.", 0},
    {"en_for_days", "en", "The order comes with a return window for 30 days.", 0},
    // one praise word after a complaint is sarcasm; "WOW!" is not
    {"en_lone_praise", "en", "The lid cracked on day one. Brilliant.", -1},
    {"de_lone_praise", "de", "Nach zwei Tagen kaputt. Bravo.", -1},
    {"en_wow", "en", "Wow! Best blender ever.", +1},
    // "at first" weakens what follows; set phrases of the third pass
    {"en_at_first", "en", "At first it worked great, but now it is useless.", -1},
    {"pl_rekompensuje", "pl", "Cena wysoka, ale jakość to rekompensuje.", +1},
    {"de_gefaellt", "de", "Die Farbe gefällt mir sehr.", +1},
    {"es_rechazaron", "es", "Me rechazaron la tarjeta dos veces.", -1},
    {"en_too_early", "en", "Too early to tell, will report back.", 0},
    // colours carry no opinion (lexicon.tsv: Polish "czarny" -0.8)
    {"pl_colours", "pl", "Zamówiłam czarną i białą sukienkę.", 0},
    // fourth pass: a disappointed expectation ("expected more"), before
    // or after the verb; "more than I thought" is no disappointment
    {"en_expected_more", "en", "I expected much more from this blender.", -1},
    {"de_mehr_erwartet", "de", "Von dem Mixer hätte ich mehr erwartet.", -1},
    {"pl_spodziewalem_lepszego", "pl", "Spodziewałem się czegoś lepszego.", -1},
    {"it_aspettavo_di_piu", "it", "Mi aspettavo di più da questo frullatore.", -1},
    {"fr_attendais_mieux", "fr", "Je m'attendais à mieux.", -1},
    {"es_esperaba_mas", "es", "Esperaba algo más de esta batidora.", -1},
    {"en_more_than_thought", "en", "The kettle was more than I ever thought it would be.", 0},
    // ... and a surprised one ("didn't expect such ..."), also around "ne ... pas"
    {"es_no_esperaba_tanta", "es", "No esperaba tanta calidad.", +1},
    {"fr_ne_attendais_pas_telle", "fr", "Je ne m'attendais pas à une telle finition.", +1},
    {"it_non_aspettavo_simile", "it", "Non mi aspettavo una resistenza simile.", +1},
    // a short life: "lasted two days"; the praise before it is sarcastic
    {"en_lasted_days", "en", "Amazing blender, lasted a whole three days.", -1},
    {"pl_wytrzymal", "pl", "Świetny czajnik, wytrzymał cztery dni.", -1},
    {"de_gehalten", "de", "Tolle Lampe, hat genau fünf Tage gehalten.", -1},
    {"es_duro", "es", "Genial, duró una semana.", -1},
    {"en_lasted_years", "en", "My last pair lasted three years.", 0},
    // praise before a colon, then a complaint: sarcasm
    {"en_colon_sarcasm", "en", "Excellent support: four calls, zero answers.", -1},
    {"de_colon_sarcasm", "de", "Super Service: drei Mails, keine Antwort.", -1},
    {"en_colon_praise", "en", "Excellent support: they called back within an hour.", +1},
    // a lone praise sentence before a complaint is sarcasm too
    {"pl_lone_praise_first", "pl", "Fantastycznie. Po raz trzeci przesunęli termin dostawy.", -1},
    {"en_lone_praise_first", "en", "Brilliant. The hinge snapped for the third time.", -1},
    // a shrug cancels a small complaint and praises nothing
    {"en_no_big_deal", "en", "The parcel was a day late, no big deal.", 0},
    {"de_halb_so_wild", "de", "Ein Tag Verspätung, halb so wild.", 0},
    {"es_nada_grave", "es", "Un día de retraso, nada grave.", 0},
    // exclamations opened like a question
    {"en_how_stupid", "en", "How stupid is that?", -1},
    {"en_how_awesome", "en", "How awesome is that.", +1},
    // German "nicht" closing a clause turns the word before it
    {"de_drueckt_nicht", "de", "Die Schuhe drücken nicht.", +1},
    {"de_hilft_nicht", "de", "Der Kundenservice hilft nicht.", -1},
    // es/it superlatives and es/fr/it inflected adjectives
    {"it_contentissima", "it", "Sono contentissima del tavolo.", +1},
    {"es_rapidisimo", "es", "El envío fue rapidísimo.", +1},
    {"it_fantastici", "it", "Gli stivali sono fantastici.", +1},
    // negative concord inside an idiom
    {"it_non_servita", "it", "L'assistenza non mi è servita a niente.", -1},
    // complaints without an opinion word
    {"en_charged_twice", "en", "They charged me twice for one order.", -1},
    {"de_zweimal_abgebucht", "de", "Mir wurde der Betrag zweimal abgebucht.", -1},
    {"en_still_hasnt", "en", "My replacement still hasn't shipped.", -1},
    {"pl_deszcz", "pl", "Kurier zostawił karton w deszczu.", -1},
    {"fr_a_lache", "fr", "La fermeture a lâché en deux jours.", -1},
    // courtesy is no praise
    {"en_friendly_reminder", "en", "Friendly reminder about my invoice, thanks in advance.", 0},
};

using Evidence = PolarityEvidence;

class PolarityRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = PolarityRules::Create(test_paths::ModelsDir());
    ASSERT_TRUE(r.ok()) << r.status();
    rules_ = r->release();
    auto l = Lexicon::Load(test_paths::ModelsDir() + "/lexicon.tsv");
    ASSERT_TRUE(l.ok()) << l.status();
    lexicon_ = l->release();
  }
  static void TearDownTestSuite() {
    delete rules_;
    delete lexicon_;
  }
  // The clauses of `text` read as one sentence, and its evidence.
  static std::vector<Clause> ClausesOf(const char* text, const char* lang,
                                       PolarityEvidence* e = nullptr) {
    const TokenizedText t = Tokenize(text);
    std::vector<Clause> clauses;
    const PolarityEvidence got =
        rules_->Score(t, 0, static_cast<int>(t.tokens.size()), lang, *lexicon_, &clauses);
    if (e != nullptr) *e = got;
    return clauses;
  }
  static PolarityRules* rules_;
  static Lexicon* lexicon_;
};
PolarityRules* PolarityRulesTest::rules_ = nullptr;
Lexicon* PolarityRulesTest::lexicon_ = nullptr;

TEST_F(PolarityRulesTest, Table) {
  for (const Case& c : kCases) {
    const TokenizedText t = Tokenize(c.text);
    std::vector<const PolarityEvidence*> parts;
    std::vector<PolarityEvidence> each(t.sentences.size());
    for (size_t i = 0; i < t.sentences.size(); ++i) {
      each[i] = rules_->Score(t, t.sentences[i].first_token,
                              t.sentences[i].end_token, c.lang, *lexicon_,
                              nullptr);
      parts.push_back(&each[i]);
    }
    const PolarityEvidence e = JoinPolarity(parts.data(), parts.size());
    const float net = e.Net() + e.lexicon_positive - e.lexicon_negative;
    const int sign = e.NoOpinion() ? 0 : (net > 0 ? 1 : (net < 0 ? -1 : 0));
    EXPECT_EQ(sign, c.sign) << c.name << ": \"" << c.text << "\" net " << net
                            << " hits " << e.hits;
    EXPECT_EQ(e.questions == e.sentences && e.sentences > 0, c.question)
        << c.name;
  }
}

Evidence JoinAll(const PolarityRules& rules, const Lexicon& lexicon,
                 const char* text, const char* lang);

// A text and the sign of its whole net evidence (lexicon included); 0: no
// complaint at all (no negative evidence).
struct SignCase {
  const char* lang;
  const char* text;
  int sign;
};
template <size_t N>
void ExpectSigns(const PolarityRules& rules, const Lexicon& lexicon, const SignCase (&cases)[N]) {
  for (const SignCase& c : cases) {
    const Evidence e = JoinAll(rules, lexicon, c.text, c.lang);
    const float net = e.Net() + e.lexicon_positive - e.lexicon_negative;
    if (c.sign == 0) {
      EXPECT_EQ(e.negative, 0) << c.text;
    } else {
      EXPECT_EQ(net > 0 ? 1 : -1, c.sign) << c.text << " net " << net;
    }
  }
}

TEST_F(PolarityRulesTest, SarcasmIsMarked) {
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "Fantastic, it died after two days.", "en").sarcasms, 0);
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "Dziękuję za nic.", "pl").sarcasms, 0);
  // An aspect named with the praise: no sarcasm.
  const PolarityEvidence e =
      JoinAll(*rules_, *lexicon_, "Tolle Farbe, aber der Reißverschluss klemmt.", "de");
  EXPECT_EQ(e.sarcasms, 0);
  EXPECT_GT(e.best_positive, 0);
}

TEST_F(PolarityRulesTest, ThanksAfterAQuestionKeepsItAQuestion) {
  EXPECT_TRUE(JoinAll(*rules_, *lexicon_, "Is parcel 7731 on its way yet? Thanks", "en")
                  .QuestionsOnly());
  EXPECT_TRUE(JoinAll(*rules_, *lexicon_, "Gibt es den Tisch auch in Eiche? Danke!", "de")
                  .QuestionsOnly());
  // Thanks alone is no question.
  EXPECT_FALSE(JoinAll(*rules_, *lexicon_, "Thanks", "en").QuestionsOnly());
}

TEST_F(PolarityRulesTest, NoteWordsAreCountedWithoutValence) {
  for (const auto& [text, lang] :
       {std::pair{"Zamówienie opłacone przelewem, odbiór w paczkomacie.", "pl"},
        std::pair{"Rechnung und Sendungsnummer per Mail erhalten.", "de"},
        std::pair{"Invoice attached to the parcel.", "en"},
        std::pair{"Pedido pagado con Bizum.", "es"}}) {
    const PolarityEvidence e = JoinAll(*rules_, *lexicon_, text, lang);
    EXPECT_GT(e.notes, 0) << text;
    EXPECT_EQ(e.positive + e.negative, 0) << text;
  }
}

// Ninth pass: a calm notice ("just letting you know", "no rush") is a
// note; its own words ("Eile", "urgence", "queja") are no complaint.
TEST_F(PolarityRulesTest, CalmMarkersAreNotesWithoutValence) {
  for (const auto& [text, lang] :
       {std::pair{"Nie ma pośpiechu, daję tylko znać.", "pl"},
        std::pair{"No rush, just letting you know.", "en"},
        std::pair{"Keine Eile, nur zur Info.", "de"},
        std::pair{"No es una queja, sin prisa.", "es"},
        std::pair{"Pas d'urgence, juste pour info.", "fr"},
        std::pair{"Nessuna fretta, ve lo segnalo solo.", "it"}}) {
    const PolarityEvidence e = JoinAll(*rules_, *lexicon_, text, lang);
    EXPECT_GT(e.calms, 0) << text;
    EXPECT_GE(e.notes, e.calms) << text;
    EXPECT_EQ(e.positive + e.negative + e.lexicon_positive + e.lexicon_negative, 0) << text;
  }
  // A calm word that is no notice.
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Fast delivery, great lamp.", "en").calms, 0);
}

// Tenth pass: a DISMISS marker per language is a calm note that counts as
// a dismissal, without valence; negated it dismisses nothing.
TEST_F(PolarityRulesTest, DismissMarkersAreCalmNotes) {
  for (const auto& [text, lang] :
       {std::pair{"Mój błąd, pytam z ciekawości.", "pl"},
        std::pair{"False alarm, my mistake.", "en"},
        std::pair{"Mein Fehler, nur als Anregung.", "de"},
        std::pair{"Falsa alarma, error mío.", "es"},
        std::pair{"Fausse alerte, erreur de ma part.", "fr"},
        std::pair{"Falso allarme, errore mio.", "it"}}) {
    const PolarityEvidence e = JoinAll(*rules_, *lexicon_, text, lang);
    EXPECT_GT(e.dismissals, 0) << text;
    EXPECT_GE(e.calms, e.dismissals) << text;
    EXPECT_GE(e.notes, e.calms) << text;
    EXPECT_EQ(e.positive + e.negative + e.lexicon_positive + e.lexicon_negative, 0) << text;
  }
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "¿Es normal en este modelo?", "es").dismissals, 0);
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "No es normal en este modelo.", "es").dismissals, 0);
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Non è normale.", "it").dismissals, 0);
}

// Fifteenth pass: an order placed to choose from (TRYON: "two sizes", "zum
// Vergleichen") is a note, and a return told in its sentence or a later one
// is no failure; after an ordinary order fact in an earlier sentence the
// return stays the verdict, and so it does when the sentence complains too.
// A repeat purchase told with its ordinal is a note, "third time" asking
// still a complaint.
TEST_F(PolarityRulesTest, TryOnOrdersMakeTheirReturnsPlans) {
  for (const auto& [text, lang] :
       {std::pair{"Zamówiłam dwa rozmiary kurtki. Jeden zostawiam, drugi odsyłam.", "pl"},
        std::pair{"Die Hose in zwei Größen zum Anprobieren bestellt. Die kleinere geht zurück.", "de"},
        std::pair{"Pedí dos tallas para comparar. Una la devuelvo.", "es"},
        std::pair{"Presi due colori per confrontare, uno lo rimando indietro.", "it"}}) {
    const PolarityEvidence e = JoinAll(*rules_, *lexicon_, text, lang);
    EXPECT_GT(e.notes, 0) << text;
    EXPECT_EQ(e.failures, 0) << text;
    EXPECT_EQ(e.negative, 0) << text;
  }
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "Die Bestellung kam am Montag. Geht zurück.", "de").negative, 0);
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "Zwei Größen bestellt, beide kaputt. Gehen zurück.", "de").negative, 0);
  for (const auto& [text, lang] :
       {std::pair{"Trzeci raz kupuję ten sam krem.", "pl"},
        std::pair{"Third time ordering these labels.", "en"},
        std::pair{"Zum dritten Mal bestellt.", "de"}}) {
    const PolarityEvidence e = JoinAll(*rules_, *lexicon_, text, lang);
    EXPECT_GT(e.notes, 0) << text;
    EXPECT_EQ(e.negative, 0) << text;
  }
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "Third time asking about my order.", "en").negative, 0);
}

TEST_F(PolarityRulesTest, ReliefAcrossButIsDecisive) {
  // The praise after "but" that relieves a worry counts as a construction,
  // not as a plain lexicon word.
  const PolarityEvidence e = JoinAll(
      *rules_, *lexicon_, "I was sceptical about the seller, but I'm impressed.", "en");
  EXPECT_GT(e.positive, 0);
  EXPECT_EQ(e.negative, 0);
}

TEST_F(PolarityRulesTest, ContrastInsideAClauseDoesNotSplitIt) {
  // German and Polish put "aber", "jednak" after the clause's subject: the
  // subject ("die Farbe") stays with the complaint.
  for (const auto& [text, lang] :
       {std::pair{"Versand schnell, die Farbe ist aber leider falsch.", "de"},
        std::pair{"Wysyłka szybka, kolor jednak bardzo słaby.", "pl"}}) {
    const std::vector<Clause> clauses = ClausesOf(text, lang);
    ASSERT_EQ(clauses.size(), 2u) << text;
    EXPECT_TRUE(clauses[1].contrast) << text;
    EXPECT_LT(clauses[1].Net(), 0) << text;
    EXPECT_LT(clauses[0].weight, clauses[1].weight) << text;
  }
}

TEST_F(PolarityRulesTest, AtFirstWeakensWhatFollows) {
  EXPECT_LT(JoinAll(*rules_, *lexicon_, "At first it worked great.", "en").positive,
            JoinAll(*rules_, *lexicon_, "It worked great.", "en").positive);
  EXPECT_LT(JoinAll(*rules_, *lexicon_, "Na początku działał świetnie.", "pl").positive,
            JoinAll(*rules_, *lexicon_, "Działał świetnie.", "pl").positive);
}

TEST_F(PolarityRulesTest, LonePraiseAfterAComplaintIsSarcasm) {
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "The lid cracked on day one. Brilliant.", "en").sarcasms, 0);
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Arrived on time. Brilliant.", "en").sarcasms, 0);
}

TEST_F(PolarityRulesTest, ContrastWeighsTheLaterClause) {
  const TokenizedText t = Tokenize("Great price, but terrible quality.");
  std::vector<Clause> clauses;
  rules_->Score(t, 0, static_cast<int>(t.tokens.size()), "en", *lexicon_,
                &clauses);
  ASSERT_EQ(clauses.size(), 2u);
  EXPECT_GT(clauses[0].Net(), 0);
  EXPECT_LT(clauses[1].Net(), 0);
  EXPECT_LT(clauses[0].weight, clauses[1].weight);
}

TEST_F(PolarityRulesTest, NegationsThatTurnNothingAreCountedForEnglish) {
  // "neither will charge": what failed, so no order note (English only).
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "I bought two of them and neither will charge.", "en")
                .failures,
            0);
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Bought it last week, haven't tried it yet.", "en")
                .failures,
            0);
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Paczki nie ma, pewnie u sąsiada.", "pl").failures, 0);
}

TEST_F(PolarityRulesTest, ShortLifeAndColonPraiseAreSarcasm) {
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "Super jakość, aż dwa dni wytrzymało.", "pl").sarcasms, 0);
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "Stellar communication: five emails, zero answers.", "en")
                .sarcasms,
            0);
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Stellar communication: answered in an hour.", "en")
                .sarcasms,
            0);
  // "the only downside" after the colon is a small complaint, not sarcasm
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Świetny produkt: jedyny minus to cena.", "pl").sarcasms, 0);
}

// Eighth pass: a failure told as an event, without an opinion word, is a
// complaint that outweighs praise of looks and delivery when it comes
// after a span of use; negated it is praise, asked about it is a question,
// and after PRIOR ("my old one") it is the reason for buying.
TEST_F(PolarityRulesTest, FailureEventsAreComplaints) {
  const SignCase kEvents[] = {
      {"en", "The toaster looks great and arrived quickly. After two weeks the lever fell off.", -1},
      {"en", "Nice colour, fast delivery. Three days later the strap snapped.", -1},
      {"en", "Lovely design, quick delivery, and it stopped after a week.", -1},
      {"pl", "Czajnik ładny i szybko dotarł. Po dwóch tygodniach zaczął przeciekać od spodu.", -1},
      {"pl", "Ładna lampa, szybka dostawa. Po tygodniu przestała się włączać.", -1},
      {"pl", "Wygodne buty, ładny kolor. Po pierwszym praniu pruje się szew.", -1},
      {"de", "Schönes Design, schnelle Lieferung. Nach drei Wochen hörte der Akku auf zu laden.", -1},
      {"de", "Tolle Farbe, schnell geliefert. Beim ersten Tragen ist der Knopf abgefallen.", -1},
      {"es", "Bonito diseño y llegó rápido. Al cabo de un mes la suela se despegó.", -1},
      {"es", "Bonita y barata. A la segunda semana dejó de funcionar.", -1},
      {"fr", "Joli design, livraison rapide. Au bout de deux semaines, la poignée s'est détachée.", -1},
      {"fr", "Belle couleur, bon prix. Après le premier lavage, la doublure s'est décousue.", -1},
      {"it", "Bel design, consegna veloce. Dopo due settimane la maniglia si è staccata.", -1},
      {"it", "Bella e economica. Dopo un mese ha smesso di caricare.", -1},
      // service events
      {"en", "The refund never arrived.", -1},
      // ... and not after an old one that was praised
      {"en", "My old one was great, but this one broke after a week.", -1},
      {"pl", "Paczka wróciła do nadawcy.", -1},
      {"es", "Nadie me contestó.", -1},
      // counter-cases: negated events are praise
      {"en", "Used it daily for a month and nothing fell off.", +1},
      {"en", "It didn't leak at all.", +1},
      {"pl", "Po miesiącu nic nie odpadło.", +1},
      {"de", "Nach einem Monat ist nichts abgebrochen.", +1},
      {"fr", "Rien ne s'est décollé.", +1},
      // ... a reason for buying is no complaint
      {"en", "The old one stopped working so I bought this.", 0},
      {"pl", "Stary czajnik przestał działać, więc kupiłam ten.", 0},
      {"de", "Mein alter Wasserkocher ist kaputt gegangen, deshalb habe ich diesen gekauft.", 0},
      {"it", "Il vecchio ha smesso di funzionare, così ho comprato questo.", 0},
      {"fr", "Mon ancien grille-pain a lâché, donc j'ai acheté celui-ci.", 0},
      {"es", "Mi antigua cafetera dejó de funcionar, por eso compré esta.", 0},
  };
  ExpectSigns(*rules_, *lexicon_, kEvents);
  // A failure asked about weighs little: "Does it leak?" stays a question
  // without an opinion.
  EXPECT_TRUE(JoinAll(*rules_, *lexicon_, "Does it leak?", "en").NoOpinion());
  EXPECT_TRUE(JoinAll(*rules_, *lexicon_, "¿Se despega la suela?", "es").NoOpinion());
  // The span of use makes the failure a short life: more than the event.
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "After two weeks the handle fell off.", "en").negative,
            JoinAll(*rules_, *lexicon_, "The handle fell off.", "en").negative);
  // A stop verb before a complaint ends it: no failure.
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "It stopped hurting.", "en").negative, 0);
}

// Ninth pass: failure wordings by family (tearing, unsticking, coming
// loose, giving up), a cease told after its verb (German "nicht mehr",
// French "plus", Italian "più" after a FUNCTION verb; German "nicht" after
// one), and a failure in a concession after the main clause. Negated
// events are praise, a stop of a complaint is praise, an old product's
// failure is a reason for buying, a question is no opinion.
TEST_F(PolarityRulesTest, FailureEventsSecondRound) {
  const SignCase kEvents[] = {
      {"en", "Looks great. The zip gave up after two weeks.", -1},
      {"en", "Nice and cheap, but the drawer won't go past halfway.", -1},
      {"pl", "Ładne i wygodne. Po tygodniu podeszwa się rozkleiła.", -1},
      {"de", "Schöne Tasche. Nach einem Monat hat sich der Griff gelockert.", -1},
      {"es", "Bonita y barata. Al mes se rasgó la tela.", -1},
      {"fr", "Joli et pas cher. Le tissu s'est troué au premier lavage.", -1},
      {"it", "Bella e comoda. Dopo una settimana la suola si è scollata.", -1},
      // a cease after its verb, or split from it
      {"de", "Schönes Design. Nach einer Woche geht der Akku nicht mehr.", -1},
      {"de", "Das Tablet lädt seit gestern gar nicht mehr.", -1},
      {"de", "Funktioniert seit gestern nicht.", -1},
      {"fr", "La pompe ne tient plus.", -1},
      {"it", "La batteria non tiene più.", -1},
      // a failure told last in a concession
      {"de", "Super bequem, wobei die Sohle nach einem Monat durchgelaufen ist.", -1},
      {"en", "Looks lovely, although the strap snapped after a week.", -1},
      // counter-cases: negated events and a stopped complaint are praise
      {"de", "Hat nie versagt.", +1},
      {"de", "Die Tür quietscht nicht mehr.", +1},
      {"pl", "Nie przestał działać.", +1},
      {"es", "No se ha roto.", +1},
      {"pl", "Nic się nie rozkleiło.", +1},
      // ... a failure in a concession that opens the sentence weighs less
      // than the resolution after it
      {"en", "Although it broke after a week, the shop replaced it fast.", +1},
      // ... and no complaint: an old one's failure, "no more than",
      // "don't want to take them off any more"
      {"de", "Mein alter Akku lädt nicht mehr, deshalb habe ich diesen gekauft.", 0},
      {"de", "Es kostet nicht mehr als fünf Euro.", 0},
      {"de", "Die will ich gar nicht mehr ausziehen.", 0},
      {"it", "Il mio vecchio caricatore non carica più, così ho preso questo.", 0},
  };
  ExpectSigns(*rules_, *lexicon_, kEvents);
  // A failure asked about is a question without an opinion.
  EXPECT_TRUE(JoinAll(*rules_, *lexicon_, "¿Se rasga fácilmente?", "es").NoOpinion());
  EXPECT_TRUE(JoinAll(*rules_, *lexicon_, "Lädt er nach einem Jahr nicht mehr?", "de").NoOpinion());
  // The failure told last weighs in full; in a concession that opens the
  // sentence, less.
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "It looks great, although it broke.", "en").negative,
            JoinAll(*rules_, *lexicon_, "Although it broke, it looks great.", "en").negative);
}

// Tenth pass: German turns. A complaint told as an event in the Perfekt of
// a separable verb ("eingeknickt", "durchgebrochen"), a product verb with
// "nicht", and a sentence that opens with a failure's short life turns
// the praise told before it, as "but" does. The NOMORE bug: an older
// FAILURE phrase ending in "nicht mehr" no longer takes the praise after it.
TEST_F(PolarityRulesTest, GermanTurns) {
  const SignCase kTurns[] = {
      {"de", "Tolle Bank. Beim Fest ist ein Bein eingeknickt.", -1},
      {"de", "Der Stein ist in der Mitte durchgebrochen.", -1},
      {"de", "Die Maschine mahlt jede zweite Tasse nicht.", -1},
      {"de", "Der Deckel lässt sich nicht öffnen.", -1},
      // praise first, then a short life: the failure decides
      {"de",
       "Schnelle Lieferung, super Qualität, die Kinder waren total begeistert. Am zweiten Tag "
       "ist eine Kufe abgebrochen.",
       -1},
      {"en",
       "Fast delivery, great quality, the kids were thrilled and loved it. After a week the "
       "handle fell off.",
       -1},
      // a SEPARABLE verb with its particle ending the clause
      {"de", "Der Motor setzt bei Steigungen einfach aus.", -1},
      {"de", "Die Figur spielt zwei Minuten und bricht dann ab.", -1},
      // ... negated between them, or a failure negated after the verb
      {"de", "Die Sohle löst sich auch nach Monaten nicht ab.", +1},
      {"de", "Der Hahn tropft auch nach Wochen nicht.", +1},
      {"de", "Die Farbe färbt nicht ab.", +1},
      // the NOMORE bug: "nicht mehr" negates the complaint after it
      {"de", "Der Akku lädt nicht mehr so langsam.", +1},
      {"de", "Das Fenster geht nicht mehr so schwer auf.", +1},
      // counter-cases: still the failure; negated; no failure in "hingerissen"
      {"de", "Der Akku lädt nicht mehr.", -1},
      {"de", "Die Pralinen kamen nicht geschmolzen an.", +1},
      {"de", "Ich bin hingerissen.", 0},
  };
  ExpectSigns(*rules_, *lexicon_, kTurns);
  // The turn halves the sentences before it, and is a "but".
  const PolarityEvidence turned = JoinAll(
      *rules_, *lexicon_, "Super Qualität. Am zweiten Tag ist der Griff abgebrochen.", "de");
  const PolarityEvidence plain =
      JoinAll(*rules_, *lexicon_, "Super Qualität. Der Griff ist abgebrochen.", "de");
  EXPECT_EQ(turned.buts, 1);
  EXPECT_EQ(plain.buts, 0);
  EXPECT_LT(turned.Net(), plain.Net());
  // A failure negated after the verb is no short life, and no turn.
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Super Qualität. Nach einer Woche tropft der Hahn nicht.",
                    "de")
                .buts,
            0);
  // ... not when asked about.
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Super Qualität. Ist am zweiten Tag der Griff abgebrochen?",
                    "de")
                .buts,
            0);
}

// Fifth pass: the connective is evidence. A clause after "but" without
// decisive evidence of its own turns against the clauses before it, and a
// concession's main clause against the concession.
// Tenth pass: the customer's consequence or verdict told as an act or as
// the product's state (CONSEQUENCE) is a failure event in every language;
// negated it is praise, "nearly sent it back" is nothing, a return told as
// a smooth process or with an order fact carries nothing, and asked about
// it keeps half its weight.
TEST_F(PolarityRulesTest, ConsequencesAreVerdicts) {
  const SignCase kConsequences[] = {
      {"en", "Nice colour, but I sent it straight back.", -1},
      {"en", "Lovely design. She went back to her old one.", -1},
      {"pl", "Ładna sukienka. Odesłałam.", -1},
      {"pl", "Ładnie wygląda. Od tamtej pory stoi wyłączony.", -1},
      {"de", "Schöne Farbe. Das Gerät liegt im Keller.", -1},
      {"de", "Sieht gut aus, geht aber zurück.", -1},
      {"es", "Muy bonita, pero la devolví.", -1},
      {"fr", "Très joli, mais je l'ai renvoyé.", -1},
      {"it", "Bellissimo, ma l'ho reso.", -1},
      // counter-cases: negated, nearly, a smooth return, an order fact
      {"en", "I didn't have to send it back.", +1},
      {"pl", "Nie musiałam go odsyłać.", +1},
      {"de", "Ich musste nichts zurückschicken.", +1},
      {"es", "No tuve que devolverlo.", +1},
      {"it", "Non l'ho reso, va benissimo.", +1},
      {"en", "I nearly sent it back.", 0},
      {"en", "Sent it back, the refund came within three days, no hassle.", +1},
      {"de", "Zwei Artikel retourniert, Gutschrift ist im Kundenkonto sichtbar.", 0},
  };
  ExpectSigns(*rules_, *lexicon_, kConsequences);
  // Asked about, a consequence keeps half its weight (a failure's a third).
  const PolarityEvidence asked = JoinAll(*rules_, *lexicon_, "Can I send it back?", "en");
  const PolarityEvidence told = JoinAll(*rules_, *lexicon_, "I sent it back.", "en");
  EXPECT_NEAR(asked.negative,
              PolarityRules::kConsequenceQuestionShare * PolarityRules::kQueryWeight * told.negative,
              1e-4);
}

TEST_F(PolarityRulesTest, ContrastIsEvidence) {
  struct Turn {
    const char* text;
    const char* lang;
    size_t clause;  // the clause that takes the default
    int sign;
  };
  for (const Turn& c : {
           Turn{"Lovely stitching, but the handle came off after a week.", "en", 1, -1},
           Turn{"Świetny kolor, ale rączka odpadła po tygodniu.", "pl", 1, -1},
           Turn{"Tolle Optik, aber der Deckel schließt nach zwei Wochen nicht mehr.", "de", 1, -1},
           Turn{"Precio genial, pero la tapa se soltó a la semana.", "es", 1, -1},
           Turn{"The first charger was faulty, but they sent another one the next day.", "en", 1, +1},
           Turn{"Pierwsza ładowarka była wadliwa, ale od razu wysłali kolejną.", "pl", 1, +1},
           Turn{"Obwohl die App toll aussieht, findet die Suche kaum etwas.", "de", 1, -1},
           Turn{"Although the first parcel was lost, they shipped a second one at once.", "en", 1, +1},
       }) {
    PolarityEvidence e;
    const std::vector<Clause> clauses = ClausesOf(c.text, c.lang, &e);
    ASSERT_GT(clauses.size(), c.clause) << c.text;
    const float net = clauses[c.clause].Net();
    EXPECT_EQ(net > 0 ? 1 : (net < 0 ? -1 : 0), c.sign) << c.text << " net " << net;
    EXPECT_GT(e.constructions, 0) << c.text;
  }
  // A clause after "but" with decisive evidence of its own keeps it.
  const std::vector<Clause> clauses = ClausesOf("Slow courier, but the quality is excellent.", "en");
  ASSERT_EQ(clauses.size(), 2u);
  EXPECT_GT(clauses[1].Net(), 0);
  // Nothing before "but" to turn against: no default.
  PolarityEvidence none;
  ClausesOf("Ordered on Monday, but it came on Friday.", "en", &none);
  EXPECT_EQ(none.positive + none.negative, 0);
}

// Fifth pass: a problem put right after a complaint is praise and marks the
// sentence as resolved; without a complaint the verb carries nothing, and
// negated it is a complaint.
TEST_F(PolarityRulesTest, ResolutionAfterAComplaint) {
  for (const auto& [text, lang] :
       {std::pair{"The checkout crashed twice, but support fixed it the same evening.", "en"},
        std::pair{"Przelew utknął, ale pani z obsługi wszystko załatwiła od ręki.", "pl"},
        std::pair{"Die Lieferadresse war falsch, doch der Händler hat das sofort geklärt.", "de"},
        std::pair{"El cargador vino roto, pero enviaron otro al día siguiente.", "es"}}) {
    const PolarityEvidence e = JoinAll(*rules_, *lexicon_, text, lang);
    EXPECT_EQ(e.resolutions, 1) << text;
    EXPECT_GT(e.Net() + e.lexicon_positive - e.lexicon_negative, 0) << text;
  }
  // No complaint before it: nothing to resolve, no praise.
  const PolarityEvidence plain =
      JoinAll(*rules_, *lexicon_, "They replaced the battery and sent it back.", "en");
  EXPECT_EQ(plain.resolutions, 0);
  EXPECT_EQ(plain.positive, 0);
  // Negated: a complaint, no resolution.
  const PolarityEvidence negated = JoinAll(
      *rules_, *lexicon_, "The rep was friendly, but nobody solved my issue.", "en");
  EXPECT_EQ(negated.resolutions, 0);
  EXPECT_GT(negated.negative, 0);
}

// Seventeenth pass: a problem put right or a bad outcome avoided, told as
// an event (PUTRIGHT), is praise when SentimentParams::put_right loads the
// rows; negated a complaint; a pending refund is no event; off (0) the
// rows are not read at all.
TEST_F(PolarityRulesTest, ProblemsPutRightArePraise) {
  auto on = PolarityRules::Create(test_paths::ModelsDir(), 0.8f);
  ASSERT_TRUE(on.ok()) << on.status();
  const PolarityRules& put_right = **on;
  const std::pair<const char*, const char*> kPutRight[] = {
      {"Po dwóch tygodniach pieniądze wróciły na konto.", "pl"},
      {"Reklamacja została uznana w trzy dni.", "pl"},
      {"Nowa przyszła już w piątek.", "pl"},
      {"In the end I got my money back.", "en"},
      {"The replacement arrived two days later.", "en"},
      {"The parcel turned up after all.", "en"},
      {"Der Ersatz kam schon am nächsten Tag.", "de"},
      {"Die Reklamation wurde anerkannt.", "de"},
      {"Das Paket ist doch noch angekommen.", "de"},
      {"Al final me devolvieron el dinero.", "es"},
      {"El paquete apareció a los tres días.", "es"},
      {"J'ai été remboursé intégralement.", "fr"},
      {"Le colis a été retrouvé le lendemain.", "fr"},
      {"Dopo una settimana mi hanno rimborsato.", "it"},
      {"Il nuovo è arrivato in due giorni.", "it"},
  };
  for (const auto& [text, lang] : kPutRight) {
    const PolarityEvidence e = JoinAll(put_right, *lexicon_, text, lang);
    EXPECT_EQ(e.put_rights, 1) << text;
    EXPECT_GT(e.Net() + e.lexicon_positive - e.lexicon_negative, 0) << text;
    // Off: no event is counted (the table reads as without the rows).
    EXPECT_EQ(JoinAll(*rules_, *lexicon_, text, lang).put_rights, 0) << text;
  }
  // Negated: a complaint, no event.
  const std::pair<const char*, const char*> kNegated[] = {
      {"Nie dostałam zwrotu pieniędzy, choć minął miesiąc.", "pl"},
      {"I never got my money back.", "en"},
      {"Kein Geld zurückbekommen, keine Antwort.", "de"},
      {"Nunca me devolvieron el dinero.", "es"},
  };
  for (const auto& [text, lang] : kNegated) {
    const PolarityEvidence e = JoinAll(put_right, *lexicon_, text, lang);
    EXPECT_EQ(e.put_rights, 0) << text;
    EXPECT_LT(e.Net() + e.lexicon_positive - e.lexicon_negative, 0) << text;
  }
  // A refund still pending is no event put right, nor a German negation
  // inside the phrase ("wurde nicht anerkannt": not matched).
  for (const auto& [text, lang] :
       {std::pair{"Die Reklamation wurde nicht anerkannt.", "de"},
        std::pair{"Still waiting for the refund three weeks on.", "en"},
        std::pair{"Nadal czekam na zwrot pieniędzy.", "pl"},
        std::pair{"Auf die Erstattung warte ich immer noch.", "de"},
        std::pair{"J'attends toujours mon remboursement.", "fr"},
        std::pair{"Sto ancora aspettando il rimborso.", "it"}}) {
    EXPECT_EQ(JoinAll(put_right, *lexicon_, text, lang).put_rights, 0) << text;
  }
}

// Fifth pass: irony emoji are complaints, and a lone praise word is
// sarcastic when the rest of its sentence complains, not only the next
// clause.
TEST_F(PolarityRulesTest, IronyEmojiAndLaterComplaints) {
  const PolarityEvidence e =
      JoinAll(*rules_, *lexicon_, "Oh lovely, I ordered the green one, got a grey one \xF0\x9F\x99\x83", "en");
  EXPECT_GT(e.sarcasms, 0);
  EXPECT_LT(e.Net(), 0);
  const PolarityEvidence pl =
      JoinAll(*rules_, *lexicon_, "Super, zamówiłem rozmiar M, dostałem XL \xF0\x9F\x99\x84", "pl");
  EXPECT_GT(pl.sarcasms, 0);
  // Praise with a plain smile stays praise.
  EXPECT_EQ(JoinAll(*rules_, *lexicon_, "Lovely, it came in green \xF0\x9F\x98\x8A", "en").sarcasms, 0);
}

// Fifth pass: "only" opening a clause after praise is "but"; after a
// complaint it goes on with it; before a number it is "only".
TEST_F(PolarityRulesTest, OnlyAfterPraiseIsBut) {
  for (const auto& [text, lang] :
       {std::pair{"Super lampa, tylko klosz przyszedł pęknięty.", "pl"},
        std::pair{"Tolle Lampe, nur der Schirm kam gesprungen an.", "de"},
        std::pair{"Great lamp, only the shade arrived cracked.", "en"}}) {
    const std::vector<Clause> clauses = ClausesOf(text, lang);
    ASSERT_EQ(clauses.size(), 2u) << text;
    EXPECT_TRUE(clauses[1].contrast) << text;
    EXPECT_LT(clauses[1].Net(), 0) << text;  // the contrast default
    EXPECT_LT(clauses[0].weight, clauses[1].weight) << text;
  }
  for (const auto& [text, lang] :
       {std::pair{"The support was useless, just copy-paste answers.", "en"},
        std::pair{"Great lamp, only 20 euros.", "en"}}) {
    const std::vector<Clause> clauses = ClausesOf(text, lang);
    ASSERT_GE(clauses.size(), 2u) << text;
    for (const Clause& c : clauses) EXPECT_FALSE(c.contrast) << text;
  }
}

// Fifth pass, round 2: praise by denying a problem is counted (a negated
// table word, a praise idiom with a negator in it, a lexicon word after a
// negative determiner); a verb's negation of a plain lexicon word is not.
TEST_F(PolarityRulesTest, DenialsAreCounted) {
  for (const auto& [text, lang] :
       {std::pair{"Zero problemów ze zwrotem.", "pl"}, std::pair{"Bez zastrzeżeń.", "pl"},
        std::pair{"Nic nie cieknie.", "pl"}, std::pair{"Keine Probleme mit der Lieferung.", "de"},
        std::pair{"No problems at all.", "en"}}) {
    const PolarityEvidence e = JoinAll(*rules_, *lexicon_, text, lang);
    EXPECT_GT(e.denials, 0) << text;
    EXPECT_GT(e.Net(), 0) << text;
  }
  for (const auto& [text, lang] :
       {std::pair{"Nikt nie pamiętał ustaleń.", "pl"}, std::pair{"Nie polecam.", "pl"},
        std::pair{"It is not good.", "en"}}) {
    EXPECT_EQ(JoinAll(*rules_, *lexicon_, text, lang).denials, 0) << text;
  }
  // A praise idiom is counted apart (it does not overrule a MIXED).
  const PolarityEvidence idiom = JoinAll(*rules_, *lexicon_, "Does the job.", "en");
  EXPECT_EQ(idiom.denials, 0);
  EXPECT_GT(idiom.praise_idioms, 0);
}

// An emoji ends a negation's scope: "nie mogłem 🙂 Kurtka wygodna" does
// not negate the comfort (fifth pass, round 3).
TEST_F(PolarityRulesTest, AnEmojiEndsANegation) {
  const PolarityEvidence e =
      JoinAll(*rules_, *lexicon_, "Lepiej wybrać nie mogłem 🙂 Kurtka wygodna.", "pl");
  EXPECT_GT(e.Net(), 0);
  EXPECT_EQ(e.negative, 0);
}

// The review model reads a concession's sentence without the conceded
// clause when the concession opens it (ConcededInput()): the main clause's
// input, in every language the layer knows a concession word of; nothing
// is left out of a concession told after the main clause (often the
// complaint of a MIXED review) or that weighs 1 (a failure told last), of a
// sentence that is all concession, or of a sentence without one.
TEST_F(PolarityRulesTest, TheModelReadsAConcessionsMainClause) {
  struct Conceded {
    const char* lang;
    const char* text;
    const char* main;  // what the model reads; "" = the whole sentence
  };
  const Conceded kConceded[] = {
      {"en", "Although the app is easy to use, the lamp itself is a letdown.",
       "the lamp itself is a letdown."},
      {"en", "The lamp itself is a letdown, although the app is easy to use.", ""},
      {"de", "Obwohl der Verkäufer freundlich war, ist der Toaster nach einer Woche kaputt.",
       "ist der Toaster nach einer Woche kaputt."},
      {"pl", "Choć kurier był miły, paczka przyszła zgnieciona.", "paczka przyszła zgnieciona."},
      {"en", "Nice idea, though the lid leaks after a week.", ""},
      {"en", "Although the app is easy to use.", ""},
      {"en", "The app is easy to use, but the lamp is a letdown.", ""},
  };
  for (const Conceded& c : kConceded) {
    const TokenizedText t = Tokenize(c.text);
    const int end = static_cast<int>(t.tokens.size());
    std::vector<Clause> clauses;
    rules_->Score(t, 0, end, c.lang, *lexicon_, &clauses);
    const std::string got = ConcededInput(t, 0, end, clauses);
    if (*c.main == '\0') {
      EXPECT_EQ(got, "") << c.text;
      continue;
    }
    const TokenizedText main = Tokenize(c.main);
    EXPECT_EQ(got, SentimentInput(main, 0, static_cast<int>(main.tokens.size()))) << c.text;
  }
}

// ... and so reads it with the main clause's sign more than when it reads
// the conceded praise too (SentimentParams::model_skips_conceded; the
// label arbiter off: the composed reading).
TEST(ConcededClauseTest, TheMainClauseDecidesTheModelsReading) {
  AnalyzerConfig skips, reads;
  skips.use_label_arbiter = reads.use_label_arbiter = false;
  reads.sentiment.model_skips_conceded = false;
  auto a = CreateAnalyzerWithConfig(test_paths::ModelsDir(), skips);
  auto b = CreateAnalyzerWithConfig(test_paths::ModelsDir(), reads);
  ASSERT_TRUE(a.ok() && b.ok());
  for (const char* text : {"Although the app is easy to use, the lamp itself is a letdown.",
                           "Although the packaging was lovely, the kettle leaks."}) {
    const float skipped = (*a)->Analyze(text, AnalyzeOptions()).sentiment.score;
    const float read = (*b)->Analyze(text, AnalyzeOptions()).sentiment.score;
    EXPECT_LT(skipped, read) << text;
    EXPECT_LT(skipped, 0) << text;
  }
  EXPECT_NE((*a)->ModelVersion(), (*b)->ModelVersion());
}

// Fourteenth pass: a sentence that opens with a verdict ("Overall, ...",
// "W sumie ...") or a story's turn ("Then ...", "Potem ...") is a "but"
// without the word: its clause decides, and the sentences before it weigh
// half when it goes against them; a failure after a day, night or week
// counted in order ("trzeciego dnia", LIFE) is a short life that turns
// the story. Each row: the text with the marker turns against the praise
// before it; the same text without the marker does not.
struct TurnCase {
  const char* lang;
  const char* with_marker;
  const char* without_marker;
};

TEST_F(PolarityRulesTest, VerdictsAndTurnsDecideAcrossSentences) {
  const TurnCase kTurns[] = {
      {"en", "The kettle looks lovely and boils fast. Overall, I am very disappointed.",
       "The kettle looks lovely and boils fast. I am very disappointed."},
      {"en", "Lovely colour, very soft, warm and comfortable. Then the zip broke.",
       "Lovely colour, very soft, warm and comfortable. The zip broke."},
      {"pl", "Kurtka ładna, ciepła i wygodna. W sumie jestem bardzo rozczarowana.",
       "Kurtka ładna, ciepła i wygodna. Jestem bardzo rozczarowana."},
      {"pl", "Kurtka ładna, ciepła i wygodna. Potem pękł zamek.",
       "Kurtka ładna, ciepła i wygodna. Pękł zamek."},
      {"de", "Die Jacke ist schön, warm und bequem. Insgesamt bin ich sehr enttäuscht.",
       "Die Jacke ist schön, warm und bequem. Ich bin sehr enttäuscht."},
      {"de", "Die Jacke ist schön, warm und bequem. Dann ist der Reißverschluss kaputt gegangen.",
       "Die Jacke ist schön, warm und bequem. Der Reißverschluss ist kaputt gegangen."},
      {"es", "La chaqueta es bonita, cálida y cómoda. En resumen, estoy muy decepcionada.",
       "La chaqueta es bonita, cálida y cómoda. Estoy muy decepcionada."},
      {"es", "La chaqueta es bonita, cálida y cómoda. Luego se rompió la cremallera.",
       "La chaqueta es bonita, cálida y cómoda. Se rompió la cremallera."},
      {"fr", "La veste est belle, chaude et confortable. Au final, je suis très déçue.",
       "La veste est belle, chaude et confortable. Je suis très déçue."},
      {"it", "La giacca è bella, calda e comoda. Nel complesso, sono molto delusa.",
       "La giacca è bella, calda e comoda. Sono molto delusa."},
      {"it", "La giacca è bella, calda e comoda. Poi si è rotta la cerniera.",
       "La giacca è bella, calda e comoda. Si è rotta la cerniera."},
      // A day, night or week counted in order is a short life (LIFE).
      {"pl", "Kurtka ładna, ciepła i wygodna. Trzeciego dnia pękł zamek.",
       "Kurtka ładna, ciepła i wygodna. Pękł zamek."},
      {"en", "Lovely colour, very soft, warm and comfortable. On the third day the zip broke.",
       "Lovely colour, very soft, warm and comfortable. The zip broke."},
      {"de", "Die Jacke ist schön, warm und bequem. In der zweiten Woche ist der Reißverschluss "
             "kaputt gegangen.",
       "Die Jacke ist schön, warm und bequem. Der Reißverschluss ist kaputt gegangen."},
      {"es", "La chaqueta es bonita, cálida y cómoda. A la segunda semana se rompió la cremallera.",
       "La chaqueta es bonita, cálida y cómoda. Se rompió la cremallera."},
      {"it", "La giacca è bella, calda e comoda. Il giorno dopo si è rotta la cerniera.",
       "La giacca è bella, calda e comoda. Si è rotta la cerniera."},
  };
  auto net = [&](const char* text, const char* lang) {
    const Evidence e = JoinAll(*rules_, *lexicon_, text, lang);
    return e.Net() + e.lexicon_positive - e.lexicon_negative;
  };
  for (const TurnCase& c : kTurns) {
    EXPECT_LT(net(c.with_marker, c.lang), 0) << c.with_marker;
    EXPECT_GT(net(c.without_marker, c.lang), 0) << c.without_marker;
  }
  // The verdict's clause is the contrasted one (it decides: nlp/analyzer.cc).
  const TokenizedText t = Tokenize("Au final, je suis déçue.");
  std::vector<Clause> clauses;
  const PolarityEvidence e =
      rules_->Score(t, 0, static_cast<int>(t.tokens.size()), "fr", *lexicon_, &clauses);
  EXPECT_TRUE(e.opener_turn);
  ASSERT_EQ(clauses.size(), 2u);
  EXPECT_FALSE(clauses[0].contrast);
  EXPECT_TRUE(clauses[1].contrast);
  // A verdict on the same side halves nothing; a turn without evidence is
  // the story going on; a marker inside a sentence is no opener.
  EXPECT_FLOAT_EQ(net("Lovely colour, soft and warm. Overall, great.", "en"),
                  net("Lovely colour, soft and warm. Great.", "en"));
  EXPECT_FALSE(JoinAll(*rules_, *lexicon_, "Then I put it together.", "en").opener_turn);
  EXPECT_FALSE(JoinAll(*rules_, *lexicon_, "It was fine then broke.", "en").opener_turn);
  // A delivery the next day stays praise.
  EXPECT_GT(JoinAll(*rules_, *lexicon_, "The parcel arrived the next day.", "en").Net(), 0);
}

Evidence JoinAll(const PolarityRules& rules, const Lexicon& lexicon,
                 const char* text, const char* lang) {
  const TokenizedText t = Tokenize(text);
  std::vector<PolarityEvidence> each(t.sentences.size());
  std::vector<const PolarityEvidence*> parts;
  for (size_t i = 0; i < t.sentences.size(); ++i) {
    each[i] = rules.Score(t, t.sentences[i].first_token, t.sentences[i].end_token,
                          lang, lexicon, nullptr);
    parts.push_back(&each[i]);
  }
  return JoinPolarity(parts.data(), parts.size());
}

// Each (language, text) row is NEGATIVE with the shipped settings and not
// NEGATIVE with `off` (one setting switched off), and the two analyzers'
// model_version differ.
template <size_t N>
void ExpectNegativeOnlyWithTheSetting(const AnalyzerConfig& off,
                                      const std::pair<const char*, const char*> (&rows)[N]) {
  auto with = CreateAnalyzerWithConfig(test_paths::ModelsDir(), AnalyzerConfig());
  auto without = CreateAnalyzerWithConfig(test_paths::ModelsDir(), off);
  ASSERT_TRUE(with.ok() && without.ok());
  for (const auto& [lang, text] : rows) {
    AnalyzeOptions o;
    o.language_hint = lang;
    EXPECT_EQ((*with)->Analyze(text, o).sentiment.label, SentimentLabel::kNegative) << text;
    EXPECT_NE((*without)->Analyze(text, o).sentiment.label, SentimentLabel::kNegative) << text;
  }
  EXPECT_NE((*with)->ModelVersion(), (*without)->ModelVersion());
}

// Fifteenth pass (models/README.md, "Fifteenth pass: the late clause
// reading"): a review that turns, praise first and a complaint told without
// opinion words last, which the composition reads POSITIVE with a weak
// score: the clause models' reading of the last third of its clauses
// decides (SentimentParams::late_reading). Each row is NEGATIVE with the
// shipped models and not NEGATIVE with late_reading 0.
// Twentieth pass (models/README.md, "Twentieth pass"): contrast_override
// is off (out of fold it turned 18 labels wrong for 3 right): the evidence
// after the last "aber" of a shrug ("muss man aber nicht") no longer
// swaps the model's complaint for praise. NEGATIVE by default, not with the
// old 0.5.
TEST(ContrastOverrideTest, OffKeepsTheModelsComplaint) {
  AnalyzerConfig old;
  ASSERT_EQ(old.sentiment.contrast_override, 0.0f);
  old.sentiment.contrast_override = 0.5f;
  const std::pair<const char*, const char*> kRows[] = {
      {"de", "Naja, kann man bestellen, muss man aber nicht. Der Toaster bräunt ungleichmäßig."},
  };
  ExpectNegativeOnlyWithTheSetting(old, kRows);
}

// Twenty-first pass (models/README.md, "Twenty-first pass: the complaint
// the rules cannot see"): praise, then a failure told without a word of the
// rule tables. The composition reads POSITIVE (its evidence is the praise
// only), a clause model reads the failure at -blind_complaint (0.8) or
// below, and the review model without the compositional layer reads
// NEGATIVE: NEGATIVE with the step, not without it. The shipped step also
// wants the review model's score at -blind_complaint_score (0.75) or below;
// the two rows' are -0.4 and -0.5, so they flip with that bound at 0 and
// keep their label with the shipped one. A remark the customer dismisses
// ("Nur als Anregung: …") is no such complaint.
TEST(BlindComplaintTest, TheReviewModelReadsAFailureTheRulesCannotSee) {
  const AnalyzerConfig shipped;
  ASSERT_EQ(shipped.sentiment.blind_complaint, 0.8f);
  ASSERT_EQ(shipped.sentiment.blind_complaint_score, 0.75f);
  AnalyzerConfig any_score, off;
  any_score.sentiment.blind_complaint_score = 0;
  off.sentiment.blind_complaint = 0;
  const std::pair<const char*, const char*> kRows[] = {
      {"fr", "Jolie lampe, lumière chaude, livrée vite. Au bout de dix jours elle clignote sans "
             "arrêt."},
      {"de", "Hübsche Vase, gut verpackt und pünktlich da. Beim ersten Befüllen lief das Wasser "
             "unten raus."},
  };
  auto with = CreateAnalyzerWithConfig(test_paths::ModelsDir(), any_score);
  auto without = CreateAnalyzerWithConfig(test_paths::ModelsDir(), off);
  auto as_shipped = CreateAnalyzerWithConfig(test_paths::ModelsDir(), shipped);
  ASSERT_TRUE(with.ok() && without.ok() && as_shipped.ok());
  for (const auto& [lang, text] : kRows) {
    AnalyzeOptions o;
    o.language_hint = lang;
    EXPECT_EQ((*with)->Analyze(text, o).sentiment.label, SentimentLabel::kNegative) << text;
    EXPECT_EQ((*without)->Analyze(text, o).sentiment.label, SentimentLabel::kPositive) << text;
    EXPECT_EQ((*as_shipped)->Analyze(text, o).sentiment.label, SentimentLabel::kPositive) << text;
  }
  AnalyzeOptions de;
  de.language_hint = "de";
  EXPECT_EQ((*with)->Analyze("Super Wasserkocher, schnell und leise. Nur als Anregung: ein "
                             "längeres Kabel wäre praktisch.",
                             de)
                .sentiment.label,
            SentimentLabel::kPositive);
  EXPECT_NE((*with)->ModelVersion(), (*without)->ModelVersion());
  EXPECT_NE((*with)->ModelVersion(), (*as_shipped)->ModelVersion());
}

// Twenty-first pass (models/README.md, "Twenty-first pass"): praise and a
// remark the customer dismisses, no complaint in the evidence: the clause
// model's reading of the remark ("ein Rezeptheft wäre schön" at -0.7) does
// not turn the review (SentimentParams::deciding_skips_dismissed; the
// convention case de_praise_and_suggestion, which the models retrained
// with cases20 read NEGATIVE without it).
TEST(DecidingClauseTest, ADismissedRemarkDoesNotDecide) {
  AnalyzerConfig off;
  ASSERT_TRUE(off.sentiment.deciding_skips_dismissed);
  off.sentiment.deciding_skips_dismissed = false;
  auto with = CreateAnalyzerWithConfig(test_paths::ModelsDir(), AnalyzerConfig());
  auto without = CreateAnalyzerWithConfig(test_paths::ModelsDir(), off);
  ASSERT_TRUE(with.ok() && without.ok());
  AnalyzeOptions de;
  de.language_hint = "de";
  const char* text = "Toller Mixer, sehr leise und kraftvoll. Nur als Anregung: ein Rezeptheft "
                     "wäre schön.";
  EXPECT_EQ((*with)->Analyze(text, de).sentiment.label, SentimentLabel::kPositive);
  EXPECT_EQ((*without)->Analyze(text, de).sentiment.label, SentimentLabel::kNegative);
  EXPECT_NE((*with)->ModelVersion(), (*without)->ModelVersion());
}

// Twenty-fifth pass (models/README.md, "Twenty-fifth pass"): a language
// listed in SentimentParams::deciding_clause_off (empty by default; a
// setting prepared, not chosen) is never turned by its deciding clause.
// The English clause model reads a closing "She has my vote" as a
// complaint, and the step lets it decide the review; with English off the
// praise stands. Only the listed languages: a Spanish turn told without
// lexicon words is still decided by its last clause with English off, and
// not with Spanish off.
TEST(DecidingClauseTest, OffForALanguageItsReviewsAreNotTurned) {
  ASSERT_TRUE(AnalyzerConfig().sentiment.deciding_clause_off.empty());
  AnalyzerConfig en_off, es_off;
  en_off.sentiment.deciding_clause_off = {"en"};
  es_off.sentiment.deciding_clause_off = {"es"};
  auto shipped = CreateAnalyzerWithConfig(test_paths::ModelsDir(), AnalyzerConfig());
  auto without_en = CreateAnalyzerWithConfig(test_paths::ModelsDir(), en_off);
  auto without_es = CreateAnalyzerWithConfig(test_paths::ModelsDir(), es_off);
  ASSERT_TRUE(shipped.ok() && without_en.ok() && without_es.ok());
  const char* en = "Love this lamp. The light is warm and bright. She has my vote";
  EXPECT_EQ((*shipped)->Analyze(en, AnalyzeOptions()).sentiment.label, SentimentLabel::kNegative);
  EXPECT_EQ((*without_en)->Analyze(en, AnalyzeOptions()).sentiment.label,
            SentimentLabel::kPositive);
  const char* es = "Lámpara bonita, luz cálida. A la semana parpadea todo el rato.";
  EXPECT_EQ((*shipped)->Analyze(es, AnalyzeOptions()).sentiment.label, SentimentLabel::kNegative);
  EXPECT_EQ((*without_en)->Analyze(es, AnalyzeOptions()).sentiment.label,
            SentimentLabel::kNegative);
  EXPECT_EQ((*without_es)->Analyze(es, AnalyzeOptions()).sentiment.label,
            SentimentLabel::kPositive);
  EXPECT_NE((*shipped)->ModelVersion(), (*without_en)->ModelVersion());
  EXPECT_NE((*without_en)->ModelVersion(), (*without_es)->ModelVersion());
}

TEST(LateClauseReadingTest, TheLateReadingDecidesATurn) {
  AnalyzerConfig off;
  off.sentiment.late_reading = 0;
  // Nineteenth pass (retrained with cases18): the first rug and the
  // German picture frame below read POSITIVE with and without the
  // setting (their composed score or their last third's clause reading
  // moved past the setting's bounds), and seven other English and
  // German turns tried read NEGATIVE without it (models/README.md,
  // "Nineteenth pass"). Lost: "Pretty rug, soft and thick. But it sheds
  // everywhere, I empty the vacuum twice a day." and "Schönes Bild,
  // kräftige Farben. Der Rahmen löst sich jedoch an einer Ecke und das
  // Glas verrutscht."
  // Twentieth pass (retrained with cases19): the rugs read NEGATIVE with
  // and without the setting (the models read the turn themselves), and so
  // did seven other turns tried in en, es, fr, de, pl; an Italian story
  // replaces them. Lost: "Lovely soft rug, arrived quickly. But it sheds
  // everywhere and I empty the vacuum twice a day."
  // Twenty-first pass (retrained with cases20): the Italian kettle reads
  // NEGATIVE without the setting too, and seven other turns tried in six
  // languages read the same label with and without it (six NEGATIVE, one
  // MIXED; models/README.md, "Twenty-first pass"): the models read these
  // turns themselves. The English toaster, POSITIVE without the setting,
  // replaces it. Lost: "Arrivato in due giorni con BRT, imballato bene. Il
  // bollitore è bello e scalda in fretta. Però dopo una settimana il
  // coperchio non si chiude più e perde acqua dal fondo."
  // Sixteenth pass: retrained with cases15, the models read the "jednak"
  // watch and the scarf MIXED with and without the setting; the watch
  // told with "Ale" and a picture frame replace them (models/README.md,
  // "Sixteenth pass"). Lost: "Elegancki zegarek, ładny pasek. Zapięcie
  // jednak samo się otwiera, dwa razy podnosiłem go z chodnika." and
  // "Wunderschöner Schal, weiche Wolle. Er fusselt jedoch nach einmal
  // Tragen und sieht jetzt zehn Jahre alt aus." Seventeenth pass
  // (retrained with cases16, no whole-text rule shift on composed
  // reviews): the watch told with "Ale" reads NEGATIVE without the
  // setting too, and so did four other Polish turns tried; lost:
  // "Elegancki zegarek, ładny pasek. Ale zapięcie samo się otwiera, dwa
  // razy podnosiłem go z chodnika."
  const std::pair<const char*, const char*> kRows[] = {
      {"en", "Arrived in two days, well packed. The toaster looks smart and heats fast. But after "
             "a week the lever won't stay down anymore."},
  };
  ExpectNegativeOnlyWithTheSetting(off, kRows);
}

// Fifteenth pass (models/README.md, "Fifteenth pass: turning reviews"): a
// story told in order, praise first and a failure event last without any
// connective ("... Last week the base cracked"), which the composition
// reads MIXED: its ending decides (SentimentParams::story_end). Each row is
// NEGATIVE with the shipped setting and not NEGATIVE with story_end 0.
TEST(StoryEndingTest, TheLastSentenceOfAStoryDecides) {
  AnalyzerConfig off;
  off.sentiment.story_end = 0;
  const std::pair<const char*, const char*> kRows[] = {
      // Seventeenth pass: the English and Italian kettles read NEGATIVE
      // without the setting too (the models retrained with cases16, no
      // whole-text rule shift on composed reviews); a toaster replaces them.
      // Lost: "The kettle looks great and boils fast. It is quiet and easy
      // to fill, and I loved it. We used it every morning for a month. Last
      // week the base cracked and water leaked all over the counter." and
      // its Italian telling ("Il bollitore è bellissimo …").
      {"en", "The toaster looks great and heats up fast. It is quiet and easy to clean, and I "
             "loved it. We used it every morning for a month. Last week the lever snapped and "
             "the bread got stuck inside."},
      {"pl", "Czajnik wygląda świetnie i szybko gotuje wodę. Jest cichy, wygodny i bardzo mi się "
             "podobał. Używaliśmy go codziennie przez miesiąc. W zeszłym tygodniu pękła podstawa "
             "i woda wylała się na cały blat."},
      // (Lost to the lead's retraining with cases14: the German kettle,
      // "Der Wasserkocher sieht toll aus ... Letzte Woche ist der Sockel
      // gerissen ...", is MIXED -0.55 with and without the rule; its last
      // sentence no longer reads <= -0.7. models/README.md, "Fifteenth
      // pass".)
      {"de", "Die Jacke sieht klasse aus und ist super bequem. Sie ist warm, leicht und ich war "
             "total begeistert. Ich habe sie den ganzen Winter jeden Tag getragen. Im Februar "
             "ist der Reißverschluss gerissen und die Naht hat sich aufgelöst."},
      // Eighteenth pass: retrained with cases17, the French kettle and the
      // Italian toaster read NEGATIVE without the setting too; a jacket
      // replaces the kettle, and no Italian story tried (toaster, kettle,
      // jacket, lamp, shoes, backpack, blender) still needs the setting.
      // Lost: "La bouilloire est superbe et chauffe très vite. … La semaine
      // dernière, le socle s'est fendu …" and "Il tostapane è bellissimo e
      // scalda velocissimo. … La settimana scorsa la leva si è rotta …".
      {"fr", "La veste est magnifique et très confortable. Elle est chaude, légère et j'étais "
             "ravie. Je l'ai portée tous les jours de l'hiver. En février, la fermeture éclair "
             "a lâché et la couture s'est défaite."},
  };
  ExpectNegativeOnlyWithTheSetting(off, kRows);
}

// Sixteenth pass (models/README.md, "Sixteenth pass: late praise and the
// part that fails"): a story of at least four sentences, composed NEGATIVE
// not strongly (a first item that failed, a slow return), whose last third
// the clause models read as praise (the replacement works): POSITIVE with
// SentimentParams::late_praise 0.2, NEGATIVE without. Not over the
// customer's own low rating (2 of 5), and not a strongly negative story.
TEST(LatePraiseTest, TheLateThirdsPraiseTurnsAWeakComplaint) {
  AnalyzerConfig with, off;
  with.sentiment.late_praise = 0.2f;
  off.sentiment.late_praise = 0;
  AnalyzerConfig with_alone = with, off_alone = off;  // without the label arbiter
  with_alone.use_label_arbiter = off_alone.use_label_arbiter = false;
  struct Row {
    const char* language;
    const char* text;
    bool arbiter;  // the full analysis; else with the label arbiter off
  };
  const Row kRows[] = {
      {"en", "The first kettle arrived with a cracked lid. I sent it back. The refund took two "
             "weeks. The new one boils fast and quietly, and we love it.", true},
      // Twenty-first pass (retrained with cases20): the German kettle story
      // reads NEGATIVE with the setting too (composed at -0.64, past
      // late_praise_score), and so did three other German stories tried.
      // Lost: "Der erste Wasserkocher kam mit einem gesprungenen Deckel und
      // war undicht. Ich musste ihn zurückschicken und zwei Wochen auf einen
      // neuen warten. Auf meine Mails hat tagelang niemand geantwortet. Der
      // neue funktioniert perfekt, kocht schnell und wir lieben ihn."
      {"es", "El primer hervidor llegó con la tapa rota y perdía agua. Tuve que devolverlo y "
             "esperar dos semanas por otro. Nadie contestó mis correos durante días. El nuevo "
             "funciona perfectamente, hierve rápido y nos encanta.", true},
      {"pl", "Pierwszy czajnik przyszedł z wgniecioną pokrywką. Musiałam go odesłać i czekać dwa "
             "tygodnie na nowy. Sklep długo nie odpisywał na maile. Nowy gotuje szybko i cicho, "
             "używamy go codziennie.", false},
  };
  auto w = CreateAnalyzerWithConfig(test_paths::ModelsDir(), with);
  auto o = CreateAnalyzerWithConfig(test_paths::ModelsDir(), off);
  auto wa = CreateAnalyzerWithConfig(test_paths::ModelsDir(), with_alone);
  auto oa = CreateAnalyzerWithConfig(test_paths::ModelsDir(), off_alone);
  ASSERT_TRUE(w.ok() && o.ok() && wa.ok() && oa.ok());
  for (const Row& r : kRows) {
    AnalyzeOptions opts;
    opts.language_hint = r.language;
    const Analyzer& yes = r.arbiter ? **w : **wa;
    const Analyzer& no = r.arbiter ? **o : **oa;
    EXPECT_EQ(yes.Analyze(r.text, opts).sentiment.label, SentimentLabel::kPositive) << r.text;
    EXPECT_EQ(no.Analyze(r.text, opts).sentiment.label, SentimentLabel::kNegative) << r.text;
    // The customer's 2 of 5 stars: no turn.
    AnalyzeOptions low = opts;
    low.rating = 2;
    low.rating_scale = 5;
    EXPECT_NE(yes.Analyze(r.text, low).sentiment.label, SentimentLabel::kPositive) << r.text;
  }
  // A strongly negative story keeps its label.
  AnalyzeOptions en;
  en.language_hint = "en";
  const char* strong = "The first kettle arrived with a cracked lid and leaked all over the counter. "
                       "I had to send it back and wait two weeks for a new one. Nobody answered my "
                       "emails for days. The replacement works perfectly, boils fast and we love it.";
  EXPECT_EQ((*w)->Analyze(strong, en).sentiment.label, SentimentLabel::kNegative);
  EXPECT_NE((*w)->ModelVersion(), (*o)->ModelVersion());
}

// Seventeenth pass: a problem put right told last decides
// (SentimentParams::put_right_decides, after the label arbiter): a
// complaint, then a PUTRIGHT event with nothing complained of after it, is
// POSITIVE; a negated event or a refund still pending is not. Only what
// the rule guarantees is asserted (the models' own reading without it
// moves with every retrain).
TEST(PutRightTest, AProblemPutRightToldLastDecides) {
  AnalyzerConfig with;
  with.sentiment.put_right = 0.8f;
  with.sentiment.put_right_decides = 0.3f;
  with.sentiment.put_right_last = 2;
  with.sentiment.put_right_after_arbiter = true;
  AnalyzerConfig off;
  off.sentiment.put_right = 0;
  const std::pair<const char*, const char*> kRows[] = {
      {"pl", "Ekspres przyszedł z pękniętym dzbankiem i byłam wściekła. Napisałam do sklepu. "
             "Reklamacja została uznana, a nowy dzbanek dotarł w dwa dni."},
      {"en", "The blender arrived with a cracked jug and I was furious. I emailed them on "
             "Monday. The replacement arrived on Wednesday and it works perfectly."},
      {"de", "Der Mixer kam mit einem gesprungenen Krug an, ich war sauer. Ich habe dem Shop "
             "geschrieben. Der Ersatz kam schon zwei Tage später und funktioniert einwandfrei."},
      {"es", "La batidora llegó con la jarra rota y me enfadé mucho. Escribí a la tienda. Al "
             "final me devolvieron el dinero en dos días, sin preguntas."},
      {"fr", "Le mixeur est arrivé avec le bol fêlé, j'étais furieuse. J'ai écrit à la "
             "boutique. J'ai été remboursée en deux jours, sans discussion."},
      {"it", "Il frullatore è arrivato con la caraffa rotta ed ero furiosa. Ho scritto al "
             "negozio. Mi hanno rimborsato in due giorni, senza storie."},
  };
  auto w = CreateAnalyzerWithConfig(test_paths::ModelsDir(), with);
  auto o = CreateAnalyzerWithConfig(test_paths::ModelsDir(), off);
  ASSERT_TRUE(w.ok() && o.ok());
  for (const auto& [lang, text] : kRows) {
    AnalyzeOptions opts;
    opts.language_hint = lang;
    EXPECT_EQ((*w)->Analyze(text, opts).sentiment.label, SentimentLabel::kPositive) << text;
  }
  // Not put right: a negated event, a refund still pending.
  for (const auto& [lang, text] :
       {std::pair{"en", "The blender arrived with a cracked jug. I emailed them twice. I never "
                        "got my money back."},
        std::pair{"pl", "Ekspres przyszedł z pękniętym dzbankiem. Odesłałam go trzy tygodnie "
                        "temu. Nadal czekam na zwrot pieniędzy."},
        std::pair{"de", "Der Mixer kam kaputt an. Ich habe ihn vor drei Wochen zurückgeschickt. "
                        "Auf die Erstattung warte ich immer noch."},
        // A consolation (CONSOLATION), not a verdict.
        std::pair{"en", "The blender cracked on the second day and leaked everywhere. At least "
                        "I got my money back."},
        std::pair{"es", "La batidora se rompió al segundo día. Por lo menos me devolvieron el "
                        "dinero."}}) {
    AnalyzeOptions opts;
    opts.language_hint = lang;
    EXPECT_NE((*w)->Analyze(text, opts).sentiment.label, SentimentLabel::kPositive) << text;
  }
  EXPECT_NE((*w)->ModelVersion(), (*o)->ModelVersion());
}

// Eighteenth pass: German failure events told with verbs the eighth and
// ninth passes' lists lack (stopping, slipping, giving way, springing out,
// fading; separable verbs in both orders) and lukewarm verdicts ("muss man
// aber nicht") are complaints when SentimentParams::more_events loads the
// rows of models/polarity_more.tsv; off they are not read (no complaint,
// as before).
TEST_F(PolarityRulesTest, GermanFailureEventsBehindMoreEvents) {
  auto on = PolarityRules::Create(test_paths::ModelsDir(), 0.0f, /*more_events=*/true);
  ASSERT_TRUE(on.ok()) << on.status();
  const PolarityRules& more = **on;
  auto net = [&](const PolarityRules& r, const char* text) {
    const PolarityEvidence e = JoinAll(r, *lexicon_, text, "de");
    return e.Net() + e.lexicon_positive - e.lexicon_negative;
  };
  for (const char* text : {
           "Nach zwei Wochen ist das Zahnrad durchgedreht.",
           "Mitten im Betrieb blieb der Motor einfach stehen.",
           "Der Lüfter ist nach einem Monat stehen geblieben.",
           "Beim Zusammenklappen knickte die Strebe ein.",
           "Nach kurzer Zeit gab das Scharnier nach.",
           "Beim ersten Waschen sprang ein Druckknopf heraus.",
           "Die Kissenbezüge sind nach drei Wäschen ausgebleicht.",
           "Dann reagierten die Knöpfe nicht mehr.",
           "Nach einem Monat lösen sich die Sohlen.",
       }) {
    // A failure event: at least the story ending's -0.7 with the rows ...
    EXPECT_LE(net(more, text), -0.7f) << text;
    // ... and no complaint without them (the setting must matter).
    EXPECT_GE(net(*rules_, text), 0.0f) << text;
  }
  for (const char* text : {"Kann man machen, muss man aber nicht.",
                           "Kann man haben, braucht man aber nicht."}) {
    EXPECT_LT(net(more, text), 0.0f) << text;
    EXPECT_GE(net(*rules_, text), 0.0f) << text;
  }
  // Negated: praise, as every failure event ("blieb nie stehen").
  for (const char* text : {"Der Motor blieb nie stehen.", "Die Farbe ist nicht ausgebleicht."}) {
    EXPECT_GT(net(more, text), 0.0f) << text;
  }
  // "ohne (jeden) Grund" is no negation of the failure after it.
  EXPECT_LE(net(more, "Die Glasplatte ist ohne jeden Grund zersprungen."), -0.7f);
}

// Nineteenth pass: "never answered" told in Polish, German, Spanish,
// French and Italian is a complaint like the English "never answered"
// (-0.6) when SentimentParams::reply_failures loads the rows of
// models/polarity_replies.tsv; off they are not read (no complaint, or a
// weak one, as before).
TEST_F(PolarityRulesTest, NeverAnsweredBehindReplyFailures) {
  auto on = PolarityRules::Create(test_paths::ModelsDir(), 0.0f, /*more_events=*/false,
                                  /*reply_failures=*/true);
  ASSERT_TRUE(on.ok()) << on.status();
  auto net = [&](const PolarityRules& r, const char* text, const char* lang) {
    const PolarityEvidence e = JoinAll(r, *lexicon_, text, lang);
    return e.Net() + e.lexicon_positive - e.lexicon_negative;
  };
  const std::pair<const char*, const char*> kRows[] = {
      {"pl", "Sklep nigdy nie odpowiedział na moje pytanie."},
      {"pl", "Kurier nigdy nie oddzwonił."},
      {"de", "Der Händler hat nie geantwortet."},
      {"de", "Die Hotline hat mich nie zurückgerufen."},
      {"es", "La tienda nunca respondió a mi correo."},
      {"es", "Nunca me contestaron."},
      {"fr", "Le vendeur n'a jamais répondu à mon message."},
      {"fr", "On ne m'a jamais rappelé."},
      {"it", "Il negozio non ha mai risposto alla mia mail."},
      {"it", "Non ho mai avuto risposta."},
  };
  for (const auto& [lang, text] : kRows) {
    EXPECT_LE(net(**on, text, lang), -0.35f) << text;
    EXPECT_GT(net(*rules_, text, lang), -0.3f) << text;
    EXPECT_LE(net(**on, text, lang), net(*rules_, text, lang) - 0.3f) << text;
  }
}

}  // namespace
}  // namespace opinia::nlp
