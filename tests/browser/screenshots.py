#!/usr/bin/python3
"""Screenshots of the dashboard for the README: inbox, review and overview at
desktop (1280 px) and phone (390 px) width, of a real opinia-server with
examples/reviews.jsonl (its dates moved to end an hour ago; a third of the
calm reviews answered). Run through scripts/screenshots.sh.

  screenshots.py --server=build/service/server/opinia-server --out=docs/screenshots
"""
import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import css, wait, pb  # noqa: E402
from google.protobuf import timestamp_pb2  # noqa: E402

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def parse(ts):
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def stamp(dt):
    t = timestamp_pb2.Timestamp()
    t.FromDatetime(dt.astimezone(datetime.timezone.utc).replace(tzinfo=None))
    return t


def fill(api):
    """Ingests the example reviews, dated up to an hour ago, and answers some.
    Returns the name of the review to show (an urgent Polish one)."""
    rows = [json.loads(line) for line in open(os.path.join(harness.ROOT, "examples", "reviews.jsonl"), encoding="utf-8")]
    now = datetime.datetime.now(datetime.timezone.utc)
    shift = now - datetime.timedelta(hours=1) - max(parse(r["create_time"]) for r in rows)
    for r in rows:
        r["create_time"] = stamp(parse(r["create_time"]) + shift)
    results = api.ingest(*rows)
    show = None
    calm = 0
    for row, res in zip(rows, results):
        priority = res.analysis.urgency.priority
        if row["external_id"] == "s-20007":
            show = res.name
        if priority >= pb["common"].P4:
            calm += 1
            if calm % 3 == 0:
                created = row["create_time"].ToDatetime(tzinfo=datetime.timezone.utc)
                api.reviews.RecordResponse(pb["reviews"].RecordResponseRequest(name=res.name, response=pb["reviews"].ReviewResponse(
                    text="Dziękujemy za opinię!", author="Obsługa",
                    response_time=stamp(min(now, created + datetime.timedelta(hours=2 + calm))))),
                    metadata=api.md, timeout=30)
    return show or results[0].name


def shoot(d, path, full):
    if full:
        width = d.execute_script("return window.innerWidth")
        height = min(3000, d.execute_script("return document.documentElement.scrollHeight"))
        harness.resize(d, width, height)
    d.save_screenshot(path)
    print("wrote", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lang", default="en-GB,en")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    server = harness.Server(args.server).start()
    try:
        tenant = harness.Tenant(server, "demo", "Sklep Demo")
        _, key = tenant.key()
        api = harness.Api(server, key)
        review = fill(api)
        for size, (w, h) in SIZES.items():
            d = harness.browser(width=w, height=h, lang=args.lang)
            try:
                harness.sign_in(d, server, key)
                wait(d, lambda d: len(css(d, "#inbox-list li")) > 3 and css(d, "#live.st-live"), what="the inbox")
                d.execute_script("document.activeElement.blur()")
                shoot(d, os.path.join(args.out, f"inbox-{size}.png"), False)
                harness.open_review(d, review)
                shoot(d, os.path.join(args.out, f"review-{size}.png"), size == "phone")
                harness.resize(d, w, h)
                d.execute_script("location.hash = '#/overview'")
                wait(d, lambda d: css(d, "#summary .stat") and css(d, "#chart svg"), what="the overview")
                css(d, "#search-q")[0].send_keys("zwrot*\n")
                wait(d, lambda d: css(d, "#search-results li"), what="the search results")
                d.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
                shoot(d, os.path.join(args.out, f"overview-{size}.png"), True)
            finally:
                d.quit()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
