#include "nlp/aspects.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlp/text.h"
#include "tests/nlp/test_paths.h"
#include "tests/nlp/test_util.h"

namespace opinia::nlp {
namespace {


// One char per sentence: '+' positive, '-' negative, '0' neutral, '~' mixed.
Sentiment FromCode(char c) {
  switch (c) {
    case '+':
      return {0.8f, SentimentLabel::kPositive, 0.9f};
    case '-':
      return {-0.8f, SentimentLabel::kNegative, 0.9f};
    case '~':
      return {0.0f, SentimentLabel::kMixed, 0.6f};
    default:
      return {0.0f, SentimentLabel::kNeutral, 0.7f};
  }
}

char ToCode(SentimentLabel l) {
  switch (l) {
    case SentimentLabel::kPositive:
      return '+';
    case SentimentLabel::kNegative:
      return '-';
    case SentimentLabel::kMixed:
      return '~';
    case SentimentLabel::kNeutral:
      return '0';
    default:
      return '?';
  }
}

// "DELIVERY-=Dostawa|kurier": aspect, combined label, evidence texts.
std::vector<std::string> Describe(std::string_view text,
                                  const std::vector<AspectSentiment>& got) {
  std::vector<std::string> out;
  for (const AspectSentiment& a : got) {
    std::vector<std::string> ev;
    for (const Span& s : a.evidence) {
      ev.emplace_back(text.substr(s.begin, s.end - s.begin));
    }
    out.push_back(std::string(AspectName(a.aspect)) +
                  ToCode(a.sentiment.label) + "=" + absl::StrJoin(ev, "|"));
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Case {
  const char* name;
  const char* language;
  const char* text;
  const char* sentences;  // per-sentence sentiment codes, see FromCode
  const char* want;       // "; "-separated Describe() items, any order
};

// clang-format off
const Case kCases[] = {
    // ---------------------------------------------------------------- Polish
    {"pl_dostawa_nom", "pl", "Dostawa była szybka.", "+", "DELIVERY+=Dostawa"},
    {"pl_dostawe_acc", "pl", "Czekałem na dostawę dwa tygodnie.", "-", "DELIVERY-=dostawę"},
    {"pl_dostawie_loc", "pl", "Brak informacji o dostawie.", "-", "DELIVERY-=dostawie"},
    {"pl_dostawy_gen", "pl", "Termin dostawy przekroczony.", "-", "DELIVERY-=dostawy"},
    {"pl_kurier", "pl", "Kurier nie zadzwonił.", "-", "DELIVERY-=Kurier"},
    {"pl_kuriera", "pl", "Nie widziałem kuriera.", "-", "DELIVERY-=kuriera"},
    {"pl_paczka_dotarla", "pl", "Paczka dotarła następnego dnia.", "+", "DELIVERY+=Paczka|dotarła"},
    {"pl_dostarczyc", "pl", "Nie udało się dostarczyć przesyłki.", "-", "DELIVERY-=dostarczyć|przesyłki"},
    {"pl_zwrot_pieniedzy", "pl", "Zwrot pieniędzy trwał miesiąc.", "-", "RETURNS-=Zwrot pieniędzy"},
    {"pl_zwrocic_towar", "pl", "Nie mogłem zwrócić towaru.", "-", "RETURNS-=zwrócić towaru"},
    {"pl_zwrotu", "pl", "Sklep odmówił zwrotu.", "-", "RETURNS-=zwrotu"},
    {"pl_reklamacja", "pl", "Reklamacja została rozpatrzona pozytywnie.", "+", "RETURNS+=Reklamacja"},
    {"pl_obsluga_klienta", "pl", "Obsługa klienta bardzo pomocna.", "+", "CUSTOMER_SERVICE+=Obsługa klienta|pomocna"},
    {"pl_obslugi", "pl", "Brak kontaktu ze strony obsługi.", "-", "CUSTOMER_SERVICE-=kontaktu|obsługi"},
    {"pl_obsludze_loc", "pl", "Nic dobrego nie powiem o obsłudze.", "-", "CUSTOMER_SERVICE-=obsłudze"},
    {"pl_paczce_loc", "pl", "W paczce brakowało śrubek.", "-", "DELIVERY-=paczce"},
    {"pl_produkcie_loc", "pl", "W produkcie jest rysa.", "-", "PRODUCT_QUALITY-=produkcie|rysa"},
    {"pl_obsludze_klienta", "pl", "W obsłudze klienta nikt nie odbiera.", "-", "CUSTOMER_SERVICE-=W obsłudze klienta|nikt nie odbiera"},
    {"pl_sprzedawca", "pl", "Sprzedawca nie odpowiada na maile.", "-", "CUSTOMER_SERVICE-=Sprzedawca|odpowiada na|maile"},
    // "wygodny" is the product's comfort (shoes, chairs) since issue 17's fourth pass
    {"pl_w_obsludze_usability", "pl", "Łatwy w obsłudze i wygodny.", "+",
     "PRODUCT_QUALITY+=wygodny; USABILITY+=w obsłudze"},
    {"pl_latwosc_obslugi", "pl", "Doceniam łatwość obsługi.", "+", "USABILITY+=łatwość obsługi"},
    {"pl_cena_jakosc", "pl", "Cena adekwatna do jakości.", "+", "PRICE+=Cena; PRODUCT_QUALITY+=jakości"},
    {"pl_drogi", "pl", "Za drogi jak na to, co oferuje.", "-", "PRICE-=drogi"},
    {"pl_tanio", "pl", "Kupiłem bardzo tanio.", "+", "PRICE+=tanio"},
    {"pl_ceny_cenie", "pl", "Ceny są wysokie. W tej cenie jest ok.", "-0", "PRICE-=Ceny|cenie"},
    {"pl_platnosc_blik", "pl", "Płatność blikiem nie przeszła.", "-", "PAYMENT-=Płatność|blikiem"},
    {"pl_zaplacilem", "pl", "Zapłaciłem przelewem i czekam.", "-", "PAYMENT-=Zapłaciłem|przelewem"},
    {"pl_place_norm", "pl", "Płacę zawsze kartą.", "0", "PAYMENT0=Płacę|kartą"},
    {"pl_drozyzna", "pl", "Straszna drożyzna.", "-", "PRICE-=drożyzna"},
    {"pl_faktura", "pl", "Faktura przyszła z błędem.", "-", "PAYMENT-=Faktura"},
    {"pl_opakowanie", "pl", "Opakowanie było zniszczone.", "-", "PACKAGING-=Opakowanie"},
    {"pl_zapakowany", "pl", "Towar dobrze zapakowany.", "+", "PRODUCT_QUALITY+=Towar; PACKAGING+=zapakowany"},
    {"pl_karton_mixed", "pl", "Karton był pognieciony, ale produkt cały.", "~", "PACKAGING~=Karton; PRODUCT_QUALITY~=produkt"},
    {"pl_jakosc_wykonania", "pl", "Jakość wykonania świetna.", "+", "PRODUCT_QUALITY+=Jakość|wykonania"},
    {"pl_przestal_dzialac", "pl", "Produkt przestał działać po tygodniu.", "-", "PRODUCT_QUALITY-=Produkt|przestał działać"},
    {"pl_instrukcja", "pl", "Instrukcja jest niezrozumiała.", "-", "USABILITY-=Instrukcja"},
    {"pl_montaz", "pl", "Montaż zajął pięć minut.", "+", "USABILITY+=Montaż"},
    {"pl_two_sentences", "pl", "Dostawa ekspresowa. Niestety obsługa fatalna.", "+-", "DELIVERY+=Dostawa|ekspresowa; CUSTOMER_SERVICE-=obsługa"},
    {"pl_same_aspect_mixed", "pl", "Kurier był miły. Ale paczka przyszła uszkodzona.", "+-", "DELIVERY~=Kurier|paczka; PRODUCT_QUALITY-=uszkodzona"},
    {"pl_odpowiada_opisowi_is_not_service", "pl", "Kolor odpowiada opisowi.", "+", ""},
    {"pl_none", "pl", "Jestem bardzo zadowolony.", "+", ""},
    {"pl_stop_za_pomoca", "pl", "Zrobiłem to za pomocą śrubokręta.", "0", ""},
    {"pl_no_diacritics", "pl", "dostawa szybka, obsluga mila, cena ok", "+", "DELIVERY+=dostawa; CUSTOMER_SERVICE+=obsluga; PRICE+=cena"},
    {"pl_upper_case", "pl", "DOSTAWĘ OPÓŹNIONO.", "-", "DELIVERY-=DOSTAWĘ|OPÓŹNIONO"},
    {"pl_stop_zwracam_uwage", "pl", "Zwracam uwagę na jakość.", "0", "PRODUCT_QUALITY0=jakość"},
    {"pl_stop_karta_graficzna", "pl", "Karta graficzna działa świetnie.", "+", ""},
    {"pl_odstapienie", "pl", "Odstąpiłem od umowy w terminie.", "0", "RETURNS0=Odstąpiłem od umowy"},
    {"pl_koszt_wysylki", "pl", "Koszt wysyłki za wysoki.", "-", "PRICE-=Koszt; DELIVERY-=wysyłki"},
    // --------------------------------------------------------------- English
    {"en_delivery", "en", "Delivery was fast.", "+", "DELIVERY+=Delivery"},
    {"en_package_arrived", "en", "The package arrived damaged.", "-", "DELIVERY-=package|arrived"},
    {"en_shipping", "en", "Shipping took forever.", "-", "DELIVERY-=Shipping"},
    {"en_delivered", "en", "It was delivered two days late.", "-", "DELIVERY-=delivered"},
    {"en_courier", "en", "The courier left it in the rain.", "-", "DELIVERY-=courier"},
    {"en_returned_refund", "en", "I returned it for a full refund.", "0", "RETURNS0=returned|refund"},
    {"en_money_back", "en", "Still waiting for my money back.", "-", "RETURNS-=money back"},
    {"en_return_process", "en", "The return process was painless.", "+", "RETURNS+=return"},
    {"en_value_for_money", "en", "Great value for money.", "+", "PRICE+=Great value|money"},
    {"en_expensive", "en", "Way too expensive for what it is.", "-", "PRICE-=expensive"},
    {"en_cheap", "en", "Cheap and cheerful.", "+", "PRICE+=Cheap"},
    {"en_price", "en", "The price is right.", "+", "PRICE+=price"},
    {"en_payment_checkout", "en", "Payment failed twice at checkout.", "-", "PAYMENT-=Payment|checkout"},
    {"en_charged_card", "en", "They charged my credit card twice.", "-", "PAYMENT-=charged|credit card"},
    {"en_paypal", "en", "PayPal payment was smooth.", "+", "PAYMENT+=PayPal|payment"},
    {"en_customer_service", "en", "Customer service was very helpful.", "+", "CUSTOMER_SERVICE+=Customer service|helpful"},
    {"en_seller_replied", "en", "The seller never replied to my emails.", "-", "CUSTOMER_SERVICE-=seller|replied|emails"},
    {"en_support_rude", "en", "Support was rude and unhelpful.", "-", "CUSTOMER_SERVICE-=Support|rude|unhelpful"},
    {"en_easy_to_use", "en", "Very easy to use.", "+", "USABILITY+=easy to use"},
    {"en_instructions", "en", "The instructions are confusing.", "-", "USABILITY-=instructions|confusing"},
    {"en_setup", "en", "Setup took five minutes.", "+", "USABILITY+=Setup"},
    {"en_user_friendly", "en", "The app is user-friendly.", "+", "USABILITY+=app|user-friendly"},
    {"en_packaging", "en", "Packaging was excellent.", "+", "PACKAGING+=Packaging"},
    {"en_box", "en", "The box was crushed.", "-", "PACKAGING-=box"},
    {"en_quality", "en", "Great quality, sturdy too.", "+", "PRODUCT_QUALITY+=quality|sturdy"},
    {"en_stopped_working", "en", "It stopped working after a week.", "-", "PRODUCT_QUALITY-=stopped working"},
    {"en_poorly_made", "en", "Poorly made and flimsy.", "-", "PRODUCT_QUALITY-=Poorly made|flimsy"},
    {"en_size_fits", "en", "Wrong size, it fits nobody.", "-", "PRODUCT_QUALITY-=size|fits"},
    {"en_two_sentences", "en", "Fast shipping. But the product broke in a day.", "+-", "DELIVERY+=shipping; PRODUCT_QUALITY-=product|broke"},
    {"en_stop_pay_attention", "en", "Please pay attention to the colour.", "0", ""},
    {"en_stop_charger", "en", "The charger is fine.", "+", ""},
    {"en_none", "en", "I love it!", "+", ""},
    {"en_same_aspect_mixed", "en", "Delivery was quick. Delivery guy was rude.", "+-", "DELIVERY~=Delivery|Delivery; CUSTOMER_SERVICE-=rude"},
    {"en_stop_returning_customer", "en", "I'm a returning customer.", "+", ""},
    {"en_upper_case", "en", "SHIPPING WAS SLOW", "-", "DELIVERY-=SHIPPING"},
    // ---------------------------------------------------------------- German
    {"de_lieferung", "de", "Die Lieferung kam pünktlich.", "+", "DELIVERY+=Lieferung|pünktlich"},
    {"de_lieferzeit", "de", "Lieferzeit viel zu lang.", "-", "DELIVERY-=Lieferzeit"},
    {"de_versand", "de", "Schneller Versand!", "+", "DELIVERY+=Versand"},
    {"de_expresslieferung", "de", "Die Expresslieferung kam zu spät.", "-", "DELIVERY-=Expresslieferung"},
    {"de_paket", "de", "Das Paket wurde beim Nachbarn abgegeben.", "0", "DELIVERY0=Paket"},
    {"de_ruecksendung", "de", "Die Rücksendung war kostenlos.", "+", "RETURNS+=Rücksendung"},
    {"de_zurueckgesendet", "de", "Ich habe alles zurückgesendet.", "0", "RETURNS0=zurückgesendet"},
    {"de_rueckerstattung", "de", "Warte immer noch auf die Rückerstattung.", "-", "RETURNS-=Rückerstattung"},
    {"de_umtausch", "de", "Umtausch ohne Probleme.", "+", "RETURNS+=Umtausch"},
    {"de_geld_zurueck", "de", "Geld zurück nach drei Tagen.", "+", "RETURNS+=Geld zurück"},
    {"de_preis", "de", "Der Preis ist zu hoch.", "-", "PRICE-=Preis"},
    {"de_guenstig", "de", "Sehr günstig!", "+", "PRICE+=günstig"},
    {"de_ueberteuert", "de", "Völlig überteuert.", "-", "PRICE-=überteuert"},
    {"de_versandkosten", "de", "Die Versandkosten sind unverschämt.", "-", "PRICE-=Versandkosten"},
    {"de_zahlung_paypal", "de", "Die Zahlung mit PayPal ging schief.", "-", "PAYMENT-=Zahlung|PayPal"},
    {"de_doppelt_abgebucht", "de", "Der Betrag wurde doppelt abgebucht.", "-", "PAYMENT-=doppelt abgebucht"},
    {"de_rechnung", "de", "Die Rechnung war falsch.", "-", "PAYMENT-=Rechnung"},
    {"de_kundenservice", "de", "Der Kundenservice war sehr freundlich.", "+", "CUSTOMER_SERVICE+=Kundenservice|freundlich"},
    {"de_kundendienst", "de", "Der Kundendienst ist nicht erreichbar.", "-", "CUSTOMER_SERVICE-=Kundendienst|erreichbar"},
    {"de_verkaeufer", "de", "Der Verkäufer hat nie geantwortet.", "-", "CUSTOMER_SERVICE-=Verkäufer|geantwortet"},
    {"de_einfach_zu_bedienen", "de", "Einfach zu bedienen.", "+", "USABILITY+=Einfach zu bedienen"},
    {"de_bedienungsanleitung", "de", "Die Bedienungsanleitung ist unverständlich.", "-", "USABILITY-=Bedienungsanleitung"},
    {"de_benutzerfreundlich", "de", "Sehr benutzerfreundlich.", "+", "USABILITY+=benutzerfreundlich"},
    {"de_montage", "de", "Die Montage war kompliziert.", "-", "USABILITY-=Montage|kompliziert"},
    {"de_verpackung", "de", "Die Verpackung war beschädigt.", "-", "PACKAGING-=Verpackung"},
    {"de_verpackt", "de", "Gut verpackt.", "+", "PACKAGING+=verpackt"},
    {"de_karton", "de", "Der Karton war eingedrückt.", "-", "PACKAGING-=Karton"},
    {"de_qualitaet", "de", "Top Qualität.", "+", "PRODUCT_QUALITY+=Qualität"},
    {"de_kaputt", "de", "Das Produkt ist nach zwei Wochen kaputt gegangen.", "-", "PRODUCT_QUALITY-=Produkt|kaputt"},
    {"de_hochwertig", "de", "Sehr hochwertig verarbeitet.", "+", "PRODUCT_QUALITY+=hochwertig|verarbeitet"},
    {"de_groesse_norm", "de", "Die Größe passt nicht, große Enttäuschung.", "-", "PRODUCT_QUALITY-=Größe|passt nicht"},
    {"de_two_sentences", "de", "Lieferung schnell. Aber die Qualität ist schlecht.", "+-", "DELIVERY+=Lieferung; PRODUCT_QUALITY-=Qualität"},
    {"de_stop_umweltfreundlich", "de", "Umweltfreundlich und leise.", "+", ""},
    {"de_none", "de", "Ich bin sehr zufrieden.", "+", ""},
    {"de_no_umlauts", "de", "Rucksendung problemlos, Kundenservice top.", "+", "RETURNS+=Rucksendung; CUSTOMER_SERVICE+=Kundenservice"},
    {"de_preis_leistung", "de", "Preis-Leistung stimmt.", "+", "PRICE+=Preis-Leistung"},
    // ------------------------------------- failure verbs and the shop's site
    {"pl_stopila_sie", "pl", "Pokrywka stopiła się w piekarniku.", "-", "PRODUCT_QUALITY-=stopiła się"},
    {"pl_sie_spalil", "pl", "Po dwóch dniach silnik się spalił.", "-", "PRODUCT_QUALITY-=się spalił"},
    {"pl_zaczal_dymic", "pl", "Toster zaczął dymić.", "-", "PRODUCT_QUALITY-=zaczął dymić"},
    {"pl_nie_dziala", "pl", "Pilot nie działa od początku.", "-", "PRODUCT_QUALITY-=nie działa"},
    {"pl_strona", "pl", "Strona sklepu jest przejrzysta.", "+", "USABILITY+=Strona sklepu"},
    {"pl_z_drugiej_strony", "pl", "Z drugiej strony kolor ładny.", "+", ""},
    {"pl_koszyk", "pl", "Koszyk co chwilę się czyści.", "-", "USABILITY-=Koszyk"},
    {"en_melted", "en", "The lid melted in the dishwasher.", "-", "PRODUCT_QUALITY-=melted"},
    {"en_burned_out", "en", "The motor burned out in a week.", "-", "PRODUCT_QUALITY-=burned out"},
    {"en_stopped_working", "en", "Mine stopped working on day three.", "-", "PRODUCT_QUALITY-=stopped working"},
    {"en_navigate", "en", "Their website is easy to navigate.", "+", "USABILITY+=website|easy to navigate"},
    {"en_crashing", "en", "Checkout page kept crashing.", "-", "USABILITY-=Checkout page|kept crashing"},
    {"de_ueberhitzt", "de", "Der Föhn überhitzt nach zehn Minuten.", "-", "PRODUCT_QUALITY-=überhitzt"},
    {"de_geht_nicht_mehr", "de", "Die Pumpe geht nicht mehr.", "-", "PRODUCT_QUALITY-=geht nicht mehr"},
    {"de_webseite", "de", "Die Webseite ist übersichtlich.", "+", "USABILITY+=Webseite|übersichtlich"},
    {"es_envio_embalaje", "es", "El envío rápido y el embalaje perfecto.", "+", "DELIVERY+=envío; PACKAGING+=embalaje"},
    {"es_reembolso", "es", "Todavía espero el reembolso.", "-", "RETURNS-=reembolso"},
    {"es_atencion", "es", "La atención al cliente no contesta.", "-", "CUSTOMER_SERVICE-=atención al cliente|contesta"},
    {"fr_livraison_prix", "fr", "Livraison rapide, prix correct.", "+", "DELIVERY+=Livraison; PRICE+=prix"},
    {"fr_remboursement", "fr", "Remboursement reçu sous trois jours.", "+", "RETURNS+=Remboursement"},
    {"fr_site_paiement", "fr", "Le site plante au paiement.", "-", "USABILITY-=site|plante; PAYMENT-=paiement"},
    {"it_spedizione", "it", "Spedizione lenta, pacchi ammaccati.", "-", "DELIVERY-=Spedizione|pacchi"},
    {"it_reso_false_friend", "it", "Mi ha reso felice.", "+", ""},
    {"it_imballaggio_qualita", "it", "Imballaggio curato e qualità ottima.", "+", "PACKAGING+=Imballaggio; PRODUCT_QUALITY+=qualità"},
    // ------------------------- journey vocabulary (issue 17, fifth pass)
    {"pl_czat_doradca", "pl", "Doradca na czacie szybko pomógł.", "+", "CUSTOMER_SERVICE+=Doradca|czacie|pomógł"},
    {"pl_dodzwonic", "pl", "Nie można się dodzwonić od tygodnia.", "-", "CUSTOMER_SERVICE-=dodzwonić"},
    {"pl_listonosz", "pl", "Listonosz zostawił awizo, choć byłem w domu.", "-", "DELIVERY-=Listonosz"},
    {"pl_punkt_odbioru", "pl", "Odebrałem w punkcie odbioru obok domu.", "0", "DELIVERY0=punkcie odbioru"},
    {"pl_wypelniacz", "pl", "Brak wypełniacza, wszystko latało w kartonie.", "-", "PACKAGING-=wypełniacza|kartonie"},
    {"pl_folia_babelkowa", "pl", "Owinięte folią bąbelkową.", "+", "PACKAGING+=Owinięte|folią bąbelkową"},
    {"pl_doplata", "pl", "Dopłata za pobranie to przesada.", "-", "PRICE-=Dopłata; PAYMENT-=pobranie"},
    {"pl_szkoda_kasy", "pl", "Szkoda kasy.", "-", "PRICE-=Szkoda kasy"},
    {"pl_tanich", "pl", "Jak na tanich słuchawkach, gra dobrze.", "+", "PRICE+=tanich"},
    {"pl_reklamacyjny", "pl", "Formularz reklamacyjny był prosty.", "+", "RETURNS+=reklamacyjny"},
    {"pl_apka", "pl", "Apka ciągle się wylogowuje.", "-", "USABILITY-=Apka|wylogowuje"},
    {"pl_przecieka", "pl", "Butelka przecieka od pierwszego dnia.", "-", "PRODUCT_QUALITY-=przecieka"},
    {"pl_spisuje_sie", "pl", "Spisuje się świetnie.", "+", "PRODUCT_QUALITY+=Spisuje się"},
    {"en_live_chat", "en", "The live chat adviser sorted it in minutes.", "+", "CUSTOMER_SERVICE+=live chat|adviser"},
    {"en_got_back_to_me", "en", "Nobody ever got back to me.", "-", "CUSTOMER_SERVICE-=got back to me"},
    {"en_evri_locker", "en", "Evri left it in a locker miles away.", "-", "DELIVERY-=Evri|locker"},
    {"en_driver_doorstep", "en", "The driver left it on the doorstep in the rain.", "-", "DELIVERY-=driver|doorstep"},
    {"en_padding_carton", "en", "No padding at all in the carton.", "-", "PACKAGING-=padding|carton"},
    {"en_handling_fee", "en", "A handling fee appeared at the last step.", "-", "PRICE-=handling fee"},
    {"en_worth_every_penny", "en", "Worth every penny.", "+", "PRICE+=Worth every penny"},
    {"en_bank_transfer", "en", "Paid by bank transfer, all smooth.", "+", "PAYMENT+=Paid|bank transfer"},
    {"en_sent_back", "en", "I sent back two of them.", "0", "RETURNS0=sent back"},
    {"en_buggy_site", "en", "The mobile app is buggy.", "-", "USABILITY-=mobile app|buggy"},
    {"en_rusted", "en", "It rusted after one wash.", "-", "PRODUCT_QUALITY-=rusted"},
    {"en_comfy", "en", "Super comfy.", "+", "PRODUCT_QUALITY+=comfy"},
    {"de_rueckmeldung", "de", "Keine Rückmeldung vom Ansprechpartner.", "-", "CUSTOMER_SERVICE-=Rückmeldung|Ansprechpartner"},
    {"de_meldet_sich", "de", "Niemand meldet sich.", "-", "CUSTOMER_SERVICE-=meldet sich"},
    {"de_packstation", "de", "Lag am Morgen in der Packstation.", "+", "DELIVERY+=Packstation"},
    {"de_fahrer", "de", "Der Fahrer war sehr nett.", "+", "DELIVERY+=Fahrer"},
    {"de_schnell_da", "de", "War schnell da.", "+", "DELIVERY+=schnell da"},
    {"de_fuellmaterial", "de", "Kaum Füllmaterial, dafür viel Styropor.", "-", "PACKAGING-=Füllmaterial|Styropor"},
    {"de_verschweisst", "de", "Originalverpackt und verschweißt.", "+", "PACKAGING+=Originalverpackt|verschweißt"},
    {"de_gebuehr", "de", "Die Bearbeitungsgebühr ist frech.", "-", "PRICE-=Bearbeitungsgebühr"},
    {"de_porto", "de", "Porto viel zu hoch.", "-", "PRICE-=Porto"},
    {"de_rueckabwicklung", "de", "Die Rückabwicklung lief reibungslos.", "+", "RETURNS+=Rückabwicklung"},
    {"de_seite", "de", "Die Seite lädt ewig.", "-", "USABILITY-=Seite"},
    {"de_auf_der_anderen_seite", "de", "Auf der anderen Seite ist es leise.", "+", ""},
    {"de_undicht", "de", "Die Flasche ist undicht.", "-", "PRODUCT_QUALITY-=undicht"},
    {"de_bequem", "de", "Sehr bequem.", "+", "PRODUCT_QUALITY+=bequem"},
    {"es_asesor_trato", "es", "El asesor tuvo un trato muy amable.", "+", "CUSTOMER_SERVICE+=asesor|trato|amable"},
    {"es_seur", "es", "Seur lo dejó en el punto de recogida.", "0", "DELIVERY0=Seur|punto de recogida"},
    // "precioso" (lovely) is no "precio*": the price alone is named
    {"es_stop_precioso", "es", "Unas fotos preciosas y un precio justo.", "+", "PRICE+=precio"},
    {"es_carton", "es", "El cartón llegó aplastado.", "-", "PACKAGING-=cartón; DELIVERY-=llegó"},
    {"es_timo", "es", "Un timo.", "-", "PRICE-=timo"},
    {"es_contra_reembolso", "es", "Pagué contra reembolso sin problema.", "+", "PAYMENT+=Pagué|contra reembolso"},
    {"es_comodo", "es", "Muy cómodo.", "+", "PRODUCT_QUALITY+=cómodo"},
    {"fr_injoignable", "fr", "Service client injoignable.", "-", "CUSTOMER_SERVICE-=Service client|injoignable"},
    {"fr_relais", "fr", "Déposé au relais sans prévenir.", "-", "DELIVERY-=relais"},
    {"fr_arnaque", "fr", "Une vraie arnaque.", "-", "PRICE-=arnaque"},
    {"fr_virement", "fr", "Virement accepté tout de suite.", "+", "PAYMENT+=Virement"},
    {"fr_renvoye", "fr", "Je l'ai renvoyé hier.", "0", "RETURNS0=renvoyé"},
    {"fr_tissu", "fr", "Le tissu est très doux.", "+", "PRODUCT_QUALITY+=tissu"},
    {"it_brt_postino", "it", "Il postino di BRT è stato gentilissimo.", "+", "DELIVERY+=postino|BRT"},
    {"it_scatolone", "it", "Lo scatolone era bagnato.", "-", "PACKAGING-=scatolone"},
    {"it_fregatura", "it", "Una fregatura.", "-", "PRICE-=fregatura"},
    {"it_contrassegno", "it", "Pagato in contrassegno.", "0", "PAYMENT0=Pagato|contrassegno"},
    {"it_garanzia", "it", "Sostituito in garanzia.", "+", "RETURNS+=Sostituito|garanzia"},
    {"pl_najtanszy", "pl", "Nie jest najtańszy, ale warto.", "+", "PRICE+=najtańszy"},
    {"pl_za_te_pieniadze", "pl", "Za te pieniądze rewelacja.", "+", "PRICE+=Za te pieniądze"},
    {"es_reclamacion", "es", "Reclamación resuelta en dos días.", "+", "RETURNS+=Reclamación"},
    {"it_soldi_buttati", "it", "Soldi buttati.", "-", "PRICE-=Soldi buttati"},
    // elided articles: "l'emballage" is one token; the matcher skips the
    // article (nlp/term_matcher.h), the evidence is the whole token
    {"fr_elided_expedition", "fr", "L'expédition a été très rapide.", "+", "DELIVERY+=L'expédition"},
    {"fr_elided_envoi_arnaque", "fr", "L'envoi était lent et c'est une vraie arnaque.", "-", "DELIVERY-=L'envoi; PRICE-=arnaque"},
    {"fr_elided_appli", "fr", "Je déteste l’application, elle plante.", "-", "USABILITY-=l’application|plante"},
    {"it_elided_nell_ordine_articolo", "it", "Nell'ordine mancava un articolo.", "-", "PRODUCT_QUALITY-=articolo"},
    {"it_elided_all_assistenza", "it", "Ho scritto all’assistenza, nessuna risposta.", "-", "CUSTOMER_SERVICE-=all’assistenza|risposta"},
    {"fr_elided_emballage", "fr", "L'emballage était parfait.", "+", "PACKAGING+=L'emballage"},
    {"fr_elided_typographic", "fr", "Personne ne répond pour l’échange.", "-", "CUSTOMER_SERVICE-=répond; RETURNS-=l’échange"},
    {"it_elided_assistenza", "it", "Nessuna risposta dall'assistenza.", "-", "CUSTOMER_SERVICE-=risposta|dall'assistenza"},
    {"it_elided_imballaggio", "it", "L’imballaggio era perfetto.", "+", "PACKAGING+=L’imballaggio"},
    {"it_scomodo", "it", "Scomodo da indossare.", "-", "PRODUCT_QUALITY-=Scomodo"},
    // ------------------------------------------------------- language choice
    {"und_tries_all_de", "und", "Die Lieferung war schnell.", "+", "DELIVERY+=Lieferung"},
    {"empty_language_tries_all_en", "", "Customer service was great.", "+", "CUSTOMER_SERVICE+=Customer service"},
    {"unknown_language_tries_all", "nl", "Rückerstattung nach zwei Wochen.", "0", "RETURNS0=Rückerstattung"},
    {"region_subtag", "de-AT", "Die Lieferung war schnell.", "+", "DELIVERY+=Lieferung"},
    {"known_language_only_its_lexicon", "pl", "Delivery was fast.", "+", ""},
};
// clang-format on

using AspectsTest =
    test_util::ModelSuiteTest<AspectExtractor, AspectExtractor::Create>;

TEST_F(AspectsTest, Table) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const std::string_view text = c.text;
    const TokenizedText t = Tokenize(text);
    const std::string codes = c.sentences;
    ASSERT_EQ(t.sentences.size(), codes.size())
        << c.name << ": the tokenizer split \"" << c.text
        << "\" into a different number of sentences";
    std::vector<SentenceSentiment> sentences;
    for (size_t i = 0; i < codes.size(); ++i) {
      sentences.push_back({t.sentences[i].span, FromCode(codes[i])});
    }
    std::vector<std::string> want =
        absl::StrSplit(c.want, "; ", absl::SkipEmpty());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(Describe(text, model_->Extract(text, t, c.language, sentences)),
              want)
        << "case " << c.name << ": \"" << c.text << "\"";
  }
}

TEST_F(AspectsTest, AtLeastThirtyCasesPerLanguage) {
  test_util::ExpectCasesPerLanguage(kCases, &Case::language, 30,
                                    {"pl", "en", "de"});
}

TEST_F(AspectsTest, CombinesSentenceScoresAsMeans) {
  const std::string_view text =
      "Dostawa szybka. Kurier uprzejmy. Dostawa w sobotę.";
  const TokenizedText t = Tokenize(text);
  ASSERT_EQ(t.sentences.size(), 3u);
  std::vector<SentenceSentiment> s = {
      {t.sentences[0].span, {0.6f, SentimentLabel::kPositive, 0.8f}},
      {t.sentences[1].span, {0.9f, SentimentLabel::kPositive, 0.6f}},
      {t.sentences[2].span, {0.0f, SentimentLabel::kNeutral, 0.4f}}};
  const auto got = model_->Extract(text, t, "pl", s);
  // Order of first mention: DELIVERY (sentence 0), CUSTOMER_SERVICE (1).
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].aspect, Aspect::kDelivery);
  EXPECT_EQ(got[0].sentiment.label, SentimentLabel::kPositive);
  // "Dostawa" in sentences 0 and 2, "Kurier" in 1: all three count once.
  EXPECT_NEAR(got[0].sentiment.score, 0.5f, 1e-6);
  EXPECT_NEAR(got[0].sentiment.confidence, 0.6f, 1e-6);
  EXPECT_EQ(got[0].evidence.size(), 3u);
  EXPECT_EQ(got[1].aspect, Aspect::kCustomerService);
  EXPECT_NEAR(got[1].sentiment.score, 0.9f, 1e-6);
}

// "Gorgeous finish, but the paint was flaking": an aspect judged both ways
// is handed out with its two sides, and SettleDecidingSides gives it the
// side that decides, with that side's evidence.
TEST_F(AspectsTest, BothWaysTheDecidingSideWins) {
  const std::string_view text = "Dostawa szybka. Jednak dostawa bez etykiety.";
  const TokenizedText t = Tokenize(text);
  ASSERT_EQ(t.sentences.size(), 2u);
  const std::vector<SentenceSentiment> s = {
      {t.sentences[0].span, {0.8f, SentimentLabel::kPositive, 0.9f}},
      {t.sentences[1].span, {-0.4f, SentimentLabel::kNegative, 0.7f}}};
  std::vector<ClauseSentiment> clauses = {
      {t.sentences[0].first_token, t.sentences[0].end_token, s[0].sentiment},
      {t.sentences[1].first_token, t.sentences[1].end_token, s[1].sentiment}};
  clauses[1].decides = true;
  // Extract alone: the mean of both, MIXED, both mentions as evidence.
  std::vector<TwoSidedAspect> two_sided;
  auto got = model_->Extract(text, t, "pl", s, &clauses, &two_sided);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NEAR(got[0].sentiment.score, 0.2f, 1e-6);
  EXPECT_EQ(got[0].sentiment.label, SentimentLabel::kMixed);
  EXPECT_EQ(got[0].evidence.size(), 2u);
  ASSERT_EQ(two_sided.size(), 1u);
  EXPECT_EQ(two_sided[0].index, 0u);
  // The clause after "jednak" decides, even in a POSITIVE review.
  SettleDecidingSides(two_sided, 1, &got);
  EXPECT_NEAR(got[0].sentiment.score, -0.4f, 1e-6);
  EXPECT_NEAR(got[0].sentiment.confidence, 0.7f, 1e-6);
  EXPECT_EQ(got[0].sentiment.label, SentimentLabel::kNegative);
  ASSERT_EQ(got[0].evidence.size(), 1u);
  EXPECT_EQ(text.substr(got[0].evidence[0].begin,
                        got[0].evidence[0].end - got[0].evidence[0].begin),
            "dostawa");
  // No clause decides: the review's side, else (MIXED, NEUTRAL) the later.
  clauses[1].decides = false;
  got = model_->Extract(text, t, "pl", s, &clauses, &two_sided);
  SettleDecidingSides(two_sided, 1, &got);
  EXPECT_NEAR(got[0].sentiment.score, 0.8f, 1e-6);
  EXPECT_EQ(got[0].sentiment.label, SentimentLabel::kPositive);
  got = model_->Extract(text, t, "pl", s, &clauses, &two_sided);
  SettleDecidingSides(two_sided, 0, &got);
  EXPECT_NEAR(got[0].sentiment.score, -0.4f, 1e-6);
  // Judged one way only: no two sides, the mean as before.
  clauses[1].sentiment = {0.4f, SentimentLabel::kPositive, 0.7f};
  got = model_->Extract(text, t, "pl", s, &clauses, &two_sided);
  EXPECT_TRUE(two_sided.empty());
  EXPECT_NEAR(got[0].sentiment.score, 0.6f, 1e-6);
}

// "Lovely soft jumper. After one wash it shrank badly.": a
// later clause read negative that names nothing and carries no opinion
// word, but goes on about the product (a pronoun among its first words),
// joins PRODUCT_QUALITY with Extract's late_turn and decides for it; a late
// clause about something else (no pronoun), or one after another aspect
// was named, leaves the product's praise alone. Per language.
TEST_F(AspectsTest, ALateClauseAboutTheProductDecidesForIt) {
  struct TurnCase {
    const char* language;
    const char* turns;   // praise, then the product's complaint
    const char* other;   // praise, then a complaint of something else
    const char* named;   // praise, an aspect named, then "it ..."
    const char* late;    // the late clause of `turns`
  };
  const TurnCase cases[] = {
      {"en", "Lovely soft jumper. After one wash it shrank badly.",
       "Lovely soft jumper. My sister ordered a different one last winter.",
       "Lovely soft jumper. The courier came on Monday. After one wash it shrank badly.",
       "After one wash it shrank badly"},
      {"pl", "Piękny, miękki sweter. Po pierwszym praniu on skurczył się o połowę.",
       "Piękny, miękki sweter. Siostra zamówiła inny model zeszłej zimy.",
       "Piękny, miękki sweter. Kurier przyszedł w poniedziałek. Po pierwszym praniu on skurczył się o połowę.",
       "Po pierwszym praniu on skurczył się o połowę"},
      {"de", "Schöner, weicher Pullover. Nach der ersten Wäsche ist er auf die Hälfte geschrumpft.",
       "Schöner, weicher Pullover. Meine Schwester hat letzten Winter ein anderes Modell bestellt.",
       "Schöner, weicher Pullover. Der Kurier kam am Montag. Nach der ersten Wäsche ist er auf die Hälfte geschrumpft.",
       "Nach der ersten Wäsche ist er auf die Hälfte geschrumpft"},
  };
  const Sentiment praise = {0.8f, SentimentLabel::kPositive, 0.9f};
  const Sentiment complaint = {-0.6f, SentimentLabel::kNegative, 0.8f};
  // One clause per sentence: the first an opinion of the product, the last
  // a complaint without an opinion word, any between neutral.
  auto extract = [&](std::string_view text, const char* language, bool late_turn,
                     std::vector<TwoSidedAspect>* two_sided, bool* late_found = nullptr) {
    const TokenizedText t = Tokenize(text);
    std::vector<SentenceSentiment> s;
    std::vector<ClauseSentiment> clauses;
    for (size_t i = 0; i < t.sentences.size(); ++i) {
      const Sentiment& read = i == 0 ? praise
                              : i + 1 == t.sentences.size()
                                  ? complaint
                                  : Sentiment{0.0f, SentimentLabel::kNeutral, 0.5f};
      s.push_back({t.sentences[i].span, read});
      clauses.push_back({t.sentences[i].first_token, t.sentences[i].end_token, read});
    }
    clauses[0].opinion = true;
    return model_->Extract(text, t, language, s, &clauses, two_sided, late_turn, late_found);
  };
  auto product = [](const std::vector<AspectSentiment>& got) -> const AspectSentiment* {
    for (const AspectSentiment& a : got) {
      if (a.aspect == Aspect::kProductQuality) return &a;
    }
    return nullptr;
  };
  for (const TurnCase& c : cases) {
    std::vector<TwoSidedAspect> two_sided;
    // Without late_turn: the praise alone, and `late_found` says a late
    // clause would join (the analyzer extracts again only then).
    bool found = false;
    std::vector<AspectSentiment> got = extract(c.turns, c.language, false, &two_sided, &found);
    EXPECT_TRUE(found) << c.turns;
    ASSERT_NE(product(got), nullptr) << c.turns;
    EXPECT_NEAR(product(got)->sentiment.score, 0.8f, 1e-6) << c.turns;
    EXPECT_TRUE(two_sided.empty()) << c.turns;
    // With it: judged both ways, the late side decides, with its clause as
    // the evidence.
    got = extract(c.turns, c.language, true, &two_sided);
    ASSERT_EQ(two_sided.size(), 1u) << c.turns;
    EXPECT_EQ(two_sided[0].late_side, 1) << c.turns;
    SettleDecidingSides(two_sided, 1, &got);
    const AspectSentiment* pq = product(got);
    ASSERT_NE(pq, nullptr) << c.turns;
    EXPECT_NEAR(pq->sentiment.score, -0.6f, 1e-6) << c.turns;
    ASSERT_EQ(pq->evidence.size(), 1u) << c.turns;
    const std::string_view text = c.turns;
    EXPECT_EQ(text.substr(pq->evidence[0].begin, pq->evidence[0].end - pq->evidence[0].begin),
              c.late);
    // Something else, or another aspect named before "it": no turn, and
    // none found.
    for (const char* other : {c.other, c.named}) {
      got = extract(other, c.language, true, &two_sided);
      ASSERT_NE(product(got), nullptr) << other;
      EXPECT_NEAR(product(got)->sentiment.score, 0.8f, 1e-6) << other;
      found = true;
      extract(other, c.language, false, &two_sided, &found);
      EXPECT_FALSE(found) << other;
    }
  }
}

// Sixteenth pass (models/README.md, "Sixteenth pass: late praise and the
// part that fails"): "Sturdy bookcase. The courier came on Monday. After
// three weeks the middle shelves had bowed.": in a NEGATIVE review (the
// caller's late_part) a late clause read negative that names a part of the
// product (a PART term) and no aspect joins PRODUCT_QUALITY after the
// product was judged, even with another aspect named between (where
// late_turn does not join), and decides for it. Not without a part word,
// not before the product was named or judged, and not without late_part
// (then `late_part_found` says one would join). Per language.
TEST_F(AspectsTest, ALateClauseNamingAPartJoinsTheProduct) {
  struct PartCase {
    const char* language;
    const char* fails;      // praise, another aspect, then a part fails
    const char* no_part;    // the same, the complaint names no part
    const char* no_product; // the aspect, then the part: no product before
    const char* late;       // the late clause of `fails`
  };
  const PartCase cases[] = {
      {"en", "Sturdy, good-looking bookcase. The courier came on Monday. After three weeks the middle shelves had bowed.",
       "Sturdy, good-looking bookcase. The courier came on Monday. After three weeks my neighbour moved house.",
       "The courier came on Monday. After three weeks the middle shelves had bowed.",
       "After three weeks the middle shelves had bowed"},
      {"pl", "Solidny, ładny regał. Kurier przyszedł w poniedziałek. Po trzech tygodniach środkowe półki są wygięte w łuk.",
       "Solidny, ładny regał. Kurier przyszedł w poniedziałek. Po trzech tygodniach sąsiad wyprowadził się z bloku.",
       "Kurier przyszedł w poniedziałek. Po trzech tygodniach środkowe półki są wygięte w łuk.",
       "Po trzech tygodniach środkowe półki są wygięte w łuk"},
      {"de", "Schöner, warmer Mantel. Der Kurier kam am Montag. Nach einem Monat ist der Innenreißverschluss aufgeplatzt.",
       "Schöner, warmer Mantel. Der Kurier kam am Montag. Nach einem Monat ist mein Nachbar umgezogen.",
       "Der Kurier kam am Montag. Nach einem Monat ist der Innenreißverschluss aufgeplatzt.",
       "Nach einem Monat ist der Innenreißverschluss aufgeplatzt"},
      {"es", "Abrigo bonito y calentito. El mensajero vino el lunes. Al mes la cremallera interior se abrió.",
       "Abrigo bonito y calentito. El mensajero vino el lunes. Al mes mi vecino se mudó.",
       "El mensajero vino el lunes. Al mes la cremallera interior se abrió.",
       "Al mes la cremallera interior se abrió"},
      {"fr", "Beau manteau, bien chaud. Le livreur est passé lundi. Au bout d'un mois, la fermeture éclair intérieure a lâché.",
       "Beau manteau, bien chaud. Le livreur est passé lundi. Au bout d'un mois, mon voisin a déménagé.",
       "Le livreur est passé lundi. Au bout d'un mois, la fermeture éclair intérieure a lâché.",
       "Au bout d'un mois, la fermeture éclair intérieure a lâché"},
      {"it", "Cappotto bello e caldo. Il corriere è arrivato lunedì. Dopo un mese la cerniera interna si è aperta.",
       "Cappotto bello e caldo. Il corriere è arrivato lunedì. Dopo un mese il mio vicino ha traslocato.",
       "Il corriere è arrivato lunedì. Dopo un mese la cerniera interna si è aperta.",
       "Dopo un mese la cerniera interna si è aperta"},
  };
  const Sentiment praise = {0.8f, SentimentLabel::kPositive, 0.9f};
  const Sentiment complaint = {-0.6f, SentimentLabel::kNegative, 0.8f};
  // One clause per sentence: the first an opinion (the product's, unless
  // it names the courier), the last a complaint without an opinion word,
  // any between neutral.
  auto extract = [&](std::string_view text, const char* language, bool late_part,
                     std::vector<TwoSidedAspect>* two_sided, bool* found = nullptr) {
    const TokenizedText t = Tokenize(text);
    std::vector<SentenceSentiment> s;
    std::vector<ClauseSentiment> clauses;
    for (size_t i = 0; i < t.sentences.size(); ++i) {
      const Sentiment& read = i + 1 == t.sentences.size() ? complaint
                              : i == 0                    ? praise
                                  : Sentiment{0.0f, SentimentLabel::kNeutral, 0.5f};
      s.push_back({t.sentences[i].span, read});
      clauses.push_back({t.sentences[i].first_token, t.sentences[i].end_token, read});
    }
    clauses[0].opinion = true;
    return model_->Extract(text, t, language, s, &clauses, two_sided, false, nullptr, late_part,
                           found);
  };
  auto product = [](const std::vector<AspectSentiment>& got) -> const AspectSentiment* {
    for (const AspectSentiment& a : got) {
      if (a.aspect == Aspect::kProductQuality) return &a;
    }
    return nullptr;
  };
  for (const PartCase& c : cases) {
    std::vector<TwoSidedAspect> two_sided;
    bool found = false;
    std::vector<AspectSentiment> got = extract(c.fails, c.language, false, &two_sided, &found);
    EXPECT_TRUE(found) << c.fails;
    ASSERT_NE(product(got), nullptr) << c.fails;
    EXPECT_NEAR(product(got)->sentiment.score, 0.8f, 1e-6) << c.fails;
    EXPECT_TRUE(two_sided.empty()) << c.fails;
    got = extract(c.fails, c.language, true, &two_sided);
    ASSERT_EQ(two_sided.size(), 1u) << c.fails;
    EXPECT_EQ(two_sided[0].late_side, 1) << c.fails;
    SettleDecidingSides(two_sided, -1, &got);
    const AspectSentiment* pq = product(got);
    ASSERT_NE(pq, nullptr) << c.fails;
    EXPECT_NEAR(pq->sentiment.score, -0.6f, 1e-6) << c.fails;
    ASSERT_EQ(pq->evidence.size(), 1u) << c.fails;
    const std::string_view text = c.fails;
    EXPECT_EQ(text.substr(pq->evidence[0].begin, pq->evidence[0].end - pq->evidence[0].begin),
              c.late);
    // No part named: the product keeps its praise, none found.
    got = extract(c.no_part, c.language, true, &two_sided);
    ASSERT_NE(product(got), nullptr) << c.no_part;
    EXPECT_NEAR(product(got)->sentiment.score, 0.8f, 1e-6) << c.no_part;
    found = true;
    extract(c.no_part, c.language, false, &two_sided, &found);
    EXPECT_FALSE(found) << c.no_part;
    // No product before the part: nothing joins (no product at all).
    got = extract(c.no_product, c.language, true, &two_sided);
    EXPECT_EQ(product(got), nullptr) << c.no_product;
  }
}

TEST_F(AspectsTest, SameSentenceCountsOnce) {
  const std::string_view text = "Dostawa i dostarczenie fatalne, kurier też.";
  const TokenizedText t = Tokenize(text);
  std::vector<SentenceSentiment> s = {
      {t.sentences[0].span, {-0.7f, SentimentLabel::kNegative, 0.9f}}};
  const auto got = model_->Extract(text, t, "pl", s);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NEAR(got[0].sentiment.score, -0.7f, 1e-6);
  EXPECT_EQ(got[0].evidence.size(), 3u);
}

TEST_F(AspectsTest, MissingSentenceSentimentsCountAsNeutral) {
  const std::string_view text = "Dostawa szybka. Cena niska.";
  const TokenizedText t = Tokenize(text);
  const auto got = model_->Extract(text, t, "pl", {});
  ASSERT_EQ(got.size(), 2u);
  for (const auto& a : got) {
    EXPECT_EQ(a.sentiment.label, SentimentLabel::kNeutral);
    EXPECT_EQ(a.sentiment.confidence, 0.0f);
  }
}

TEST_F(AspectsTest, EmptyAndHugeTextAreDefined) {
  EXPECT_TRUE(model_->Extract("", Tokenize(""), "pl", {}).empty());
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "Dostawa szybka. ";
  const TokenizedText t = Tokenize(big);
  const auto got = model_->Extract(big, t, "pl", {});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(static_cast<int>(got[0].evidence.size()),
            AspectExtractor::kMaxEvidence);
}

TEST_F(AspectsTest, OddTextIsDefined) {
  std::string emoji;
  for (int i = 0; i < 10000; ++i) emoji += "\xF0\x9F\x93\xA6";  // 📦
  const std::string cases[] = {
      "\xFF\xFE dostawa \xC3 kurier\x80",
      "Доставка быстрая, delivery fast, 配送",
      emoji,
  };
  for (const std::string& text : cases) {
    const TokenizedText t = Tokenize(text);
    for (const AspectSentiment& a : model_->Extract(text, t, "und", {})) {
      for (const Span& s : a.evidence) {
        EXPECT_LE(0, s.begin);
        EXPECT_LT(s.begin, s.end);
        EXPECT_LE(s.end, static_cast<int>(text.size()));
      }
    }
  }
  const TokenizedText t = Tokenize(cases[0]);
  const auto got = model_->Extract(cases[0], t, "pl", {});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].evidence.size(), 2u);
}

TEST(AspectsCreateTest, MissingFileIsNotFound) {
  auto e = AspectExtractor::Create("/nonexistent/models");
  EXPECT_EQ(e.status().code(), absl::StatusCode::kNotFound);
}

TEST(AspectsCreateTest, BadLinesAreInvalidArgument) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("aspects_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char* line :
       {"pl\tNOT_AN_ASPECT\tdostawa\n", "pl\tPRICE\n", "pl\tPRICE\tce*na\n"}) {
    SCOPED_TRACE(line);
    std::ofstream(dir / "aspects.tsv") << "# comment\n" << line;
    auto e = AspectExtractor::Create(dir.string());
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(e.status().message().find("aspects.tsv:2"), std::string::npos)
        << e.status();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace opinia::nlp
