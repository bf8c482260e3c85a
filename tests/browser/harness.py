"""The dashboard in a real browser: a real opinia-server (gRPC and
--http-listen on loopback ports, a fresh SQLite file in a temp dir), set up
through gRPC, and Debian's chromium driven by chromedriver through selenium.

Used by dashboard_test.py (ctest, label browser), scripts/screenshots.sh and
bench/dashboard_bench.py. Run with Debian's /usr/bin/python3 (python3-grpcio,
python3-protobuf, python3-selenium).
"""
import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MISSING = ("needs Debian's chromium, chromium-driver and python3-selenium "
           "(scripts/setup.sh installs them)")

try:
    import grpc
    from selenium import webdriver
    from selenium.common.exceptions import (NoAlertPresentException, StaleElementReferenceException,
                                            TimeoutException)
    from selenium.webdriver.chrome.service import Service as ChromeService
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as e:  # a pyenv python3, or the packages are not installed
    sys.exit(f"{sys.executable} cannot import {e.name}: run with /usr/bin/python3; {MISSING}")


def load_stubs():
    """Generates the Python stubs of protos/ with the system protoc (like
    examples/python_client.py) and returns the opinia.v1 modules."""
    out = tempfile.mkdtemp(prefix="opinia-browser-py-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    protos = os.path.join(ROOT, "protos")
    files = [os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(protos, "opinia"))
             for f in fs if f.endswith(".proto")]
    r = subprocess.run(["protoc", f"-I{protos}", "-I/usr/include", f"--python_out={out}",
                        f"--grpc_python_out={out}",
                        "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"] + files,
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit("protoc failed: " + r.stderr.strip())
    sys.path.insert(0, out)
    import importlib
    mods = {}
    for name in ("common", "reviews", "alerts", "admin", "insights"):
        mods[name] = importlib.import_module(f"opinia.v1.{name}_pb2")
        mods[name + "_grpc"] = importlib.import_module(f"opinia.v1.{name}_pb2_grpc")
    return mods


pb = load_stubs()


class Server:
    """opinia-server with gRPC and HTTP on loopback ports it picks (the gRPC
    one read from --ready-file, the HTTP one from its log line "http on")."""

    def __init__(self, binary, db=None, extra_args=(), admin_key_file=None):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="opinia-browser-")
        self.db = db or os.path.join(self.dir, "opinia.db")
        # a database that has keys already writes none (a reused bench database)
        self.key_file = admin_key_file if admin_key_file and os.path.exists(admin_key_file) else \
            os.path.join(self.dir, "admin.key")
        self.extra_args = list(extra_args)
        self.proc = None

    def start(self, timeout=60):
        ready = os.path.join(self.dir, "ready")
        self.log_path = os.path.join(self.dir, "server.log")
        args = [self.binary, "--listen=127.0.0.1:0", f"--db={self.db}",
                f"--bootstrap-admin-key-file={self.key_file}", f"--ready-file={ready}",
                f"--models={ROOT}/models", "--http-listen=127.0.0.1:0"] + self.extra_args
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"opinia-server exited with {self.proc.returncode}: {self.log()[-2000:]}")
            # the ready file is written once gRPC and HTTP both serve
            if os.path.exists(ready) and os.path.getsize(ready) > 0:
                with open(ready) as f:
                    self.addr = f.read().split()[0]
                http = re.search(r"http on (https?://[\w.:\[\]]+)", self.log())
                if not http:
                    raise RuntimeError("opinia-server logged no \"http on ...\": " + self.log()[-2000:])
                self.base = http.group(1)
                self.channel = grpc.insecure_channel(self.addr)
                return self
            time.sleep(0.1)
        raise RuntimeError("opinia-server not ready in time: " + self.log()[-2000:])

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def admin_key(self):
        with open(self.key_file) as f:
            return f.read().split()[-1]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Api:
    """gRPC calls with a key."""

    def __init__(self, server, key):
        self.md = [("authorization", f"Bearer {key}")]
        ch = server.channel
        self.reviews = pb["reviews_grpc"].ReviewServiceStub(ch)
        self.alerts = pb["alerts_grpc"].AlertServiceStub(ch)
        self.admin = pb["admin_grpc"].AdminServiceStub(ch)
        self.insights = pb["insights_grpc"].InsightsServiceStub(ch)

    def ingest(self, *inputs):
        """Ingests ReviewInput field dicts; returns the IngestResults."""
        req = pb["reviews"].IngestReviewsRequest(reviews=[pb["reviews"].ReviewInput(**i) for i in inputs])
        results = self.reviews.IngestReviews(req, metadata=self.md, timeout=30).results
        for r in results:
            assert r.outcome in (1, 2, 3), f"ingest rejected: {r.error}"
        return results

    def get(self, name):
        return self.reviews.GetReview(pb["reviews"].GetReviewRequest(name=name), metadata=self.md, timeout=30)


ALL_ROLES = ("ROLE_INGEST", "ROLE_READ", "ROLE_RESPOND", "ROLE_ADMIN")


class Tenant:
    """A tenant of the server and keys for it, made with the operator key."""

    def __init__(self, server, tenant_id="shop", name="Sklep Testowy"):
        self.server = server
        self.op = Api(server, server.admin_key())
        a = pb["admin"]
        self.name = self.op.admin.CreateTenant(a.CreateTenantRequest(
            tenant_id=tenant_id, tenant=a.Tenant(display_name=name)), metadata=self.op.md, timeout=30).name

    def key(self, roles=ALL_ROLES):
        """Returns (api key name, secret)."""
        a = pb["admin"]
        resp = self.op.admin.CreateApiKey(a.CreateApiKeyRequest(api_key=a.ApiKey(
            tenant=self.name, roles=[a.Role.Value(r) for r in roles], display_name="browser test")),
            metadata=self.op.md, timeout=30)
        return resp.api_key.name, resp.secret

    def revoke(self, key_name):
        a = pb["admin"]
        self.op.admin.RevokeApiKey(a.RevokeApiKeyRequest(name=key_name), metadata=self.op.md, timeout=30)


def utf8_slice(text, span):
    """The text of a Span: UTF-8 byte offsets, as the API gives them."""
    return text.encode("utf-8")[span.begin:span.end].decode("utf-8")


def browser(width=1280, height=900, lang="en-GB,en"):
    """Headless Debian chromium; the page's navigator.language comes from lang."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        sys.exit(f"no chromium or chromedriver on the PATH: {MISSING}")
    o = webdriver.ChromeOptions()
    o.binary_location = chromium
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
              f"--window-size={width},{height}", f"--accept-lang={lang}"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=ChromeService(driver), options=o)
    resize(d, width, height)
    return d


def resize(driver, width, height):
    """Makes the page's viewport width x height (the window counts a frame)."""
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if inner != [width, height]:
        driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])


def wait(driver, condition, timeout=15, what="condition"):
    """Waits until condition(driver) is truthy and returns it; a timeout
    fails with `what` (never a fixed sleep as the assertion)."""
    try:
        # an element the page re-rendered between two calls is looked up again
        return WebDriverWait(driver, timeout, poll_frequency=0.05,
                             ignored_exceptions=[StaleElementReferenceException]).until(lambda d: condition(d))
    except TimeoutException:
        raise AssertionError(f"timed out after {timeout} s waiting for {what}; {page_state(driver)}") from None


def page_state(driver):
    """What the page shows, for a failure message."""
    try:
        return "page: " + str(driver.execute_script(
            "const q = s => { const e = document.querySelector(s); return e ? e.textContent.trim().slice(0, 200) : null; };"
            "return {url: location.href, view: [...document.querySelectorAll('.view')].filter(v => !v.hidden).map(v => v.id),"
            " live: document.querySelector('#live')?.className, signin_error: q('#signin-error'), toasts: q('#toasts'),"
            " key_in_session: !!sessionStorage.getItem('opinia.key')}"))
    except Exception as e:  # noqa: BLE001 (a failure message must not fail)
        return f"page state unavailable: {e!r}"[:300]


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def click(driver, selector):
    """Clicks the first element matching selector (looked up again if the page re-rendered it)."""
    def clicked(d):
        css(d, selector)[0].click()
        return True
    wait(driver, clicked, what=f"clicking {selector}")


def type_into(driver, selector, text):
    """Replaces the value of the field `selector` by typing `text`."""
    def typed(d):
        field = css(d, selector)[0]
        field.clear()
        field.send_keys(text)
        return field.get_attribute("value") == text
    wait(driver, typed, what=f"typing into {selector}")


def sign_in(driver, server, key):
    driver.get(server.base + "/")
    field = wait(driver, lambda d: [e for e in css(d, "#signin-key") if e.is_displayed()], what="the sign-in form")[0]
    field.send_keys(key)
    click(driver, "#signin-submit")


def open_review(driver, name):
    """Opens the review view of `name` ("reviews/7") and waits until it shows
    the server's current copy with its alert (the view first shows what the
    inbox holds, then redraws), so that its elements stay put."""
    driver.execute_script("location.hash = arguments[0]", f"#/reviews/{name.split('/')[1]}")
    wait(driver, lambda d: css(d, f'#review-body[data-fresh="{name}"]'), what=f"the review view of {name}")


def no_alert_dialog(driver):
    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return True
    raise AssertionError(f"an alert dialog is open: {text!r}")

