#!/usr/bin/python3
"""The dashboard's speed on a big database, measured in headless chromium.

  bench/dashboard_bench.py [--build=build] [--db=/tmp/opinia-dashboard-1m.db]
                           [--reviews=1000000] [--runs=5] [--moves=30] [--opens=10]

Fills the database once with build/bench/opinia_insights_bench (tenant
"bench": two years of reviews through the real SQLite store, 70 % of them
still open), starts opinia-server on it with --http-listen, makes a key for
the tenant, then per run opens the dashboard in a fresh headless chromium
with the key in the tab's session (a reload, as a signed-in user gets) and
reads the Performance API marks the app sets:
  first paint    navigation start -> the paint after the first inbox render
                 (opinia:inbox-painted), and the ListReviews call inside it
  j/k            keydown -> the paint after the selection moved (opinia:jk)
  open review    Enter -> the paint of the review view (opinia:open-review)
  overview       #/overview -> summary, chart and aspects of 30 days drawn
                 (opinia:overview-rendered)
and prints p50 and max of each. Needs chromium, chromium-driver,
python3-selenium (scripts/setup.sh). Run it when the machine is quiet.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "browser"))
import harness  # noqa: E402
from harness import css, wait  # noqa: E402


def fill(args):
    if os.path.exists(args.db):
        return
    gen = os.path.join(args.build, "bench", "opinia_insights_bench")
    print(f"filling {args.db} with {args.reviews:,} reviews ({gen}) ...", flush=True)
    start = time.time()
    subprocess.run([gen, f"--db={args.db}", f"--reviews={args.reviews}", "--queries=0"], check=True)
    print(f"filled in {time.time() - start:.0f} s", flush=True)


def key_for(server, db):
    """A read+respond key of the generated tenant; the operator key the first
    start wrote is kept next to the database for later runs."""
    saved = db + ".admin.key"
    if not os.path.exists(saved):
        os.replace(os.path.join(server.dir, "admin.key"), saved)
    with open(saved) as f:
        op = harness.Api(server, f.read().split()[-1])
    a = harness.pb["admin"]
    resp = op.admin.CreateApiKey(a.CreateApiKeyRequest(api_key=a.ApiKey(
        tenant="tenants/bench", roles=[a.ROLE_READ, a.ROLE_RESPOND], display_name="dashboard bench")),
        metadata=op.md, timeout=30)
    return resp.secret


def entries(d, kind, name):
    return d.execute_script(
        "return performance.getEntriesByName(arguments[0], arguments[1]).map(e => [e.startTime, e.duration])",
        name, kind)


def run_once(server, key, args):
    d = harness.browser()
    try:
        d.get(server.base + "/#/signin")
        d.execute_script("sessionStorage.setItem('opinia.key', arguments[0]); location.hash = '#/inbox'", key)
        d.refresh()  # a reload of the same tab: its session storage keeps the key
        paint = wait(d, lambda d: entries(d, "mark", "opinia:inbox-painted"), timeout=60, what="the inbox")[0][0]
        list_ms = d.execute_script(
            "const e = performance.getEntriesByType('resource').find(e => e.name.endsWith('/ReviewService/ListReviews'));"
            "return e ? e.duration : null")
        rows = len(css(d, "#inbox-list li"))
        total = css(d, "#inbox-count")[0].text
        wait(d, lambda d: css(d, "#live.st-live"), what="the live stream")
        body = css(d, "body")[0]
        for i in range(args.moves):
            d.switch_to.active_element.send_keys("j" if i < args.moves // 2 else "k")
        jk = [x[1] for x in wait(d, lambda d: len(entries(d, "measure", "opinia:jk")) >= args.moves and
                                 entries(d, "measure", "opinia:jk"), what="the j/k measures")]
        for i in range(args.opens):
            d.switch_to.active_element.send_keys("j")
            d.switch_to.active_element.send_keys("\n")
            wait(d, lambda d: len(entries(d, "measure", "opinia:open-review")) > i, what="the review view")
            wait(d, lambda d: css(d, "#review-body .review-text"), what="the review text")
            body.send_keys(harness.Keys.ESCAPE)
            wait(d, lambda d: css(d, "#view-inbox:not([hidden])"), what="the inbox again")
        opens = [x[1] for x in entries(d, "measure", "opinia:open-review")]
        start = d.execute_script("const t = performance.now(); location.hash = '#/overview'; return t")
        done = wait(d, lambda d: entries(d, "mark", "opinia:overview-rendered"), timeout=60, what="the overview")[0][0]
        return paint, list_ms, rows, total, jk, opens, done - start
    finally:
        d.quit()


def fmt(values):
    return f"p50 {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms   (n={len(values)})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--db", default="/tmp/opinia-dashboard-1m.db")
    ap.add_argument("--reviews", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--moves", type=int, default=30)
    ap.add_argument("--opens", type=int, default=10)
    args = ap.parse_args()
    fill(args)
    with open("/proc/loadavg") as f:
        print("load average:", " ".join(f.read().split()[:3]))
    server = harness.Server(os.path.join(args.build, "service", "server", "opinia-server"), db=args.db,
                            admin_key_file=args.db + ".admin.key").start(timeout=600)
    try:
        key = key_for(server, args.db)
        paints, lists, jks, opens, overviews = [], [], [], [], []
        for run in range(args.runs):
            paint, list_ms, rows, total, jk, op, overview = run_once(server, key, args)
            print(f"run {run + 1}: first inbox paint {paint:.0f} ms (ListReviews {list_ms:.0f} ms; {rows} rows shown, "
                  f"{total}); j/k p50 {statistics.median(jk):.1f} ms; open p50 {statistics.median(op):.1f} ms; "
                  f"overview {overview:.0f} ms", flush=True)
            overviews.append(overview)
            paints.append(paint)
            lists.append(list_ms)
            jks += jk
            opens += op
        print(f"first inbox paint  {fmt(paints)}")
        print(f"  ListReviews      {fmt(lists)}")
        print(f"j/k                {fmt(jks)}")
        print(f"open review        {fmt(opens)}")
        print(f"overview (30 days) {fmt(overviews)}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
