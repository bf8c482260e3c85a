#include "nlp/urgency.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "nlp/text.h"
#include "tests/nlp/test_paths.h"
#include "tests/nlp/test_util.h"

namespace opinia::nlp {
namespace {


// Overall sentiments the table refers to by name.
const Sentiment kStrongNeg = {-0.8f, SentimentLabel::kNegative, 0.9f};
const Sentiment kNeg = {-0.45f, SentimentLabel::kNegative, 0.8f};
const Sentiment kClearNeg = {-0.55f, SentimentLabel::kNegative, 0.8f};
const Sentiment kMildNeg = {-0.2f, SentimentLabel::kNegative, 0.6f};
const Sentiment kMixed = {-0.1f, SentimentLabel::kMixed, 0.6f};
const Sentiment kNeutral = {0.0f, SentimentLabel::kNeutral, 0.7f};
const Sentiment kMildPos = {0.3f, SentimentLabel::kPositive, 0.6f};
const Sentiment kPos = {0.8f, SentimentLabel::kPositive, 0.9f};

constexpr Priority P1 = Priority::kP1, P2 = Priority::kP2, P3 = Priority::kP3,
                   P4 = Priority::kP4, NONE = Priority::kNone;

struct Case {
  const char* name;
  const char* language;
  const char* text;
  Sentiment overall;
  int rating;  // 0 = none
  int scale;   // 0 = 5
  const char* source;
  Priority want_priority;
  const char* want_reasons;   // comma-separated, in output order
  const char* want_evidence;  // evidence texts joined by '|'
};

// clang-format off
const Case kCases[] = {
    // ---------------------------------------------------------------- Polish
    {"pl_prawnik", "pl", "Jeśli nie oddacie pieniędzy, idę do prawnika.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "prawnika"},
    {"pl_pozew_sad", "pl", "Złożę pozew w sądzie.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "pozew|sądzie"},
    {"pl_uokik", "pl", "Sprawę zgłaszam do UOKiK.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "UOKiK"},
    {"pl_rzecznik", "pl", "Napiszę do rzecznika konsumentów.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "rzecznika konsumentów"},
    {"pl_zatrucie", "pl", "Po zjedzeniu miałem zatrucie pokarmowe.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "zatrucie"},
    {"pl_alergia", "pl", "Dziecko dostało alergii od tego kremu.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "alergii"},
    {"pl_szpital", "pl", "Po tym jedzeniu wylądowałem w szpitalu.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "wylądowałem w szpitalu"},
    {"pl_pluskwy_sanepid", "pl", "W pokoju były pluskwy. Sanepid zostanie powiadomiony.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "pluskwy|Sanepid"},
    {"pl_anulowac_konto", "pl", "Chcę anulować konto.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "anulować konto"},
    {"pl_poparzenie", "pl", "Poparzyłam się, czajnik przecieka.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Poparzyłam"},
    {"pl_oszustwo_strong", "pl", "To zwykłe oszustwo!", kStrongNeg, 0, 0, "", P1, "FRAUD_CLAIM,STRONG_NEGATIVE", "oszustwo"},
    {"pl_oszusci", "pl", "Oszuści, nie wysyłają towaru.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "Oszuści"},
    {"pl_negated_nie_jest", "pl", "Nie jest to oszustwo, po prostu długo czekałem.", kMildNeg, 0, 0, "", P4, "", ""},
    {"pl_negated_bez", "pl", "Sklep bez oszustw, polecam.", kMildPos, 0, 0, "", NONE, "", ""},
    {"pl_contrast_ends_negation", "pl", "Nie chodzi o cenę ale o oszustwo.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "oszustwo"},
    {"pl_negation_of_verb_not_noun", "pl", "Nie dajcie się oszukać!", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "oszukać"},
    {"pl_nie_polecam_oszustow", "pl", "Nie polecam oszustów.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "oszustów"},
    {"pl_zadnego_oszustwa", "pl", "Nie było żadnego oszustwa.", kMildNeg, 0, 0, "", P4, "", ""},
    {"pl_nigdy_wiecej", "pl", "Nigdy więcej tu nie zamówię.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Nigdy więcej"},
    {"pl_ostatni_raz", "pl", "Ostatni raz kupowałem w tym sklepie.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Ostatni raz"},
    {"pl_pierwszy_i_ostatni", "pl", "Pierwszy i ostatni raz tutaj.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Pierwszy i ostatni"},
    {"pl_rezygnuje", "pl", "Rezygnuję z usług tej firmy.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Rezygnuję"},
    // a strong negative score or the lowest rating alone is listed as
    // STRONG_NEGATIVE but stays P3 (fifth pass, second round): P2 needs a
    // construction (distress, a demand for action now, silence, escalation)
    {"pl_strong_negative", "pl", "Tragedia, najgorszy sklep w historii.", kStrongNeg, 0, 0, "", P3, "STRONG_NEGATIVE", ""},
    {"pl_negative_p3", "pl", "Produkt przyszedł porysowany.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_mild_p4", "pl", "Mogło być lepiej.", kMildNeg, 0, 0, "", P4, "", ""},
    {"pl_positive_none", "pl", "Wszystko super, polecam.", kPos, 5, 0, "", NONE, "", ""},
    {"pl_mismatch_5_stars", "pl", "Towar nie dotarł, zero kontaktu.", kClearNeg, 5, 0, "", P3, "RATING_TEXT_MISMATCH", ""},
    {"pl_mismatch_1_star", "pl", "Świetny produkt, bardzo polecam.", kPos, 1, 0, "", P3, "RATING_TEXT_MISMATCH", ""},
    {"pl_high_reach_raises", "pl", "Produkt przyszedł porysowany.", kNeg, 0, 0, "google", P2, "HIGH_REACH", ""},
    {"pl_high_reach_positive_none", "pl", "Wszystko super.", kPos, 0, 0, "allegro", NONE, "", ""},
    {"pl_no_diacritics", "pl", "oszusci, zglaszam sprawe na policje", kNeg, 0, 0, "", P1, "LEGAL_THREAT,FRAUD_CLAIM", "oszusci|policje"},
    {"pl_positive_text_gates_words", "pl", "Myślałem, że to oszustwo, a to świetny sklep!", kPos, 5, 0, "", NONE, "", ""},
    {"pl_lowest_rating_strong", "pl", "Słaba jakość.", kNeg, 1, 0, "", P3, "STRONG_NEGATIVE", ""},
    {"pl_scale_10_low", "pl", "Nie do końca to, czego chciałem.", kMildNeg, 2, 10, "", P3, "", ""},
    {"pl_middle_rating_p4", "pl", "Produkt jak produkt.", kNeutral, 3, 0, "", P4, "", ""},
    {"pl_sad_orchard_is_not_court", "pl", "Mam sad i kupuję tu nawozy.", kNeutral, 0, 0, "", NONE, "", ""},
    {"pl_pozwala_is_not_pozew", "pl", "Aplikacja pozwala na wiele.", kNeutral, 0, 0, "", NONE, "", ""},
    {"pl_dla_alergikow", "pl", "Krem dla alergików, bez zapachu.", kNeutral, 0, 0, "", NONE, "", ""},
    // --------------------------------------------------------------- English
    {"en_lawyer", "en", "I'm contacting my lawyer.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "lawyer"},
    {"en_sue", "en", "I will sue you.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "will sue"},
    {"en_sue_the_name_is_not_a_threat", "en", "Another Sue Grafton novel.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_small_claims", "en", "See you in small claims court.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "small claims"},
    {"en_bbb", "en", "Reported them to the Better Business Bureau.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "Reported them to|Better Business Bureau"},
    {"en_food_poisoning", "en", "Got food poisoning from this restaurant.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "food poisoning"},
    {"en_allergic", "en", "My son had an allergic reaction.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "allergic"},
    {"en_caught_fire", "en", "The charger caught fire.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "caught fire"},
    {"en_scam_strong", "en", "This is a scam.", kStrongNeg, 0, 0, "", P1, "FRAUD_CLAIM,STRONG_NEGATIVE", "scam"},
    {"en_frauds_thieves", "en", "They are frauds and thieves.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "frauds|thieves"},
    {"en_negated_not_a_scam", "en", "Not a scam, just slow shipping.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_negated_isnt", "en", "It isn't a scam.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_negated_curly_apostrophe", "en", "It wasn\u2019t a scam at all.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_negated_no", "en", "No problems with fraud here.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_punctuation_ends_negation", "en", "No idea why they did this, scam.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "scam"},
    {"en_negation_window_is_three_words", "en", "No one told me this shop is a total scam.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "scam"},
    {"en_dont_get_scammed", "en", "Don't get scammed like I did.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "scammed"},
    {"en_do_not_trust_frauds", "en", "Do not trust these frauds.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "frauds"},
    {"en_never_again", "en", "Never again.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Never again"},
    {"en_cancelling_account", "en", "I'm cancelling my account today.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "cancelling my account"},
    {"en_first_and_last_time", "en", "First and last time ordering here.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "First and last time"},
    {"en_last_time_is_not_churn_alone", "en", "Last time I ordered it was better.", kNeg, 0, 0, "", P3, "", ""},
    {"en_wont_be_back", "en", "Won't be back.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Won't be back"},
    {"en_strong_negative", "en", "Absolutely terrible experience.", kStrongNeg, 0, 0, "", P3, "STRONG_NEGATIVE", ""},
    {"en_negative_p3", "en", "The item was smaller than expected.", kNeg, 0, 0, "", P3, "", ""},
    {"en_mixed_p4", "en", "Nice design but a bit loud.", kMixed, 0, 0, "", P4, "", ""},
    {"en_positive_none", "en", "Works great, love it!", kPos, 0, 0, "", NONE, "", ""},
    {"en_mismatch", "en", "Terrible, arrived broken.", kClearNeg, 5, 0, "", P3, "RATING_TEXT_MISMATCH", ""},
    {"en_high_reach", "en", "The item was smaller than expected.", kNeg, 0, 0, "trustpilot", P2, "HIGH_REACH", ""},
    {"en_high_reach_p1_stays", "en", "This is a scam.", kNeg, 0, 0, "facebook", P1, "FRAUD_CLAIM,HIGH_REACH", "scam"},
    {"en_low_reach_source", "en", "The item was smaller than expected.", kNeg, 0, 0, "email", P3, "", ""},
    {"en_positive_text_gates_words", "en", "I thought it was a scam but it's legit, great seller!", kPos, 0, 0, "", NONE, "", ""},
    {"en_hypoallergenic", "en", "Hypoallergenic formula.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_unlabelled_score", "en", "Meh.", {-0.5f, SentimentLabel::kUnspecified, 0.3f}, 0, 0, "", P3, "", ""},
    // ---------------------------------------------------------------- German
    {"de_anwalt", "de", "Ich werde meinen Anwalt einschalten.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "Anwalt"},
    {"de_rechtsanwalt", "de", "Mein Rechtsanwalt meldet sich.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "Rechtsanwalt"},
    {"de_verbraucherzentrale", "de", "Ich habe mich an die Verbraucherzentrale gewandt.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "Verbraucherzentrale"},
    {"de_vor_gericht", "de", "Wir sehen uns vor Gericht.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "vor Gericht"},
    {"de_lebensmittelvergiftung", "de", "Lebensmittelvergiftung nach dem Essen!", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Lebensmittelvergiftung"},
    {"de_allergisch", "de", "Allergische Reaktion nach der Anwendung, das Gesicht ist geschwollen.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Allergische"},
    {"de_gefaehrlich", "de", "Das Gerät ist gefährlich.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "gefährlich"},
    {"de_betrug_strong", "de", "Reiner Betrug!", kStrongNeg, 0, 0, "", P1, "FRAUD_CLAIM,STRONG_NEGATIVE", "Betrug"},
    {"de_abzocke_is_about_value", "de", "Totale Abzocke.", kNeg, 0, 0, "", P3, "", ""},
    {"de_betrueger", "de", "Betrüger, Finger weg!", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "Betrüger"},
    {"de_negated_kein", "de", "Kein Betrug, nur langsamer Versand.", kMildNeg, 0, 0, "", P4, "", ""},
    {"de_negated_nicht", "de", "Das ist nicht gefährlich.", kNeutral, 0, 0, "", NONE, "", ""},
    {"de_nicht_is_near_negation", "de", "Fallt nicht auf diesen Betrug rein.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "Betrug"},
    {"de_kein_reaches_further", "de", "Das ist keine echte Abzocke.", kMildNeg, 0, 0, "", P4, "", ""},
    {"de_lasst_euch_nicht_abzocken", "de", "Lasst euch nicht abzocken!", kNeg, 0, 0, "", P3, "", ""},
    {"de_nie_wieder", "de", "Nie wieder!", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Nie wieder"},
    {"de_nicht_mehr_bestellen", "de", "Ich werde hier nicht mehr bestellen.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "nicht mehr bestellen"},
    {"de_erste_und_letzte_mal", "de", "Das war das erste und letzte Mal.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "erste und letzte Mal"},
    // a cancelled subscription is plain churn since the sixth pass (every
    // such shop-corpus train row is calm): listed, no P2
    {"de_gekuendigt", "de", "Ich habe mein Abo gekündigt.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "gekündigt"},
    {"de_strong_negative", "de", "Katastrophe, schlechtester Shop überhaupt.", kStrongNeg, 0, 0, "", P3, "STRONG_NEGATIVE", ""},
    {"de_negative_p3", "de", "Die Farbe ist anders als auf dem Bild.", kNeg, 0, 0, "", P3, "", ""},
    {"de_mixed_p4", "de", "Ganz okay, aber etwas laut.", kMixed, 0, 0, "", P4, "", ""},
    {"de_positive_none", "de", "Alles bestens, gerne wieder.", kPos, 0, 0, "", NONE, "", ""},
    {"de_mismatch", "de", "Leider defekt angekommen.", kClearNeg, 5, 0, "", P3, "RATING_TEXT_MISMATCH", ""},
    {"de_high_reach", "de", "Die Farbe ist anders als auf dem Bild.", kNeg, 0, 0, "trustpilot", P2, "HIGH_REACH", ""},
    {"de_lower_case", "de", "ich gehe zur verbraucherzentrale", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "verbraucherzentrale"},
    {"de_nicht_klagen", "de", "Wir können nicht klagen.", kMildPos, 0, 0, "", NONE, "", ""},
    {"de_scale_10_mismatch", "de", "Schrott, sofort kaputt.", kClearNeg, 10, 10, "", P3, "RATING_TEXT_MISMATCH", ""},
    // ------------------------------- smoke, chargebacks; es, fr, it (issue 17)
    {"pl_dymi", "pl", "Czajnik zaczął dymić przy pierwszym użyciu.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "zaczął dymić"},
    {"pl_chargeback", "pl", "Zgłosiłem chargeback w banku.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "chargeback"},
    {"en_sparks", "en", "The toaster gave off sparks.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "sparks"},
    {"de_raucht", "de", "Der Wasserkocher raucht.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "raucht"},
    {"de_kaeuferschutz", "de", "Ich habe den Käuferschutz beantragt.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "Käuferschutz"},
    {"es_denuncia", "es", "Mañana pondré una denuncia en la policía.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "pondré una denuncia|policía"},
    {"es_estafa_negated", "es", "No es ninguna estafa, solo tardan.", kMildNeg, 0, 0, "", P4, "", ""},
    {"fr_litige", "fr", "J'ai ouvert un litige auprès de ma banque.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "ouvert un litige"},
    {"fr_fumee", "fr", "De la fumée sortait du chargeur.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "fumée"},
    {"it_truffa", "it", "Una truffa, soldi presi e niente pacco.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "truffa"},
    {"it_avvocato", "it", "Mi rivolgerò a un avvocato.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "avvocato"},
    // ------------- constructions (issue 17, fifth pass): plain churn is a
    // reason without P2, an escalation is P2; a rip-off idiom is about value
    // unless money was paid and the order is gone
    {"en_chargeback_is_escalation", "en", "I've filed a chargeback with my bank.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "chargeback"},
    {"en_rip_off_is_about_value", "en", "Total rip-off.", kNeg, 0, 0, "", P3, "", ""},
    {"en_rip_off_money_gone", "en", "Total rip-off: paid, nothing arrived.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"en_crooked_is_no_crook", "en", "Logo printed crooked.", kNeg, 0, 0, "", P3, "", ""},
    {"es_timo_is_about_value", "es", "Un timo, carísimo para lo que es.", kNeg, 0, 0, "", P3, "", ""},
    {"fr_arnaque_is_about_value", "fr", "Une vraie arnaque, beaucoup trop cher.", kNeg, 0, 0, "", P3, "", ""},
    {"it_fregatura_is_about_value", "it", "Una fregatura, troppo caro.", kNeg, 0, 0, "", P3, "", ""},
    // paid + gone + nobody answering is a fraud claim
    {"pl_paid_gone_no_contact", "pl", "Zapłaciłam 500 zł, paczka zniknęła, a sklep nie odbiera telefonów.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"en_paid_gone_no_contact", "en", "Paid in full, the order vanished and nobody answers the phone.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"de_paid_gone_no_contact", "de", "Habe 300 € überwiesen, die Bestellung ist verschwunden und niemand meldet sich.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"es_paid_gone_no_contact", "es", "Pagué 80 €, el pedido desapareció y no contestan.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"fr_paid_gone_no_contact", "fr", "J'ai payé 90 €, la commande a disparu et personne ne répond.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"it_paid_gone_no_contact", "it", "Ho pagato 70 €, l'ordine è sparito e nessuno risponde.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"en_paid_gone_calm", "en", "Paid for express shipping and the parcel vanished in transit, could you check with the courier?", kNeg, 0, 0, "", P3, "", ""},
    // an appliance melting in one sentence is a hazard; a lid in the oven,
    // chocolate in the heat, a burnt smell alone are not
    {"pl_appliance_melted", "pl", "Czajnik stopił się przy pierwszym gotowaniu.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"en_appliance_melted", "en", "The kettle melted at the base.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"en_charger_smoke", "en", "The charger gave off smoke overnight.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"de_appliance_melted", "de", "Der Wasserkocher ist geschmolzen.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"de_qualmen", "de", "Das Netzteil hat angefangen zu qualmen.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "qualmen"},
    {"es_appliance_melted", "es", "El secador se derritió.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"fr_appliance_melted", "fr", "Le chargeur a fondu.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"it_appliance_melted", "it", "Il caricatore si è fuso.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"pl_lid_melted_in_oven", "pl", "Pokrywka stopiła się w piekarniku.", kNeg, 0, 0, "", P3, "", ""},
    {"en_chocolate_melted", "en", "The chocolate melted in the heat.", kNeg, 0, 0, "", P3, "", ""},
    {"de_burnt_smell_alone", "de", "Der Mixer hat verbrannt gerochen und sich abgeschaltet.", kNeg, 0, 0, "", P3, "", ""},
    {"en_ambulance", "en", "His lips swelled up, we had to call an ambulance.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "ambulance"},
    // a question about repeated contact nobody answers: P2, no reason code;
    // the same silence told in a review is a complaint (P3)
    {"pl_unanswered_asks", "pl", "Trzeci raz pytam o zwrot, czy ktoś w ogóle czyta te wiadomości?", kNeg, 0, 0, "", P2, "", ""},
    {"en_unanswered_asks", "en", "Why has nobody answered my three emails?", kNeutral, 0, 0, "", P2, "", ""},
    {"de_unanswered_asks", "de", "Warum antwortet seit zwei Wochen niemand auf meine Nachrichten?", kNeutral, 0, 0, "", P2, "", ""},
    {"es_unanswered_asks", "es", "¿Por qué nadie contesta mis correos desde hace dos semanas?", kNeutral, 0, 0, "", P2, "", ""},
    {"fr_unanswered_asks", "fr", "Pourquoi personne ne répond à mes messages depuis deux semaines ?", kNeutral, 0, 0, "", P2, "", ""},
    {"it_unanswered_asks", "it", "Perché nessuno risponde ai miei messaggi da due settimane?", kNeutral, 0, 0, "", P2, "", ""},
    {"en_unanswered_told", "en", "Thanks for nothing, five emails and zero answers.", kNeg, 0, 0, "", P3, "", ""},
    {"de_unanswered_told", "de", "Danke für nichts, seit drei Wochen keine Antwort.", kNeg, 0, 0, "", P3, "", ""},
    {"en_unanswered_once", "en", "Why has nobody answered yet?", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_refund_question", "en", "When can I expect my refund? I sent it back 10 days ago.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_unanswered_positive", "en", "Nobody answered my emails for weeks? No matter, the product is perfect.", kPos, 0, 0, "", NONE, "", ""},
    // strong personal distress in a negative text
    {"pl_distress", "pl", "Tort na wesele przyszedł zmiażdżony, jestem załamana!!!", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_distress", "en", "The stroller arrived cracked and I am desperate!", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de_distress", "de", "Kinderwagen mit gebrochenem Rahmen, ich bin verzweifelt!", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es_distress", "es", "La tarta llegó aplastada y estoy desesperada.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"fr_distress", "fr", "Le gâteau est arrivé écrasé, je suis désespérée.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"it_distress", "it", "La torta è arrivata schiacciata, sono disperata.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_distress_negated", "en", "Not devastated, just a bit annoyed that the box was dented.", kMildNeg, 0, 0, "", P4, "", ""},
    {"pl_distress_negated", "pl", "Nie jestem załamana, trochę szkoda.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_distress_positive", "en", "I was desperate for a good kettle and this one is perfect.", kPos, 0, 0, "", NONE, "", ""},
    {"es_box_destroyed_calm", "es", "La caja llegó destrozada pero el producto está bien.", kMildNeg, 0, 0, "", P4, "", ""},
    // a damaged or incomplete order from a "very disappointed" customer
    {"pl_damage_letdown", "pl", "Paczka przyszła uszkodzona i niekompletna, jestem bardzo rozczarowana.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_damage_letdown", "en", "The vase arrived broken and half the set is missing, I'm very disappointed.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de_damage_letdown", "de", "Die Lieferung kam beschädigt und unvollständig an, ich bin sehr enttäuscht.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es_damage_letdown", "es", "El pedido llegó dañado e incompleto, estoy muy decepcionada.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"fr_damage_letdown", "fr", "La commande est arrivée endommagée et incomplète, je suis très déçue.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"it_damage_letdown", "it", "L'ordine è arrivato danneggiato e incompleto, sono molto delusa.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_letdown_without_damage", "en", "Very disappointed with the build quality.", kNeg, 0, 0, "", P3, "", ""},
    {"de_letdown_without_damage", "de", "Sehr enttäuscht von der Farbe.", kNeg, 0, 0, "", P3, "", ""},
    {"en_damage_calm", "en", "Box arrived damaged but the contents are fine.", kMildNeg, 0, 0, "", P4, "", ""},
    {"pl_damage_not_letdown", "pl", "Karton uszkodzony, ale nie jestem bardzo rozczarowana.", kMildNeg, 0, 0, "", P4, "", ""},
    // ------------- fifth pass, second round: nobody answering about an
    // order, a return, a refund or money, told as a present fact with
    // "nobody" or repeated contact, is P2 without a question; past tense,
    // a noun or no topic stays a complaint
    {"en_nobody_answers_return", "en", "nobody answers my emails about the return", kNeg, 0, 0, "", P2, "", ""},
    {"pl_nikt_nie_odpowiada_zwrot", "pl", "Od dwóch tygodni nikt nie odpowiada w sprawie zwrotu.", kNeg, 0, 0, "", P2, "", ""},
    {"de_keiner_antwortet_geld", "de", "Keiner antwortet wegen meinem Geld.", kNeg, 0, 0, "", P2, "", ""},
    {"es_nadie_responde_pedido", "es", "Nadie responde sobre mi pedido.", kNeg, 0, 0, "", P2, "", ""},
    {"fr_personne_ne_repond_colis", "fr", "Personne ne répond au sujet de mon colis.", kNeg, 0, 0, "", P2, "", ""},
    {"it_nessuno_risponde_reso", "it", "Nessuno risponde per il reso.", kNeg, 0, 0, "", P2, "", ""},
    {"en_nobody_answers_no_topic", "en", "Nobody answers the chat, annoying.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_nikt_nie_odpowiada_kasa", "pl", "Od tygodnia nikt nie odpowiada w sprawie mojej kasy.", kNeg, 0, 0, "", P2, "", ""},
    // "kasa" is money; "kasjer" (cashier) is no topic
    {"pl_nikt_nie_odpowiada_kasjer", "pl", "Od tygodnia nikt nie odpowiada, kasjer tylko wzrusza ramionami.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_courier_did_not_answer", "pl", "Paczka szła dwa tygodnie, a kurier nie odbierał telefonu.", kNeg, 0, 0, "", P3, "", ""},
    {"de_keine_antwort_noun", "de", "Seit drei Wochen keine Antwort auf meine Reklamation.", kNeg, 0, 0, "", P3, "", ""},
    {"en_nobody_answers_positive", "en", "Nobody answers about the order, but who cares, the shoes are perfect.", kPos, 0, 0, "", NONE, "", ""},
    // a demand for action now (NOW + DEMAND in one sentence) in a
    // complaint; in a neutral note, in praise, or next to a question not
    {"en_need_today", "en", "The parcel is lost and I need a replacement today.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"pl_prosze_natychmiast", "pl", "Proszę natychmiast wstrzymać tę wysyłkę, to pomyłka.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de_erwarte_heute", "de", "Die Ware ist kaputt, ich erwarte heute noch einen Anruf.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es_necesito_hoy", "es", "El vestido llegó roto, necesito una solución hoy.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"fr_veux_aujourdhui", "fr", "Le colis est perdu, je veux une réponse aujourd'hui.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"it_chiedo_oggi", "it", "Il pacco è rotto, chiedo di essere richiamata oggi.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_today_neutral_note", "en", "Ordered today, please ship it to the pickup point.", kNeutral, 0, 0, "", NONE, "", ""},
    {"de_heute_praise", "de", "Heute angekommen, bitte weiter so!", kPos, 0, 0, "", NONE, "", ""},
    {"de_dringend_question", "de", "Dringende Frage: passt das zu meinem Laptop? Bitte heute antworten.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_need_without_now", "en", "The strap broke, I need a replacement.", kNeg, 0, 0, "", P3, "", ""},
    // an allergic reaction is a hazard with swelling, breathing trouble or
    // in a child; a red face for two days is a complaint
    {"pl_uczulenie_calm", "pl", "Krem mnie uczulił, twarz czerwona przez dwa dni.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_uczulenie_swelling", "pl", "Krem mnie uczulił, twarz spuchnięta.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "uczulił"},
    {"en_allergic_calm", "en", "Slight allergic rash on my wrist from the strap.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "rash"},
    {"fr_allergie_enfant", "fr", "Mon enfant a fait une allergie à ce savon.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "allergie"},
    {"it_allergia_calm", "it", "Mi ha dato una leggera allergia.", kNeg, 0, 0, "", P3, "", ""},
    // emergency services, an emergency ward, a narrow escape, identity
    // theft, a PayPal dispute, a consumer mediator
    {"de_feuerwehr", "de", "Der Akku hat gezischt, die Feuerwehr musste kommen.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Feuerwehr"},
    {"pl_sor", "pl", "Po tym kremie noc na SOR-ze.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "na SOR"},
    {"it_finire_male", "it", "La cinghia si è sganciata, poteva finire male.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "finire male"},
    {"pl_na_moje_dane", "pl", "Ktoś zamówił na moje dane, a ja niczego nie zamawiałem.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "na moje dane|niczego nie zamawiałem"},
    {"de_paypal_konflikt", "de", "Ich eröffne jetzt einen Konflikt bei PayPal.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "Konflikt bei PayPal"},
    {"fr_mediateur", "fr", "Sans réponse lundi, je saisis le médiateur.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "médiateur"},
    {"de_heizkissen_geschmort", "de", "Das Heizkissen hat geschmort.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"de_crying", "de", "Das Kleid ist kaputt, ich sitze hier und heule.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    // ------------- sixth pass (shop corpus): an escalation the customer
    // has started (a dispute or case with PayPal, eBay, Allegro, the bank)
    {"pl_spor_paypal", "pl", "Mam otwarty spór w PayPalu, towaru brak.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "spór w PayPalu"},
    {"en_case_with_ebay", "en", "The lens is scratched, so I reported it to eBay.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "reported it to eBay"},
    {"en_contacted_bank", "en", "Charged twice, I have contacted my bank.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "contacted my bank"},
    {"de_fall_eroeffnet", "de", "Ich habe bei eBay einen Fall eröffnet.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "Fall eröffnet"},
    {"es_disputa_paypal", "es", "Ya tengo una disputa en PayPal.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "disputa en PayPal"},
    {"fr_opposition", "fr", "Sans nouvelles demain, je fais opposition.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "fais opposition"},
    {"it_controversia", "it", "Ho aperto una controversia su PayPal.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "controversia"},
    {"pl_spor_not_opened", "pl", "Nie zgłaszam sporu, proszę tylko o zwrot.", kNeg, 0, 0, "", P3, "", ""},
    {"en_no_need_for_a_case", "en", "No need to open a case with eBay, they refunded me.", kMildNeg, 0, 0, "", P4, "", ""},
    {"de_kein_fall", "de", "Kein Fall bei eBay nötig, der Händler hat sofort erstattet.", kMildNeg, 0, 0, "", P4, "", ""},
    {"es_disputa_hypothetical", "es", "Me cobraron dos veces y tengo que abrir una disputa.", kNeg, 0, 0, "", P3, "", ""},
    {"fr_pas_besoin_opposition", "fr", "Pas besoin de faire opposition, le remboursement est arrivé.", kMildNeg, 0, 0, "", P4, "", ""},
    {"it_nessuna_controversia", "it", "Nessuna controversia, il rimborso è arrivato.", kMildNeg, 0, 0, "", P4, "", ""},
    // a lawyer or a consumer office in the corpus writers' words
    {"pl_wezwanie_do_zaplaty", "pl", "Wysyłam przedsądowe wezwanie do zapłaty.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "przedsądowe|wezwanie do zapłaty"},
    {"it_mio_legale", "it", "Senza rimborso entro 15 giorni mi rivolgerò al mio legale.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "mio legale"},
    {"it_legale_negated", "it", "Non serve un legale, hanno rimborsato subito.", kMildNeg, 0, 0, "", P4, "", ""},
    {"es_comisaria", "es", "He ido a la comisaría.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "comisaría"},
    {"fr_signalconso", "fr", "Je signale la boutique sur SignalConso.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "SignalConso"},
    {"de_mahnbescheid", "de", "Als Nächstes kommt der Mahnbescheid.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "Mahnbescheid"},
    // goods that never came and a seller nobody can reach: a fraud claim,
    // paid or not; the goods gone with an answer, or an invoice never
    // received, is a complaint
    {"pl_gone_unreachable", "pl", "Towar nigdy nie dotarł, sprzedawca przestał odpisywać.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"en_gone_wont_reply", "en", "item never arrived and seller wont reply", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"en_sent_nothing_ghosted", "en", "Sent nothing. Six weeks on. Ghosted.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"de_gone_unreachable", "de", "Ware nie geliefert, der Verkäufer ist unerreichbar.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"es_gone_no_answer", "es", "Nunca me llegó. Ni reembolso ni respuesta.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"fr_gone_injoignable", "fr", "Colis jamais livré, vendeur injoignable.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"it_gone_irraggiungibile", "it", "Pacco mai consegnato e venditore irraggiungibile.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"en_gone_but_refunded", "en", "The parcel never arrived, but they refunded me the same day.", kNeg, 0, 0, "", P3, "", ""},
    {"de_invoice_never_received", "de", "Die Rechnung habe ich nie erhalten, per Mail kam keine Antwort.", kNeg, 0, 0, "", P3, "", ""},
    {"fr_gone_but_answered", "fr", "Colis jamais livré, mais le service client a répondu tout de suite.", kNeg, 0, 0, "", P3, "", ""},
    // choking and a child taken to the paediatrician
    {"pl_zakrztusil", "pl", "Syn zakrztusił się kawałkiem gryzaka.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "zakrztusił"},
    {"pl_u_pediatry", "pl", "Po tej zabawce byliśmy u pediatry.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "u pediatry"},
    {"en_choked", "en", "My toddler choked on a piece that snapped off.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "choked"},
    {"de_verschluckt", "de", "Mein Kind hat eine lose Perle verschluckt.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "verschluckt"},
    {"es_atraganto", "es", "Mi hijo se atragantó con una pieza.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "atragantó"},
    {"fr_etouffe", "fr", "Mon fils s'est étouffé avec une pièce du jouet.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "étouffé"},
    {"it_soffocare", "it", "Mia figlia ha rischiato di soffocare con un pezzo.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "soffocare"},
    {"pl_nie_zakrztusil", "pl", "Nie zakrztusił się, ale gryzak pękł po tygodniu.", kNeg, 0, 0, "", P3, "", ""},
    {"en_no_choking", "en", "No choking hazard, the pieces are big, but the paint chips.", kNeg, 0, 0, "", P3, "", ""},
    // an electrical fault of an appliance: a hazard; scorched bread is not
    {"pl_czajnik_zwarcie", "pl", "Czajnik spowodował zwarcie w gniazdku.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"en_heater_breaker", "en", "The heater tripped the breaker twice.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"de_wasserkocher_kurzschluss", "de", "Der Wasserkocher hat einen Kurzschluss verursacht.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"es_secador_cortocircuito", "es", "El secador hizo un cortocircuito.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"fr_radiateur_disjoncter", "fr", "Le radiateur a fait disjoncter toute la maison.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"it_phon_cortocircuito", "it", "Il phon ha fatto un cortocircuito.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"en_scorched_bread", "en", "The bread came out a bit scorched.", kNeg, 0, 0, "", P3, "", ""},
    {"de_kurzschluss_no_appliance", "de", "Der Kurzschluss lag an unserer alten Hausleitung.", kNeg, 0, 0, "", P3, "", ""},
    // an order ruined or gone when it is needed for an occasion tomorrow;
    // an occasion that is over, or an order that is fine, is not
    {"pl_occasion_tomorrow", "pl", "Tort przyszedł zgnieciony, a urodziny są jutro.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_occasion_tomorrow", "en", "The cake arrived smashed and the party is tomorrow.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de_occasion_tomorrow", "de", "Die Torte kam zerbrochen an, die Hochzeit ist morgen.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es_occasion_tomorrow", "es", "La tarta llegó rota y la boda es mañana.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"fr_occasion_tomorrow", "fr", "Le gâteau est arrivé cassé et le mariage c'est demain.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"it_occasion_tomorrow", "it", "La torta è arrivata rotta e la festa è domani.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    // "tonight", "ce soir": NOW rows of urgency.tsv, which count as SOON
    {"en_occasion_tonight", "en", "The cake arrived smashed and the party is tonight.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"fr_occasion_ce_soir", "fr", "Le gâteau est arrivé cassé et la fête c'est ce soir.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_occasion_over", "en", "The cake arrived smashed, the party was last week.", kNeg, 0, 0, "", P3, "", ""},
    {"de_occasion_fine", "de", "Die Hochzeit ist morgen und das Kleid passt perfekt.", kPos, 0, 0, "", NONE, "", ""},
    {"pl_occasion_no_damage", "pl", "Urodziny są jutro, a dostawa zajęła tydzień.", kNeg, 0, 0, "", P3, "", ""},
    // panic is distress; idioms of smoke, expired codes and expired goods
    // alone are no hazard; expired goods that made someone sick are
    {"en_panicking", "en", "The dress came torn and I'm panicking.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de_ausser_mir", "de", "Ich bin außer mir, die Lieferung ist verschwunden.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_no_need_to_panic", "en", "No need to panic, it just came a day late.", kMildNeg, 0, 0, "", P4, "", ""},
    {"it_tanto_fumo", "it", "Tanto fumo e niente arrosto.", kNeg, 0, 0, "", P3, "", ""},
    {"en_code_expired", "en", "Discount code keeps saying expired.", kNeg, 0, 0, "", P3, "", ""},
    {"de_aktion_abgelaufen", "de", "Leider war die Aktion abgelaufen.", kMildNeg, 0, 0, "", P4, "", ""},
    {"pl_przeterminowane_calm", "pl", "Mleko przyszło przeterminowane o tydzień.", kNeg, 0, 0, "", P3, "", ""},
    {"en_expired_calm", "en", "Sent me an expired jar of honey.", kNeg, 0, 0, "", P3, "", ""},
    {"de_abgelaufen_calm", "de", "Die Nüsse waren seit einem Monat abgelaufen.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_przeterminowane_sick", "pl", "Jogurt był przeterminowany, dziecko wymiotowało całą noc.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "wymiotowało"},
    {"en_expired_sick", "en", "The yoghurt had expired and it made us sick.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "made us sick"},
    {"de_abgelaufen_sick", "de", "Der Joghurt war abgelaufen, danach Durchfall.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Durchfall"},
    // glass in the goods, a broken tooth, vomiting, vermin, phishing and
    // the marketplace's guarantee, in the languages that lacked them;
    // "vomito" and mould stay out of Italian (idioms, calm complaints)
    {"pl_odlamki_szkla", "pl", "W dżemie były odłamki szkła.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "odłamki szkła"},
    {"en_broke_a_tooth", "en", "I broke a tooth on a stone in the rice.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "broke a tooth"},
    {"de_glassplitter", "de", "Im Joghurt war ein Glassplitter.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Glassplitter"},
    {"es_vomitos", "es", "Toda la familia con vómitos después de la cena.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "vómitos"},
    {"fr_cafards", "fr", "Des cafards dans le carton de céréales.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "cafards"},
    {"it_pezzi_di_vetro", "it", "Nella passata c'erano pezzi di vetro.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "pezzi di vetro"},
    {"fr_avoir_le_cafard", "fr", "Ce retard me donne le cafard.", kNeg, 0, 0, "", P3, "", ""},
    {"it_muffa_calm", "it", "Le fragole avevano già la muffa.", kNeg, 0, 0, "", P3, "", ""},
    {"it_prezzi_esplosi", "it", "I prezzi sono esplosi rispetto all'anno scorso.", kNeg, 0, 0, "", P3, "", ""},
    {"de_identitaetsdiebstahl", "de", "Das ist Identitätsdiebstahl, ich habe nie bestellt.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "Identitätsdiebstahl|nie bestellt"},
    {"es_tienda_falsa", "es", "Es una tienda falsa, cuidado.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "tienda falsa"},
    {"it_furto_is_about_value", "it", "Spedizione a 9,90: mi sembra un furto.", kNeg, 0, 0, "", P3, "", ""},
    {"en_a_to_z", "en", "I have filed an A-to-z claim with Amazon.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "A-to-z"},
    // an escalation told as settled (the money came back) is churn told,
    // not a customer still waiting; "still not refunded" is not settled
    {"en_claim_settled", "en", "After a week I opened a PayPal claim and got my money back.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "PayPal claim"},
    {"en_claim_not_settled", "en", "I opened a PayPal claim and still haven't got my money back.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "PayPal claim"},
    {"pl_spor_settled", "pl", "Otworzyłem spór w PayPalu i po tygodniu odzyskałem pieniądze.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Otworzyłem spór"},
    {"de_kaeuferschutz_settled", "de", "Erst nach dem Käuferschutz wurde das Geld erstattet.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Käuferschutz"},
    {"es_disputa_settled", "es", "Al final me devolvieron el dinero tras una disputa en PayPal.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "disputa en PayPal"},
    {"fr_litige_settled", "fr", "J'ai été remboursé, mais seulement après avoir ouvert un litige.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "ouvert un litige"},
    {"it_contestazione_settled", "it", "Mi hanno rimborsato solo dopo la contestazione.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "contestazione"},
    {"en_unsubscribe_is_plain_churn", "en", "Unsubscribe doesn't work, four emails a day.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Unsubscribe"},
    {"pl_anuluje_subskrypcje", "pl", "Anuluję subskrypcję, za drogo.", kNeg, 0, 0, "", P3, "CHURN_INTENT", "Anuluję subskrypcję"},
    // the complete corpus: an occasion tomorrow with nobody answering is
    // distress too; an answering machine or "and then silence" is nobody
    // answering; "błagam" and the adjectival "immediate" ask for action
    // now; a data-protection authority or a lawyer's advice is legal
    {"pl_occasion_nobody_answers", "pl", "Urodziny są jutro, a w pracowni nikt nie odbiera telefonu.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_occasion_nobody_answers", "en", "The party is tomorrow and nobody answers the phone.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de_occasion_nobody_answers", "de", "Die Hochzeit ist morgen und niemand antwortet.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es_occasion_contestador", "es", "La comunión es mañana y solo salta el contestador.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"fr_occasion_nobody_answers", "fr", "Le mariage c'est demain et personne ne répond.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"it_occasion_nobody_answers", "it", "La festa è domani e nessuno risponde.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"pl_occasion_over_nobody_answered", "pl", "Urodziny były w sobotę, kurier nie odbierał telefonu.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_trzeci_raz_i_cisza", "pl", "Trzeci raz pytam o zwrot pieniędzy, gdzie one są? Napisałam i cisza.", kNeg, 0, 0, "", P2, "", ""},
    {"pl_wlaczam_i_cisza", "pl", "Włączam i cisza, głośnik nie działa.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_blagam_natychmiastowy", "pl", "Tort nie dotarł, błagam o natychmiastowy kontakt!", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"it_segreteria_is_an_office", "it", "Posso pagare con bonifico, come richiede la segreteria della scuola?", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_raised_it_with_paypal", "en", "Two months of emails, so I've raised it with PayPal.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "raised it with PayPal"},
    {"en_ico_legal_advice", "en", "I will report this to the ICO and seek legal advice.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "ICO|legal advice"},
    {"en_no_legal_advice", "en", "No legal advice needed, they refunded me.", kMildNeg, 0, 0, "", P4, "", ""},
    {"pl_uodo", "pl", "Zgłaszam wyciek moich danych do UODO.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "UODO"},
    {"fr_cnil", "fr", "Je saisis la CNIL pour mes données.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "CNIL"},
    {"de_ladekabel_durchgeschmort", "de", "Das Ladekabel ist durchgeschmort.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    // seventh pass: money taken several times, more than due or for a
    // cancelled order with a bill due is P2; told as a story (no bill, no
    // demand) or settled it is a complaint
    {"pl_pobrali_dwa_razy_czynsz", "pl", "Pobraliście dwa razy 350 zł za jedną paczkę, a jutro płacę czynsz.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"pl_zamiast_rachunki", "pl", "Ściągnęliście 1200 zł zamiast 120 i nie mam na rachunki.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_charged_cancelled_rent", "en", "You charged me for an order I cancelled last week and my rent goes out on Monday.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de_dreimal_miete", "de", "Der Betrag wurde dreimal abgebucht und die Miete ist nächste Woche fällig.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es_dos_veces_alquiler", "es", "Me habéis cobrado dos veces el mismo pedido y tengo que pagar el alquiler.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"fr_deux_fois_loyer", "fr", "Vous m'avez débité deux fois, et mon loyer part demain.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"it_due_volte_affitto", "it", "Mi avete addebitato due volte lo stesso ordine e devo pagare l'affitto.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"pl_zeszla_rata_kredytu", "pl", "Trzy razy zeszła mi z konta ta sama kwota, a w piątek rata kredytu.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de_storniert_im_minus", "de", "Für die stornierte Bestellung wurde trotzdem abgebucht und jetzt bin ich im Minus.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_charged_twice_story", "en", "I was charged twice for the same order, annoying, and it took a while to sort out.", kNeg, 0, 0, "", P3, "", ""},
    {"fr_deux_fois_recit", "fr", "Débité deux fois il y a trois semaines, et depuis, rien.", kNeg, 0, 0, "", P3, "", ""},
    {"de_zweimal_bestellt_versehentlich", "de", "Ich habe versehentlich zweimal bestellt, bitte eine Bestellung stornieren.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_charged_twice_rent_refunded", "en", "They charged me twice just before rent was due, but refunded the money the same day.", kMildNeg, 0, 0, "", P4, "", ""},
    // an order, a charge or a subscription that is not the customer's is
    // account fraud; ordering twice by mistake or never having ordered
    // before is not
    {"en_never_placed", "en", "There is an order on my account that I never placed.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "never placed"},
    {"pl_ktos_zamowil", "pl", "Ktoś zamówił z mojego konta słuchawki, a ja nic nie kupowałem.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "Ktoś zamówił"},
    {"de_jemand_konto", "de", "Jemand hat mit meinem Konto drei Handys bestellt.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "Jemand hat"},
    {"es_sin_consentimiento", "es", "Me han dado de alta en una suscripción sin mi consentimiento.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "sin mi consentimiento"},
    {"fr_quelquun_a_commande", "fr", "Quelqu'un a commandé un téléphone sur mon compte.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "Quelqu'un a commandé"},
    {"it_qualcuno_ha_ordinato", "it", "Qualcuno ha ordinato dal mio account due televisori.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "Qualcuno ha ordinato"},
    {"en_ordered_twice_by_accident", "en", "I ordered the same lamp twice by accident, could you cancel one?", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_never_ordered_before", "en", "I had not ordered from this shop before; the order came in two days.", kNeutral, 0, 0, "", NONE, "", ""},
    // a bang with smoke, fuses or an appliance in one sentence is a hazard;
    // a gas smell is one by itself; detectors and alarms, a button popping
    // off are not
    {"pl_strzelilo_bezpieczniki", "pl", "Coś strzeliło, poszedł dym i wywaliło bezpieczniki.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "strzeliło"},
    {"en_popped_fuses", "en", "It popped and the fuses blew.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "popped"},
    {"es_chispazo_fusibles", "es", "Hubo un chispazo y saltaron los fusibles.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "chispazo"},
    {"pl_czuc_gaz", "pl", "W kuchni czuć gaz od nowej kuchenki.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "czuć gaz"},
    {"es_huele_a_gas", "es", "Huele a gas cerca de la estufa nueva.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Huele a gas"},
    {"pl_nagrzewnica_dwa_zdania", "pl", "Nagrzewnica działała tydzień. Potem coś pyknęło. Poszedł dym.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "pyknęło"},
    {"en_fireworks_bang_smoke", "en", "Disappointing fireworks. A weak bang and lots of smoke.", kNeg, 0, 0, "", P3, "", ""},
    {"en_fire_alarm_battery", "en", "The fire alarm has a battery that lasts ages.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_button_popped_off_charger", "en", "The button popped off the charger after a week.", kMildNeg, 0, 0, "", P4, "", ""},
    {"es_detector_de_humo", "es", "El detector de humo pita cuando cocino.", kMildNeg, 0, 0, "", P4, "", ""},
    // an injury with treatment is a hazard; seams, cuts of cloth, loyalty
    // points are not
    {"pl_rozciela_szwy", "pl", "Córka rozcięła palec o krawędź obudowy, skończyło się szwami.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "rozcięła"},
    {"en_cut_his_stitches", "en", "My son cut his hand on the blade and needed stitches.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "cut his"},
    {"de_geschnitten_genaeht", "de", "Mein Mann hat sich an der Kante geschnitten, die Wunde musste genäht werden.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "geschnitten|Wunde"},
    {"es_herida_puntos", "es", "Mi marido tiene una herida en la mano y le tuvieron que dar puntos.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "herida"},
    {"pl_szwy_rozciecie_kurtki", "pl", "Szwy się rozeszły po tygodniu, a rękaw ma rozcięcie.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_stitched_cut_fabric", "en", "The seams are badly stitched and the sleeve has a cut in it.", kMildNeg, 0, 0, "", P4, "", ""},
    {"es_puntos_corte_vestido", "es", "Con cada pedido sumas puntos, pero el corte del vestido es raro.", kMildNeg, 0, 0, "", P4, "", ""},
    // a dependent relative left without a needed device, with nobody
    // answering or days of calls, is P2; a late wheelchair is not
    {"es_silla_de_ruedas_nadie", "es", "La silla de ruedas de mi padre llegó rota y nadie contesta al teléfono.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"pl_lozko_rehabilitacyjne", "pl", "Łóżko rehabilitacyjne dla leżącej mamy przyszło uszkodzone, dzwonię od tygodnia.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_care_bed_broken_week", "en", "My disabled mum's care bed arrived broken and I've called every day for a week.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"pl_wozek_porysowany", "pl", "Wózek inwalidzki ma porysowaną ramę, trochę szkoda.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_wheelchair_late", "en", "The wheelchair arrived a week late, but my dad loves it.", kMildPos, 0, 0, "", NONE, "", ""},
    // a police report filed and going to one's bank, told in passing
    {"de_anzeige_ist_raus", "de", "Die Anzeige ist raus, mal sehen.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "Anzeige ist raus"},
    {"en_gone_to_my_bank", "en", "Whatever, I've gone to my bank.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "gone to my bank"},
    // ... also in a sarcastic review the model reads as clearly positive
    {"en_sarcastic_police_report_filed", "en", "Wonderful service, truly. Police report filed.", kPos, 0, 0, "", P1, "LEGAL_THREAT", "Police report filed"},
    {"de_sarkasmus_anzeige_ist_raus", "de", "Super Laden, echt. Die Anzeige ist raus.", kPos, 0, 0, "", P1, "LEGAL_THREAT", "Anzeige ist raus"},
    {"en_sarcastic_someone_used_my_account", "en", "Brilliant shop, someone used my account to order a TV.", kPos, 0, 0, "", P1, "FRAUD_CLAIM", "someone used my"},
    {"en_positive_lawyer_still_quiet", "en", "Great shoes, my lawyer friend loves them too.", kPos, 0, 0, "", NONE, "", ""},
    {"de_war_bei_meiner_bank", "de", "Ich war bei meiner Bank, die holen das Geld zurück.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "war bei meiner Bank|holen das Geld zurück"},
    {"de_anzeige_display", "de", "Die Anzeige am Display ist hell und gut lesbar.", kNeutral, 0, 0, "", NONE, "", ""},
    // eighth pass: smoke told as normal (the manual, first use) is no
    // hazard; told as not normal it still is
    {"pl_dymil_w_instrukcji", "pl", "Toster przy pierwszym użyciu dymił, ale w instrukcji piszą, że tak ma być.", kMildNeg, 0, 0, "", P4, "", ""},
    {"de_gequalmt_laut_anleitung", "de", "Der Backofen hat beim ersten Aufheizen gequalmt, laut Anleitung ist das normal.", kMildNeg, 0, 0, "", P4, "", ""},
    {"it_fumo_nel_libretto", "it", "Il phon ha fatto un po' di fumo, nel libretto dicono che è normale.", kNeutral, 0, 0, "", NONE, "", ""},
    {"pl_dymil_nie_jest_normalne", "pl", "Toster dymił, to nie jest normalne.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "dymił"},
    // the customer says there is no hurry
    {"it_festa_domani_non_urgente", "it", "La festa è domani e nessuno risponde, ma non è urgente, ho un altro regalo.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_trzeci_raz_nic_pilnego", "pl", "Nic pilnego, ale trzeci raz pytam o zwrot pieniędzy, gdzie one są? Napisałam i cisza.", kNeg, 0, 0, "", P3, "", ""},
    // an allergy stated in a question before buying
    {"pl_alergia_dlatego_pytam", "pl", "Syn ma alergię na wełnę, dlatego pytam: czy ten sweter jest z bawełny?", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_allergic_why_asking", "en", "My daughter is allergic to nickel, which is why I'm asking: is the clasp nickel free?", kNeutral, 0, 0, "", NONE, "", ""},
    {"de_allergie_vor_dem_kauf", "de", "Mein Sohn hat eine Allergie gegen Latex, deshalb frage ich vor dem Kauf.", kNeutral, 0, 0, "", NONE, "", ""},
    // silence about an invoice alone is a complaint
    {"pl_faktura_trzeci_mail", "pl", "Dlaczego od tygodnia nie mogę dostać faktury? Trzeci mail bez odpowiedzi.", kNeg, 0, 0, "", P3, "", ""},
    {"en_invoice_third_email", "en", "Why have I still not got my invoice? Third time asking, radio silence.", kNeg, 0, 0, "", P3, "", ""},
    // contact counted ("three times") is repeated contact; silence "into
    // the void", "no answer"
    {"fr_trois_fois_aucune_reponse", "fr", "Ça fait trois fois que je demande où est ma commande, toujours aucune réponse. Vous comptez me répondre quand ?", kNeg, 0, 0, "", P2, "", ""},
    {"it_tre_volte_nessuna_risposta", "it", "Ho scritto tre volte per il reso e ancora nessuna risposta, cosa devo fare?", kNeg, 0, 0, "", P2, "", ""},
    {"fr_relance_dans_le_vide", "fr", "Vous comptez me répondre un jour ? Trois semaines, et chaque relance part dans le vide.", kNeg, 0, 0, "", P2, "", ""},
    // a burning smell or a part too hot to touch is a hazard when the
    // customer acted for safety; told as a fault it is a complaint
    {"en_heater_burning_unplugged", "en", "The heater smelled of burning plastic and the plug was too hot to touch, so I've unplugged it.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"de_ladesockel_stecker_gezogen", "de", "Der Ladesockel wird so heiß, dass man ihn kaum anfassen kann. Ich habe den Stecker gezogen.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"es_cargador_huele_desenchufado", "es", "El cargador huele a quemado, lo he desenchufado y ya no lo uso.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"de_netzteil_heiss_nur_mangel", "de", "Das Netzteil wird so heiß, dass man es nicht anfassen kann, und der Akku hält eine Stunde.", kNeg, 0, 0, "", P3, "", ""},
    {"it_frullatore_bruciato_mangel", "it", "Il frullatore puzza di bruciato dopo tre usi e si spegne da solo.", kNeg, 0, 0, "", P3, "", ""},
    // a laughing writer reports no hazard
    {"en_haha_nearly_hospital", "en", "Haha the chilli sauce nearly sent me to hospital, amazing stuff.", kMildPos, 0, 0, "", NONE, "", ""},
    // calm look-alikes: a hospital colour or bag, a payment reminder the
    // customer received, a lawyer who would laugh
    {"en_hospital_green", "en", "The paint is more of a hospital green than sage.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_hospital_bag", "en", "Perfect size for my hospital bag.", kMildPos, 0, 0, "", NONE, "", ""},
    {"pl_dostalam_wezwanie_do_zaplaty", "pl", "Dostałam wezwanie do zapłaty, choć zapłaciłam w terminie.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_wysle_wezwanie_do_zaplaty", "pl", "Wyślę wam wezwanie do zapłaty.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "wezwanie do zapłaty"},
    {"pl_prawnik_by_sie_usmial", "pl", "Prawnik by się uśmiał z tej instrukcji, ale szafka stoi.", kMildPos, 0, 0, "", NONE, "", ""},
    // rip-off idioms about a price are no fraud claim
    {"de_halsabschneider", "de", "Versandkosten 12,90 für einen Brief? Halsabschneider.", kNeg, 0, 0, "", P3, "", ""},
    {"fr_cest_du_vol", "fr", "Franchement c'est du vol, ce coffret ne vaut pas son prix.", kNeg, 0, 0, "", P3, "", ""},
    {"es_es_un_robo", "es", "Es un robo, cuarenta euros por una funda.", kNeg, 0, 0, "", P3, "", ""},
    // an allergic reaction that needed a doctor; an injury to the eye, a
    // swallowed part with a helpline or a vet
    {"pl_uczulilo_lekarz", "pl", "Uczuliło mnie, musiałam iść do lekarza.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Uczuliło"},
    {"es_reaccion_medico", "es", "Tuvo una reacción a la crema y fuimos al médico.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Tuvo una reacción"},
    {"en_eye_rang_111", "en", "She got the glue in her eye and we rang 111.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "in her eye"},
    {"de_ins_auge_arzt", "de", "Mein Sohn hat Reiniger ins Auge bekommen, wir waren beim Arzt.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "ins Auge"},
    {"en_dog_swallowed_vet", "en", "Our dog swallowed a piece of the toy, emergency vet on Sunday.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "swallowed a"},
    // a charge the customer does not recognise (not a search box that
    // does not recognise a name); a data leak
    {"en_dont_recognise_charge", "en", "£340 has gone out of my account to a shop I don't recognise.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "don't recognise"},
    {"es_cargo_no_reconozco", "es", "Hay un cargo de 60 euros en mi tarjeta que no reconozco.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "no reconozco"},
    {"pl_wyszukiwarka_nie_rozpoznaje", "pl", "Wyszukiwarka nie rozpoznaje nazwy karmy, którą zamawiam od lat.", kNeg, 0, 0, "", P3, "", ""},
    {"de_datenleck", "de", "Gab es bei euch ein Datenleck?", kNeutral, 0, 0, "", P1, "FRAUD_CLAIM", "Datenleck"},
    {"it_fuga_di_dati", "it", "C'è stata una fuga di dati?", kNeutral, 0, 0, "", P1, "FRAUD_CLAIM", "fuga di dati"},
    // "3x" is several times
    {"de_3x_abgebucht_miete", "de", "Ihr habt 3x abgezogen und die Miete ist fällig.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    // ninth pass: an appliance that overheated, melted or flared up with
    // a safety act, a near miss or somebody exposed; told as past and
    // mended, or as a fault, it is not
    {"pl_listwa_strach_pomyslec", "pl", "Listwa zasilająca nagrzała się tak, że obudowa zmiękła. Odłączyłam ją, strach pomyśleć, co by było w nocy.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"en_blanket_dad_asleep", "en", "The electric blanket smelled of burning while my dad was asleep on it.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"de_lichterkette_trafo", "de", "Die Lichterkette ist am Trafo geschmolzen, die Kinder saßen daneben.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"es_freidora_llamarada", "es", "La freidora echó una llamarada, la desenchufé enseguida.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "llamarada"},
    {"it_friggitrice_fiammata_read_positive", "it", "La friggitrice ha fatto una fiammata, l'ho staccata subito.", kPos, 0, 0, "", P1, "HEALTH_SAFETY", "fiammata"},
    {"it_friggitrice_niente_fiammate", "it", "La friggitrice è fantastica, croccante e veloce.", kPos, 0, 0, "", NONE, "", ""},
    {"pl_ladowarka_przegrzala_wymieniona", "pl", "Kiedyś ładowarka się przegrzała, ale sklep ją wymienił i wszystko działa.", kMildPos, 0, 0, "", NONE, "", ""},
    {"en_charger_overheated_past", "en", "Last year the charger overheated, they replaced it and all is well.", kMildPos, 0, 0, "", NONE, "", ""},
    // a child's safety product that failed with the child in it
    {"en_car_seat_recalled", "en", "The car seat buckle came undone with my son in it. Has it been recalled?", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"fr_siege_auto_fils", "fr", "Le siège auto s'est détaché avec mon fils dedans, je ne l'utilise plus.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"it_seggiolino_figlio", "it", "Il seggiolino si è sganciato con mio figlio sopra, non lo useremo più.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"it_seggiolino_graffio", "it", "Il seggiolino per la bici di mio figlio ha un graffio.", kMildNeg, 0, 0, "", P4, "", ""},
    // swelling in a child that needed an adrenaline pen
    {"en_lips_swelled_epipen", "en", "My daughter ate one and her lips swelled up, we used her EpiPen.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    // what a dependent person cannot do without, asked for with a date,
    // with a demand or after nobody answered
    {"pl_insulina_pojutrze", "pl", "Torba na insulinę dla syna nie chłodzi, a syn wyjeżdża pojutrze. Błagam o wymianę.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en_pads_nobody_picks_up", "en", "Dad's incontinence pads haven't come and he ran out yesterday. I've emailed twice and nobody picks up. Please ring me.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es_silla_de_ruedas_hoy", "es", "Mi madre no puede salir de casa sin la silla de ruedas, que debía llegar el lunes. Hoy es jueves. Por favor, llámenme.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es_silla_de_ruedas_ya_bien", "es", "La silla de ruedas de mi padre llegó tarde, pero ya está todo bien.", kMildPos, 0, 0, "", NONE, "", ""},
    {"it_stufette_non_ce_fretta", "it", "Mio padre ha ordinato due stufette per sbaglio. Ne potete annullare una? Non c'è fretta.", kNeutral, 0, 0, "", NONE, "", ""},
    // a question for an answer after repeated contact
    {"en_fourth_message_anyone", "en", "This is my fourth message in ten days. Can anyone tell me where my order is?", kNeutral, 0, 0, "", P2, "", ""},
    {"de_dreimal_antwort_reklamation", "de", "Ich habe dreimal angerufen – bekomme ich irgendwann eine Antwort zu meiner Reklamation?", kNeutral, 0, 0, "", P2, "", ""},
    {"pl_trzeci_raz_ktos", "pl", "Piszę już trzeci raz w sprawie zwrotu. Czy ktoś może mi powiedzieć, kiedy dostanę pieniądze?", kNeg, 0, 0, "", P2, "", ""},
    {"en_replacement_or_return", "en", "One string of fairy lights stopped working after a week. Could you send a replacement or should I return the set?", kNeg, 0, 0, "", P3, "", ""},
    {"en_anyone_blue_asked_twice", "en", "Can anyone tell me if this comes in blue? Asked twice already.", kNeutral, 0, 0, "", NONE, "", ""},
    // a step to the bank announced or made a condition
    {"de_sonst_ueber_meine_bank", "de", "Ich will mein Geld bis Freitag, sonst gehe ich über meine Bank.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"en_otherwise_card_issuer", "en", "Refund me by Friday, otherwise I'm contacting my card issuer.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"fr_sinon_ma_banque", "fr", "Remboursez-moi cette semaine, sinon je passe par ma banque.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"pl_w_przeciwnym_razie_bank", "pl", "Oddajcie pieniądze do piątku, w przeciwnym razie zgłoszę sprawę w banku.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"en_bank_holiday_late", "en", "Parcel came late because of the bank holiday, otherwise fine.", kMildNeg, 0, 0, "", P4, "", ""},
    // a scam only asked about is a question; a data leak asked about is not
    {"en_is_this_a_scam_site", "en", "Is this the real site or one of those copycat scam sites? The prices look too good.", kNeutral, 0, 0, "", NONE, "", ""},
    {"es_es_una_estafa_pregunta", "es", "¿Esta web es una estafa? Los precios parecen demasiado buenos.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_scam_asked_paid_gone", "en", "Is this a scam? I paid three weeks ago and nothing ever arrived.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "scam"},
    {"en_thought_id_been_scammed", "en", "Thought I'd been scammed when the parcel came from another company, but it's your partner, all fine.", kMildPos, 0, 0, "", NONE, "", ""},
    // calm look-alikes: nothing dangerous, fire-brigade toys, a joke about
    // a gift "killing" someone, a "criminal" price, a presale allergy
    {"en_nothing_dangerous", "en", "The scooter brake squeaks, nothing dangerous, just annoying.", kMildNeg, 0, 0, "", P4, "", ""},
    {"it_niente_di_pericoloso", "it", "La scatola era rotta, niente di pericoloso, ma era un regalo.", kMildNeg, 0, 0, "", P4, "", ""},
    {"de_feuerwehrauto", "de", "Das Feuerwehrauto ist schön, aber die Sirene ist leise.", kMixed, 0, 0, "", P4, "", ""},
    {"en_gift_will_kill_him", "en", "This gift is going to kill him, he'll laugh so much 😂", kMildPos, 0, 0, "", NONE, "", ""},
    {"en_price_is_criminal", "en", "The price is criminal for what you get.", kNeg, 0, 0, "", P3, "", ""},
    {"de_preis_kriminell", "de", "Der Preis ist kriminell.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_nadaje_sie_dla_alergika", "pl", "Czy ta kołdra nadaje się dla alergika? Syn ma uczulenie na pierze.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_candle_burns_for", "en", "Lovely smell, but it burns for ten minutes then drowns its wick.", kMildNeg, 0, 0, "", P4, "", ""},
    // tenth pass: a fault the customer says has been fine since (FINE_NOW)
    // is no appliance hazard unless they acted for safety; a child who is
    // fine (UNHURT) makes no allergy hazard by itself; smoke told with
    // "nobody was hurt", swelling or treatment still are
    {"en_heater_fuse_fine_since", "en", "The fan heater tripped the fuse the first time I used it, it has been fine ever since.", kMildNeg, 0, 0, "", P4, "", ""},
    {"pl_czajnik_korki_od_tamtej_pory", "pl", "Czajnik raz wywalił korki, od tamtej pory działa bez problemu.", kMildNeg, 0, 0, "", P4, "", ""},
    {"de_heizluefter_sicherung_seitdem", "de", "Der Heizlüfter hat einmal die Sicherung rausgeworfen, seitdem läuft er ohne Probleme.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_heater_fuse_unplugged", "en", "The fan heater tripped the fuse and I unplugged it straight away. It has been fine since.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"en_charger_smoke_nobody_hurt", "en", "Smoke came out of the charger while it was plugged in. Nobody was hurt.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Smoke came out"},
    {"en_allergy_child_fine", "en", "My son has a nut allergy and the label doesn't list nuts but the website does. He didn't eat any, he's fine.", kMildNeg, 0, 0, "", P4, "", ""},
    {"fr_allergie_fille_va_bien", "fr", "Ma fille est allergique aux arachides et l'étiquette ne le mentionne pas. Elle va bien, elle n'en a pas mangé.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en_allergy_child_epipen_fine_now", "en", "My son had an allergic reaction, his lips swelled up and we used his EpiPen. He's fine now.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "allergic"},
    // fourteenth pass: mould on goods (MOULD) is a defect unless somebody
    // fell ill or was treated; the fire brigade (FIRE_CREW) is a hazard
    // only with a fire told; a reversed payment (REVERSAL) is an escalation
    // only with the customer's bank; silence supposed after "if" (IF) is
    // an instruction unless it is the condition of the customer's own step;
    // "unseriös" is an idiom of value (FRAUD_IDIOM)
    {"en_mouldy_bread_thrown_away", "en", "The bread arrived mouldy, I threw it away and would like a credit.", kNeg, 0, 0, "", P3, "", ""},
    {"de_erdbeeren_verschimmelt", "de", "Die Erdbeeren waren verschimmelt, ich bitte um eine Gutschrift.", kNeg, 0, 0, "", P3, "", ""},
    {"pl_chleb_splesnialy", "pl", "Chleb przyszedł spleśniały, wyrzuciłam go.", kNeg, 0, 0, "", P3, "", ""},
    {"en_mould_child_hospital", "en", "The juice was mouldy inside, my son drank some and his face swelled up.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "mouldy"},
    {"de_freiwillige_feuerwehr_order", "de", "Bestellung für die Freiwillige Feuerwehr, die Rechnung bitte an den Verein.", kNeutral, 0, 0, "", NONE, "", ""},
    {"pl_klocki_straz_pozarna", "pl", "Syn zbudował z klocków remizę straży pożarnej.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_fire_brigade_fete", "en", "We ordered the bunting for the summer fete of the fire brigade.", kNeutral, 0, 0, "", NONE, "", ""},
    {"de_akku_feuerwehr", "de", "Der Akku ist beim Laden heiß geworden und hat geraucht, wir mussten die Feuerwehr rufen.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Feuerwehr"},
    {"en_charger_fire_brigade", "en", "The charger overheated and we had to call the fire brigade.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "fire brigade"},
    {"de_rueckbuchung_dauerte", "de", "Die Rückbuchung des doppelt abgebuchten Betrags hat zwei Wochen gedauert.", kNeg, 0, 0, "", P3, "", ""},
    {"de_rueckbuchung_bank", "de", "Ich habe bei meiner Bank eine Rückbuchung beantragt.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"de_lastschrift_zurueckgehen_sparkasse", "de", "Ich habe die Lastschrift bei meiner Sparkasse zurückgehen lassen.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"it_storno_arrivato", "it", "Lo storno dell'addebito doppio è arrivato dopo una settimana.", kNeg, 0, 0, "", P3, "", ""},
    {"it_storno_banca", "it", "Ho chiesto lo storno alla mia banca.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"fr_si_personne_ne_repond", "fr", "Si personne ne répond, laissez le colis chez le voisin.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_if_nobody_answers_door", "en", "If nobody answers the door, please leave the parcel in the porch.", kNeutral, 0, 0, "", NONE, "", ""},
    {"de_falls_niemand_oeffnet", "de", "Falls niemand antwortet, das Paket bitte beim Nachbarn abgeben.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en_nobody_answers_refund", "en", "Nobody answers my emails about the refund.", kNeg, 0, 0, "", P2, "", ""},
    {"en_bank_if_nobody_gets_back", "en", "I will call my bank if nobody gets back to me about the parcel that never arrived.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    {"de_unserioes_gebuehr", "de", "Die Zusatzgebühr im letzten Schritt ist unseriös.", kNeg, 0, 0, "", P3, "", ""},
    {"de_unserioes_bezahlt_nie_angekommen", "de", "Unseriöser Laden: bezahlt, Ware nie angekommen.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", ""},
    // Eighteenth pass (helper U): urgent cases told in words the earlier
    // rows missed, each with a calm counterpart. A small part swallowed or
    // in a mouth (SMALL_PART with SWALLOWED, and a child or treatment), also
    // in a text read as positive; a warning that parts can be swallowed is
    // a stop phrase. Swollen batteries, flames out of an appliance; bunk
    // beds and footmuffs as child gear, a near miss with one; card issuers,
    // pay-later providers and bank objections; ombudsmen and small claims;
    // vulnerable people and pleading; worry told in idioms; contact counted
    // in ordinals; an automatic reply is an answer.
    {"pl18_bateria_guzikowa_w_buzi", "pl", "Córka miała w buzi baterię guzikową z pilota.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "w buzi|baterię guzikową"},
    {"pl18_bateria_guzikowa_calm", "pl", "Bateria guzikowa w zestawie, pilot działa, córka zadowolona.", kPos, 0, 0, "", NONE, "", ""},
    {"pl18_powerbank_spuchl", "pl", "Powerbank spuchł w nocy.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "Powerbank spuchł"},
    {"pl18_powerbank_calm", "pl", "Powerbank trzyma długo i szybko się ładuje.", kPos, 0, 0, "", NONE, "", ""},
    {"pl18_reklamacja_paypo", "pl", "Towar nie przyszedł, złożyłam reklamację w PayPo i wstrzymałam spłatę.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "reklamację w PayPo|wstrzymałam spłatę"},
    {"pl18_paypo_calm", "pl", "Zapłaciłam przez PayPo, reklamację sklep rozpatrzył w dwa dni.", kMildPos, 0, 0, "", NONE, "", ""},
    {"pl18_rzecznik_finansowy", "pl", "Złożyłem skargę do Rzecznika Finansowego.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "skargę do Rzecznika"},
    {"pl18_skarga_na_kuriera_calm", "pl", "Złożyłem skargę na kuriera, sklep szybko wysłał nową paczkę.", kMildNeg, 0, 0, "", P4, "", ""},
    {"pl18_autyzm_blagam_dzis", "pl", "Syn ma autyzm i bez słuchawek wyciszających nie wyjdzie z domu, błagam o wysyłkę dziś.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"pl18_autyzm_calm", "pl", "Syn ma autyzm, słuchawki wyciszające bardzo mu pomagają, polecam.", kPos, 0, 0, "", NONE, "", ""},
    {"pl18_rozplakalam", "pl", "Rozpłakałam się, tort na komunię przyszedł zgnieciony.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"pl18_poplakalam_ze_smiechu_calm", "pl", "Popłakałam się ze śmiechu, świetna książka.", kPos, 0, 0, "", NONE, "", ""},
    {"en18_button_battery_in_mouth", "en", "My toddler had a button battery from the remote in his mouth.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "in his mouth|button battery"},
    {"en18_button_battery_in_mouth_read_positive", "en", "My toddler had a button battery from the remote in his mouth.", kPos, 0, 0, "", P1, "HEALTH_SAFETY", "in his mouth|button battery"},
    {"en18_button_battery_calm", "en", "Comes with a button battery, the remote works fine.", kPos, 0, 0, "", NONE, "", ""},
    {"en18_small_parts_warning", "en", "Small parts can be swallowed, not for children under 3.", kNeutral, 0, 0, "", NONE, "", ""},
    {"en18_flame_came_out", "en", "A flame came out of the back of the heater.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"en18_steady_flame_calm", "en", "The camping stove gives a nice steady flame.", kPos, 0, 0, "", NONE, "", ""},
    {"en18_amex_reverse", "en", "I've asked Amex to reverse the payment.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"en18_shop_reversed_calm", "en", "The shop reversed the payment within a day, thanks.", kPos, 0, 0, "", NONE, "", ""},
    {"en18_county_court", "en", "If the deposit is not back by Friday I will issue a claim in the county court.", kNeg, 0, 0, "", P1, "LEGAL_THREAT", "issue a claim|county court"},
    {"en18_claim_form_calm", "en", "I claimed my money back through the returns form, it was easy.", kMildPos, 0, 0, "", NONE, "", ""},
    {"en18_pendant_alarm_today", "en", "My dad lives alone and needs his pendant alarm, the parcel is stuck at the depot. Please call me today.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en18_pendant_alarm_calm", "en", "Bought a pendant alarm for my dad who lives alone, works great.", kPos, 0, 0, "", NONE, "", ""},
    {"en18_worried_sick", "en", "I'm worried sick, the christening gown is lost in transit.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"en18_worried_about_fit_calm", "en", "My son was worried it wouldn't fit, but it's perfect.", kPos, 0, 0, "", NONE, "", ""},
    {"en18_fourth_message", "en", "This is my fourth message about the refund. Is anyone there?", kNeg, 0, 0, "", P2, "", ""},
    {"en18_fourth_message_from_shop_calm", "en", "Fourth message from the shop this week offering discounts, a bit much.", kMildNeg, 0, 0, "", P4, "", ""},
    {"en18_bunk_bed_bruises", "en", "The ladder of the bunk bed snapped with my son on it, he's covered in bruises.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "covered in bruises"},
    {"en18_bunk_bed_calm", "en", "The bunk bed was easy to build, my son loves the top bunk.", kPos, 0, 0, "", NONE, "", ""},
    {"en18_pushchair_near_miss", "en", "The pushchair folded up with the baby in it, it could have been so much worse.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", ""},
    {"en18_automatic_reply_calm", "en", "Why do I only get automatic replies about my return for three weeks?", kNeg, 0, 0, "", P3, "", ""},
    {"de18_knopfzelle_im_mund", "de", "Meine Tochter hatte eine Knopfzelle im Mund.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "im Mund|Knopfzelle"},
    {"de18_knopfzelle_calm", "de", "Knopfzelle liegt bei, die Waage funktioniert.", kPos, 0, 0, "", NONE, "", ""},
    {"de18_magnete_calm", "de", "Die Magnete halten gut, mein Sohn spielt täglich damit.", kPos, 0, 0, "", NONE, "", ""},
    {"de18_klarna_streitfall", "de", "Ich habe bei Klarna einen Streitfall eröffnet.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "Streitfall"},
    {"de18_klarna_calm", "de", "Mit Klarna bezahlt, alles problemlos.", kPos, 0, 0, "", NONE, "", ""},
    {"de18_widerspruch_bank", "de", "Ich habe bei meiner Bank Widerspruch gegen die Abbuchung eingelegt.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"de18_widerspruch_mahnung_calm", "de", "Meinen Widerspruch gegen die Mahnung hat der Shop sofort akzeptiert.", kMildNeg, 0, 0, "", P4, "", ""},
    {"de18_dritten_mal_antwort", "de", "Ich frage zum dritten Mal nach meiner Bestellung. Bekomme ich eine Antwort?", kNeg, 0, 0, "", P2, "", ""},
    {"de18_dritten_mal_calm", "de", "Ich habe zum dritten Mal eine Bestellung aufgegeben, klappt super. Gibt es eine Antwort zur Farbe?", kPos, 0, 0, "", NONE, "", ""},
    {"de18_krank_vor_sorge", "de", "Ich bin krank vor Sorge, das Geschenk für die Taufe ist verschwunden.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de18_sorge_groesse_calm", "de", "Ich hatte Sorge wegen der Größe, passt aber.", kPos, 0, 0, "", NONE, "", ""},
    {"de18_hausnotruf_heute", "de", "Meine Mutter lebt allein, der Hausnotruf kam defekt an, bitte heute noch Ersatz.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"de18_hausnotruf_calm", "de", "Hausnotruf für meine Mutter, die allein lebt, funktioniert einwandfrei.", kPos, 0, 0, "", NONE, "", ""},
    {"es18_pila_boton_en_la_boca", "es", "Mi hijo tenía una pila de botón en la boca.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "en la boca|pila de botón"},
    {"es18_pila_boton_calm", "es", "Incluye pila de botón y funciona bien.", kPos, 0, 0, "", NONE, "", ""},
    {"es18_retrocesion_banco", "es", "He pedido a mi banco la retrocesión del cargo.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "retrocesión"},
    {"es18_banco_confirmo_calm", "es", "Pagué con tarjeta de crédito y el banco confirmó el pago al momento.", kPos, 0, 0, "", NONE, "", ""},
    {"es18_vive_sola_hoy", "es", "Mi madre vive sola y necesita la teleasistencia, el paquete está perdido, por favor llámenme hoy.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es18_vive_sola_calm", "es", "Mi madre vive sola y la teleasistencia funciona genial.", kPos, 0, 0, "", NONE, "", ""},
    {"es18_muerta_de_preocupacion", "es", "Estoy muerta de preocupación, el vestido de la boda no llega.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"es18_preocupada_talla_calm", "es", "Estaba preocupada por la talla, pero queda perfecto.", kPos, 0, 0, "", NONE, "", ""},
    {"fr18_pile_bouton_bouche", "fr", "Ma fille avait une pile bouton dans la bouche.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "dans la bouche|pile bouton"},
    {"fr18_pile_bouton_calm", "fr", "Pile bouton fournie, la balance marche bien.", kPos, 0, 0, "", NONE, "", ""},
    {"fr18_fin_de_vie_supplie", "fr", "Mon père est en fin de vie, le matelas n'est pas arrivé, je vous en supplie, livrez-le aujourd'hui.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"fr18_supplie_calm", "fr", "Je vous en supplie, gardez ces prix, super boutique !", kPos, 0, 0, "", NONE, "", ""},
    {"fr18_opposition_banque", "fr", "J'ai fait opposition auprès de ma banque.", kNeg, 0, 0, "", P2, "CHURN_INTENT", "fait opposition"},
    {"fr18_morte_d_inquietude", "fr", "Je suis morte d'inquiétude, la robe de baptême est perdue.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"fr18_inquiete_taille_calm", "fr", "J'étais inquiète pour la taille, mais elle est parfaite.", kPos, 0, 0, "", NONE, "", ""},
    {"it18_batteria_bottone_in_bocca", "it", "Mio figlio aveva in bocca una batteria a bottone.", kNeg, 0, 0, "", P1, "HEALTH_SAFETY", "in bocca|batteria a bottone"},
    {"it18_batteria_bottone_calm", "it", "Batteria a bottone inclusa, funziona bene.", kPos, 0, 0, "", NONE, "", ""},
    {"it18_carta_bloccata_banca", "it", "Ho bloccato la carta tramite la mia banca.", kNeg, 0, 0, "", P2, "CHURN_INTENT", ""},
    {"it18_carta_fedelta_calm", "it", "Ho bloccato la carta fedeltà per sbaglio, il negozio l'ha riattivata subito.", kPos, 0, 0, "", NONE, "", ""},
    {"it18_vive_da_sola_supplico", "it", "Mia nonna vive da sola e il telesoccorso non arriva, vi supplico, spedite oggi.", kNeg, 0, 0, "", P2, "STRONG_NEGATIVE", ""},
    {"it18_vive_da_sola_calm", "it", "Mia nonna vive da sola e il telesoccorso è perfetto.", kPos, 0, 0, "", NONE, "", ""},
    {"it18_quarta_volta", "it", "È la quarta volta che scrivo per il rimborso. Qualcuno mi risponde?", kNeg, 0, 0, "", P2, "", ""},
    {"it18_quarta_volta_calm", "it", "È la quarta volta che compro qui, tutto perfetto.", kPos, 0, 0, "", NONE, "", ""},
    // ------------------------------------------------------- language choice
    {"und_tries_all", "und", "Totaler Betrug.", kNeg, 0, 0, "", P1, "FRAUD_CLAIM", "Betrug"},
    {"known_language_only_its_lexicon", "pl", "Totaler Betrug.", kNeg, 0, 0, "", P3, "", ""},
};
// clang-format on

class UrgencyTest : public test_util::ModelSuiteTest<UrgencyAssessor,
                                                     UrgencyAssessor::Create> {
 protected:
  static Urgency Run(std::string_view text, std::string_view language,
                     const Sentiment& overall, const AnalyzeOptions& o) {
    return model_->Assess(text, Tokenize(text), language, overall, o);
  }
};

TEST_F(UrgencyTest, Table) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    AnalyzeOptions o;
    o.rating = c.rating;
    o.rating_scale = c.scale;
    o.source = c.source;
    const std::string_view text = c.text;
    const Urgency u = Run(text, c.language, c.overall, o);
    const std::string where =
        std::string("case ") + c.name + ": \"" + c.text + "\"";
    EXPECT_EQ(static_cast<int>(u.priority), static_cast<int>(c.want_priority))
        << where;
    EXPECT_EQ(absl::StrJoin(u.reasons, ","), c.want_reasons) << where;
    std::vector<std::string> ev;
    for (const Span& s : u.evidence) {
      ev.emplace_back(text.substr(s.begin, s.end - s.begin));
    }
    EXPECT_EQ(absl::StrJoin(ev, "|"), c.want_evidence) << where;
  }
}

// Eighth pass: a demand for today in a question before buying is not
// pressing, even when the clauses read as complaining.
TEST_F(UrgencyTest, PresaleQuestionIsNotPressing) {
  const struct {
    const char* language;
    const char* text;
    Priority want;
  } cases[] = {
      {"pl", "Pilnie potrzebuję na sobotę, czy jeśli zamówię dziś, to zdążycie?", NONE},
      {"en", "I need it today, will it arrive if I order before noon?", NONE},
      {"pl", "Pilnie potrzebuję tego dziś, paczka nie dotarła.", P2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const Urgency u =
        model_->Assess(c.text, Tokenize(c.text), c.language, kNeutral,
                       AnalyzeOptions{}, SentimentLabel::kNegative);
    EXPECT_EQ(static_cast<int>(u.priority), static_cast<int>(c.want));
  }
}

TEST_F(UrgencyTest, AtLeastTwentyCasesPerLanguage) {
  test_util::ExpectCasesPerLanguage(kCases, &Case::language, 20,
                                    {"pl", "en", "de"});
}

TEST_F(UrgencyTest, EmptyTextIsDefined) {
  AnalyzeOptions o;
  const Urgency u = Run("", "und", Sentiment{}, o);
  EXPECT_EQ(u.priority, Priority::kNone);
  EXPECT_TRUE(u.reasons.empty());
}

TEST_F(UrgencyTest, EvidenceIsCapped) {
  std::string big;
  for (int i = 0; i < 100; ++i) big += "Oszustwo! ";
  const Urgency u = Run(big, "pl", kNeg, AnalyzeOptions{});
  EXPECT_EQ(u.priority, Priority::kP1);
  EXPECT_EQ(static_cast<int>(u.evidence.size()), UrgencyAssessor::kMaxEvidence);
  EXPECT_EQ(u.reasons.size(), 1u);
}

TEST_F(UrgencyTest, OddTextIsDefined) {
  std::string emoji;
  for (int i = 0; i < 10000; ++i) emoji += "\xF0\x9F\x98\xA1";  // 😡
  const std::string cases[] = {
      "\xFF\xFE oszustwo \xC3",         // invalid UTF-8 around a match
      "Это мошенничество, scam, 詐欺",  // mixed scripts
      emoji,
  };
  for (const std::string& text : cases) {
    const Urgency u = Run(text, "und", kNeg, AnalyzeOptions{});
    for (const Span& s : u.evidence) {
      EXPECT_LE(0, s.begin);
      EXPECT_LT(s.begin, s.end);
      EXPECT_LE(s.end, static_cast<int>(text.size()));
    }
  }
  EXPECT_EQ(Run(cases[0], "pl", kNeg, AnalyzeOptions{}).priority, P1);
  EXPECT_EQ(Run(cases[1], "und", kNeg, AnalyzeOptions{}).priority, P1);
  EXPECT_EQ(Run(cases[2], "und", kNeg, AnalyzeOptions{}).priority, P3);
}

// Eighteenth pass: each construction behind UrgencyParams; with all three
// off, a small part in a child's mouth, a near miss with child gear and a
// question for an answer after counted contact raise nothing.
TEST(UrgencyParamsTest, ConstructionsOff) {
  auto on = UrgencyAssessor::Create(test_paths::ModelsDir());
  auto off = UrgencyAssessor::CreateWithParams(test_paths::ModelsDir(),
                                               UrgencyParams{false, false, false});
  ASSERT_TRUE(on.ok() && off.ok());
  const struct {
    const char* language;
    const char* text;
    Priority with, without;
  } cases[] = {
      {"de", "Meine Tochter hatte eine Knopfzelle im Mund.", P1, P3},
      {"en", "The pushchair folded up with the baby in it, it could have been so much worse.", P1, P3},
      {"de", "Ich frage zum dritten Mal nach meiner Bestellung. Bekomme ich eine Antwort?", P2, P3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const TokenizedText t = Tokenize(c.text);
    EXPECT_EQ(static_cast<int>((*on)->Assess(c.text, t, c.language, kNeg, AnalyzeOptions{}).priority),
              static_cast<int>(c.with));
    EXPECT_EQ(static_cast<int>((*off)->Assess(c.text, t, c.language, kNeg, AnalyzeOptions{}).priority),
              static_cast<int>(c.without));
  }
}

TEST(UrgencyCreateTest, MissingFileIsNotFound) {
  auto u = UrgencyAssessor::Create("/nonexistent/models");
  EXPECT_EQ(u.status().code(), absl::StatusCode::kNotFound);
}

TEST(UrgencyCreateTest, UnknownLabelIsInvalidArgument) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("urgency_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "urgency.tsv") << "pl\tLEGAL_THREAT\tprawnik*\n"
                                     << "pl\tANGRY\tzły\n";
  auto u = UrgencyAssessor::Create(dir.string());
  EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(u.status().message().find("urgency.tsv:2"), std::string::npos)
      << u.status();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace opinia::nlp
