#!/usr/bin/python3
"""The dashboard in a real browser (Debian chromium + chromedriver via
python3-selenium) against the real opinia-server: its HTTP side serves the
dashboard and the JSON API, gRPC is used to set up and to ingest.

  dashboard_test.py [TestClass ...]     # opinia-server from $OPINIA_SERVER_BINARY

ctest runs one class per test (label browser). Every wait is for a condition
with a timeout; nothing sleeps as an assertion.
"""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import css, wait, utf8_slice  # noqa: E402

BINARY = os.environ.get("OPINIA_SERVER_BINARY") or os.path.join(
    harness.ROOT, "build", "service", "server", "opinia-server")

# Urgent (P1: fraud claim, legal threat) and Polish, with its evidence after
# letters that take two bytes in UTF-8: byte offsets read as string indices
# would mark the wrong words.
URGENT_PL = ("Zapłaciłem za czajnik trzy tygodnie temu, pieniądze pobrane, a towaru brak. "
             "To oszustwo, zgłaszam sprawę na policję.")


def calm(n, **extra):
    """A handful of ordinary reviews so the inbox and overview are not empty."""
    texts = ["Kurier spóźnił się dwa dni, ale produkt w porządku.",
             "Świetny ekspres, kawa smakuje wyśmienicie. Polecam!",
             # calm: the refund came late; "nikt nie odpisuje" in the present
             # about a refund is urgent since the fifth pass (issue 17)
             "Zwrot pieniędzy trwał trzy tygodnie, przelew przyszedł dopiero po przypomnieniu.",
             "Opakowanie było zgniecione, a czajnik ma rysę na obudowie."]
    return [dict(source="allegro", external_id=f"calm-{n}-{i}", rating=[3, 5, 1, 2][i % 4],
                 text=texts[i % 4], author_name="Klient", subject_id="czajnik-k1", **extra)
            for i in range(4)]


class DashboardCase(unittest.TestCase):
    tenant_id = "shop"

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(BINARY).start()
        cls.tenant = harness.Tenant(cls.server, cls.tenant_id)
        cls.key_name, cls.key = cls.tenant.key()
        cls.api = harness.Api(cls.server, cls.key)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def browser(self, **kw):
        d = harness.browser(**kw)

        def close():
            severe = [e["message"] for e in d.get_log("browser") if e.get("level") == "SEVERE"
                      and "Failed to load resource" not in e["message"]]
            d.quit()
            # a JavaScript error in the page fails the test too
            self.assertEqual(severe, [], "errors in the browser console")
        self.addCleanup(close)
        return d

    def inbox_names(self, d):
        # read in one script: the list may be re-rendered between two selenium calls
        return d.execute_script("return [...document.querySelectorAll('#inbox-list li')].map(e => e.dataset.review)")

    def selected(self, d):
        return d.execute_script("const e = document.querySelector('#inbox-list li.selected'); return e && e.dataset.review")

    def text_of_span(self, d, span_id):
        return d.execute_script(
            "return [...document.querySelectorAll('#review-body [data-spans]')]"
            ".filter(e => e.dataset.spans.split(' ').includes(arguments[0]))"
            ".map(e => e.textContent).join('')", span_id)

    def press(self, d, keys):
        """Types keys to the page (the focused element, else the body)."""
        d.switch_to.active_element.send_keys(keys)


class EndToEnd(DashboardCase):
    def test_live_urgent_review_respond_and_response_rate(self):
        self.api.ingest(*calm(1))
        d = self.browser()
        harness.sign_in(d, self.server, self.key)
        wait(d, lambda d: len(css(d, "#inbox-list li")) >= 1, what="the inbox")
        wait(d, lambda d: css(d, "#live.st-live"), what="the live alert stream to connect")
        before = self.inbox_names(d)

        # the overview's response rate before the response
        d.execute_script("location.hash = '#/overview'")
        rate_el = lambda d: (css(d, "#sum-rate .value") or [None])[0]  # noqa: E731
        rate_before = wait(d, lambda d: rate_el(d) and rate_el(d).text, what="the response rate").strip()

        d.execute_script("location.hash = '#/inbox'; window.__sameDocument = 'yes'")
        wait(d, lambda d: css(d, "#view-inbox:not([hidden])"), what="the inbox view")
        result = self.api.ingest(dict(source="storefront", external_id="urgent-1", rating=1, text=URGENT_PL,
                                      author_name="Jan Kowalski", url="https://sklep.example/opinie/1"))[0]
        name = result.name
        self.assertEqual(result.analysis.urgency.priority, harness.pb["common"].P1, result.analysis.urgency)
        start = time.time()
        wait(d, lambda d: name in self.inbox_names(d), timeout=10, what=f"{name} to appear live in the inbox")
        print(f"live: {name} in the inbox {time.time() - start:.2f} s after IngestReviews returned")
        self.assertEqual(d.execute_script("return window.__sameDocument"), "yes", "the page was reloaded")
        self.assertEqual(self.inbox_names(d)[0], name, "the P1 review is not first")
        self.assertEqual(len(self.inbox_names(d)), len(before) + 1)

        # keyboard: j moves down, k back up to the first row, Enter opens it
        self.press(d, "j")
        wait(d, lambda d: self.selected(d) == self.inbox_names(d)[1], what="j to select the second row")
        self.press(d, "k")
        wait(d, lambda d: self.selected(d) == name, what="k to select the first row")
        self.assertEqual(d.switch_to.active_element.get_attribute("href").split("#")[1],
                         "/reviews/" + name.split("/")[1], "the selected row has the focus")
        self.press(d, "\n")
        wait(d, lambda d: css(d, f'#review-body[data-fresh="{name}"]'), what="the review view")

        # the evidence, highlighted where the UTF-8 byte spans say
        analysis = result.analysis
        self.assertTrue(len(analysis.urgency.evidence) > 0)
        for k, span in enumerate(analysis.urgency.evidence):
            want = utf8_slice(URGENT_PL, span)
            self.assertNotEqual(want, URGENT_PL[span.begin:span.end], "the test text needs multi-byte letters")
            got = wait(d, lambda d: self.text_of_span(d, f"u{k}"), what=f"urgency evidence u{k}")
            self.assertEqual(got, want)
            marks = d.execute_script(
                "return [...document.querySelectorAll('#review-body mark.ev-urgency')].map(e => e.textContent).join('|')")
            self.assertIn(want, marks)
        for k, aspect in enumerate(analysis.aspects):
            for j, span in enumerate(aspect.evidence):
                self.assertEqual(self.text_of_span(d, f"a{k}-{j}"), utf8_slice(URGENT_PL, span))
        link = css(d, "#review-body a.original")[0]
        self.assertEqual(link.get_attribute("href"), "https://sklep.example/opinie/1")
        self.assertEqual(set(link.get_attribute("rel").split()), {"noopener", "noreferrer"})

        # r focuses the response; it is recorded and the review leaves the inbox
        self.press(d, "r")
        wait(d, lambda d: d.switch_to.active_element.get_attribute("id") == "respond-text",
             what="r to focus the response")
        self.press(d, "Dzień dobry, bardzo przepraszamy — zwrot pieniędzy jest już zlecony.")
        harness.type_into(d, "#respond-author", "Obsługa sklepu")
        harness.click(d, "#respond-submit")
        wait(d, lambda d: css(d, "#review-body .response-text"), what="the recorded response")
        self.assertEqual(self.api.get(name).status, harness.pb["reviews"].RESPONDED)
        self.press(d, harness.Keys.ESCAPE)
        wait(d, lambda d: css(d, "#view-inbox:not([hidden])"), what="Esc back to the inbox")
        self.assertNotIn(name, self.inbox_names(d))
        self.assertEqual(sorted(self.inbox_names(d)), sorted(before))

        d.execute_script("location.hash = '#/overview'")
        wait(d, lambda d: rate_el(d) and rate_el(d).text.strip() != rate_before,
             what=f"the response rate to change from {rate_before}")


class Actions(DashboardCase):
    def alert_of(self, name):
        alerts = self.api.alerts.ListAlerts(harness.pb["alerts"].ListAlertsRequest(review=name),
                                            metadata=self.api.md, timeout=30).alerts
        self.assertEqual(len(alerts), 1, f"alerts of {name}: {alerts}")
        return alerts[0]

    def open(self, d, name):
        harness.open_review(d, name)
        self.assertEqual(css(d, "#alert-state")[0].get_attribute("data-state"), "OPEN")

    def test_acknowledge_snooze_resolve_correct(self):
        a, r, s = harness.pb["alerts"], harness.pb["reviews"], harness.pb["common"]
        names = [x.name for x in self.api.ingest(*[
            dict(source="storefront", external_id=f"act-{i}", rating=1, text=URGENT_PL) for i in range(4)])]
        d = self.browser()
        harness.sign_in(d, self.server, self.key)
        wait(d, lambda d: all(n in self.inbox_names(d) for n in names), what="the reviews in the inbox")
        row = lambda d, n: d.execute_script(  # noqa: E731
            "const e = document.querySelector(`#inbox-list li[data-review='${arguments[0]}']`);"
            "return e && {cls: e.className, tags: e.querySelector('.tags').textContent}", n)

        self.open(d, names[0])
        harness.click(d, "#action-ack")
        wait(d, lambda d: css(d, "#alert-state")[0].get_attribute("data-state") == "ACKNOWLEDGED_ALERT",
             what="the acknowledged alert")
        self.assertEqual(self.alert_of(names[0]).state, a.ACKNOWLEDGED_ALERT)
        self.assertEqual(self.api.get(names[0]).status, r.ACKNOWLEDGED)
        self.assertIn("acknowledged", row(d, names[0])["tags"])

        self.open(d, names[1])
        harness.click(d, "#action-snooze")
        wait(d, lambda d: css(d, "#alert-state")[0].get_attribute("data-state") == "SNOOZED", what="the snoozed alert")
        self.assertEqual(self.alert_of(names[1]).state, a.SNOOZED)
        self.assertIn("snoozed", row(d, names[1])["cls"])

        self.open(d, names[2])
        harness.click(d, "#action-resolve")
        wait(d, lambda d: names[2] not in self.inbox_names(d), what="the resolved review to leave the inbox")
        self.assertEqual(self.alert_of(names[2]).state, a.RESOLVED_ALERT)
        self.assertEqual(self.api.get(names[2]).status, r.RESOLVED)

        self.open(d, names[3])
        harness.Select(css(d, "#correct-sentiment")[0]).select_by_value("POSITIVE")
        harness.click(d, "#correct-save")
        wait(d, lambda d: self.api.get(names[3]).override.sentiment.label == s.POSITIVE, what="the sentiment override")
        wait(d, lambda d: css(d, "#correct-sentiment")[0].get_attribute("value") == "POSITIVE",
             what="the form showing the override")
        harness.Select(css(d, "#correct-priority")[0]).select_by_value("P4")
        harness.click(d, "#correct-save")
        wait(d, lambda d: names[3] not in self.inbox_names(d), what="the review demoted to P4 to leave the inbox")
        review = self.api.get(names[3])
        self.assertEqual(review.override.urgency.priority, s.P4)
        self.assertEqual(review.override.sentiment.label, s.POSITIVE)
        self.assertEqual(sorted(n for n in self.inbox_names(d) if n in names), sorted(names[:2]))


class Roles(DashboardCase):
    def test_read_key_gets_read_only_ui(self):
        result = self.api.ingest(dict(source="storefront", external_id="ro-1", rating=1, text=URGENT_PL))[0]
        _, read_key = self.tenant.key(("ROLE_READ",))
        d = self.browser()
        harness.sign_in(d, self.server, read_key)
        wait(d, lambda d: result.name in self.inbox_names(d), what="the inbox of a read key")
        badge = wait(d, lambda d: [e for e in css(d, "#readonly-badge") if e.is_displayed()], what="the read-only badge")[0]
        self.assertTrue(badge.get_attribute("title"))
        harness.open_review(d, result.name)
        for control in ("#respond-text", "#respond-submit", "#action-ack", "#action-snooze", "#action-resolve",
                        "#correct-sentiment", "#correct-priority", "#correct-save"):
            el = css(d, control)[0]
            self.assertFalse(el.is_enabled(), f"{control} is enabled for a read key")
            self.assertTrue(el.get_attribute("title"), f"{control} has no tooltip saying why")
        self.press(d, "r")
        self.assertNotEqual(d.switch_to.active_element.get_attribute("id"), "respond-text")
        self.assertEqual(self.api.get(result.name).status, harness.pb["reviews"].NEW)

        # a full key sees the same controls enabled
        d.execute_script("sessionStorage.clear(); location.hash = '#/signin'; location.reload()")
        harness.sign_in(d, self.server, self.key)
        wait(d, lambda d: css(d, "#view-inbox:not([hidden])"), what="the inbox of a full key")
        harness.open_review(d, result.name)
        self.assertTrue(css(d, "#respond-submit")[0].is_enabled())
        self.assertFalse(css(d, "#readonly-badge")[0].is_displayed())

    def test_revoked_key_shows_error(self):
        key_name, key = self.tenant.key(("ROLE_READ", "ROLE_RESPOND"))
        self.tenant.revoke(key_name)
        d = self.browser()
        harness.sign_in(d, self.server, key)
        wait(d, lambda d: "rejected" in css(d, "#signin-error")[0].text, what="the error for a revoked key")
        self.assertTrue(css(d, "#signin-key")[0].is_displayed())
        self.assertIsNone(d.execute_script("return sessionStorage.getItem('opinia.key')"))

        # revoked while signed in: back to the sign-in with the error
        key_name, key = self.tenant.key(("ROLE_READ",))
        harness.sign_in(d, self.server, key)
        wait(d, lambda d: css(d, "#live.st-live"), what="the live stream")
        self.assertEqual(d.execute_script("return sessionStorage.getItem('opinia.key')"), key)
        self.assertEqual(d.execute_script("return localStorage.getItem('opinia.key')"), None)
        self.tenant.revoke(key_name)
        wait(d, lambda d: css(d, "#signin-key")[0].is_displayed() and "rejected" in css(d, "#signin-error")[0].text,
             timeout=20, what="the sign-in form with the error after the key was revoked")

    def test_operator_key_is_refused(self):
        d = self.browser()
        harness.sign_in(d, self.server, self.server.admin_key())
        wait(d, lambda d: "operator" in css(d, "#signin-error")[0].text, what="the operator key error")

    def test_key_without_read_role_is_refused(self):
        _, ingest_key = self.tenant.key(("ROLE_INGEST",))
        d = self.browser()
        harness.sign_in(d, self.server, ingest_key)
        wait(d, lambda d: "read" in css(d, "#signin-error")[0].text, what="the missing read role error")
        self.assertIsNone(d.execute_script("return sessionStorage.getItem('opinia.key')"))


# Payloads that run if any of them reaches the page as HTML or a link.
XSS = {
    "text": "<script>window.__xss='script';document.title='pwned'</script>"
            "<img src=x onerror=\"window.__xss='img';document.title='pwned'\"> oszustwo, idę do prawnika",
    "title": "<img src=x onerror=alert('title')><b>bold</b>",
    "author_name": "<svg onload=alert('author')></svg>",
    "subject_id": "<iframe src=javascript:alert('subject')>",
    "url": "javascript:alert('url')",
}


class Xss(DashboardCase):
    def test_review_fields_render_as_text(self):
        names = [r.name for r in self.api.ingest(
            dict(source="storefront", external_id="xss-1", rating=1, **XSS),
            dict(source="storefront", external_id="xss-2", rating=1, text=XSS["text"],
                 url="javascript:window.__xss='url';document.title='pwned'", title="javascript:alert(1)"),
            dict(source="storefront", external_id="xss-3", rating=1, text=XSS["text"],
                 url="JaVaScRiPt:alert(document.domain)"))]
        d = self.browser()
        harness.sign_in(d, self.server, self.key)
        wait(d, lambda d: all(n in self.inbox_names(d) for n in names), what="the payload reviews in the inbox")
        snippets = " ".join(e.text for e in css(d, "#inbox-list .snippet"))
        self.assertIn("<script>window.__xss=", snippets)
        for n in names:
            harness.open_review(d, n)
            body = css(d, "#review-body")[0]
            self.assertIn("<script>", css(d, "#review-body .review-text")[0].text)
            if n == names[0]:
                self.assertEqual(css(d, "#review-body .review-title")[0].text, XSS["title"])
                self.assertEqual(css(d, "#review-body .author")[0].text, XSS["author_name"])
                self.assertEqual(css(d, "#review-body .subject")[0].text, XSS["subject_id"])
            self.assertEqual(css(d, "#review-body a.original"), [], "a javascript: URL became a link")
            self.assertEqual(d.execute_script(
                "return [...document.querySelectorAll('a[href]')].filter(a => !/^(https?:|#)/.test(a.getAttribute('href'))).length"), 0)
            self.assertEqual(len(body.find_elements(harness.By.CSS_SELECTOR, "script, img, svg, iframe, b")), 0,
                             "markup from a review became elements")
        d.execute_script("location.hash = '#/overview'")
        css(d, "#search-q")[0].send_keys("oszustwo\n")
        wait(d, lambda d: len(css(d, "#search-results li")) >= 3, what="the search results")
        self.assertEqual(len(css(d, "#search-results img, #search-results script")), 0)
        # nothing ran: no dialog, no global, the title untouched
        harness.no_alert_dialog(d)
        self.assertIsNone(d.execute_script("return window.__xss === undefined ? null : window.__xss"))
        self.assertEqual(d.title, "Opinia")

    def test_security_headers_on_the_page(self):
        import urllib.request
        with urllib.request.urlopen(self.server.base + "/", timeout=10) as r:
            csp = r.headers.get("Content-Security-Policy", "")
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)


class Language(DashboardCase):
    def test_polish_default_for_a_polish_browser(self):
        d = self.browser(lang="pl-PL,pl")
        d.get(self.server.base + "/")
        wait(d, lambda d: css(d, "#signin-submit")[0].text == "Zaloguj", what="the Polish sign-in")
        self.assertEqual(d.execute_script("return document.documentElement.lang"), "pl")
        self.assertEqual(css(d, "#lang")[0].get_attribute("value"), "pl")

    def test_english_for_others_and_switch(self):
        result = self.api.ingest(dict(source="storefront", external_id="lang-1", rating=1, text=URGENT_PL))[0]
        d = self.browser(lang="de-DE,de")
        harness.sign_in(d, self.server, self.key)
        wait(d, lambda d: css(d, "#nav-overview")[0].text == "Overview", what="the English UI")
        harness.open_review(d, result.name)
        self.assertEqual(css(d, "#respond-submit")[0].text, "Record response")
        harness.Select(css(d, "#lang")[0]).select_by_value("pl")
        wait(d, lambda d: css(d, "#respond-submit")[0].text == "Zapisz odpowiedź", what="the review view in Polish")
        self.assertEqual(css(d, "#nav-overview")[0].text, "Przegląd")
        self.assertEqual(d.execute_script("return document.documentElement.lang"), "pl")
        d.refresh()  # the choice is kept; so is the session (the key in sessionStorage)
        wait(d, lambda d: css(d, "#respond-submit") and css(d, "#respond-submit")[0].text == "Zapisz odpowiedź",
             what="Polish after a reload")


class PhoneWidth(DashboardCase):
    def test_no_horizontal_scrolling_at_390px(self):
        result = self.api.ingest(dict(source="storefront", external_id="phone-1", rating=1, text=URGENT_PL),
                                 *calm(2))[0]
        d = self.browser(width=390, height=844)
        harness.sign_in(d, self.server, self.key)
        wait(d, lambda d: result.name in self.inbox_names(d), what="the inbox")
        for hash_, ready in (("#/inbox", "#inbox-list li"), (f"#/reviews/{result.name.split('/')[1]}", "#respond-text"),
                             ("#/overview", "#summary .stat")):
            d.execute_script(f"location.hash = '{hash_}'")
            wait(d, lambda d: css(d, ready), what=f"{hash_} at 390 px")
            width = d.execute_script("return document.documentElement.scrollWidth")
            self.assertLessEqual(width, 390, f"{hash_} is {width} px wide at 390 px")


if __name__ == "__main__":
    unittest.main(verbosity=2)
