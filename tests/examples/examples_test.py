#!/usr/bin/python3
"""Runs the example clients of one language (examples/python/ or examples/node/)
against a real opinia-server and checks what they print and what the server
then holds.

  examples_test.py --lang=python|node ROOT BUILD

The server: the built binary on a free loopback port, a fresh SQLite file and
a bootstrap admin key file; a tenant and an ingest+read key made with the
`opinia` CLI (which also reads back what the server holds: alerts, reviews).
The examples get the key from OPINIA_KEY_FILE, as their docs say.

What is checked, in order:
  1. tail_alerts is live: probe reviews are ingested until it prints an alert
     (a stream without a resume_token starts "from now", a moment after it is
     opened; the probes close that race).
  2. ingest of examples/reviews.jsonl: every review CREATED; again: every one
     UNCHANGED (idempotent re-send).
  3. the tail prints each alert the ingest made.
  4. list_urgent lists a known P1 review (allegro/a-100234, a fraud claim),
     nothing that is not P1/P2, and not a positive review.
  5. ingest of examples/reviews.csv in batches of 2, and after the third batch
     the SERVER is killed (SIGKILL) and started again on the same port and
     database: the ingest retries on UNAVAILABLE and finishes with every review
     created or (a batch whose answer was lost) unchanged; again: all
     UNCHANGED. The tail, frozen (SIGSTOP) from before the kill until the csv
     is in, reconnects with its token and prints the alerts it missed.
  6. the tail is stopped (SIGTERM), an urgent review ingested, and the tail
     started again with its saved token: it prints exactly that one alert.
     Over all runs no alert is printed twice and none created after the tail
     went live is missing.
  7. errors that must not be retried: a wrong key (UNAUTHENTICATED) and a
     batch over the server's --max-batch (RESOURCE_EXHAUSTED without
     RetryInfo) fail at once; a review without source is REJECTED (exit 3,
     the line and the field named).
  8. rate limit: the server restarted with --rate-limit-rps=4: the ingest
     waits the server's RetryInfo delay and finishes (all UNCHANGED).
  9. TLS: the server restarted with a self-signed certificate; list_urgent
     with --tls-ca works, without it fails.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time


class Fail(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Fail(message)


def free_port():
    """A port free now, below Linux's ephemeral range (32768-60999): the
    server is restarted on it after a kill, and in between an outgoing
    connection of another test could take an ephemeral one."""
    for _ in range(100):
        port = random.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise Fail("no free port in 20000-32000")


class Server:
    """opinia-server on a fixed port (so a restart keeps the address)."""

    def __init__(self, build, root, tmp):
        self.binary = os.path.join(build, "service", "server", "opinia-server")
        self.root, self.tmp = root, tmp
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.admin_key = os.path.join(tmp, "admin.key")
        self.proc = None
        self.starts = 0

    def start(self, *extra):
        ready = os.path.join(self.tmp, "ready")
        if os.path.exists(ready):
            os.remove(ready)
        self.starts += 1
        log = open(os.path.join(self.tmp, f"server.{self.starts}.log"), "w")
        self.proc = subprocess.Popen(
            [self.binary, f"--listen={self.address}", f"--db={self.tmp}/opinia.db",
             f"--bootstrap-admin-key-file={self.admin_key}", f"--ready-file={ready}",
             f"--models={self.root}/models", *extra],
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if os.path.exists(ready) and os.path.getsize(ready) > 0:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise Fail(f"server did not start; log:\n{open(log.name).read()[-3000:]}")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


PRINT = threading.Lock()  # one echoed line at a time from the reader threads


class Lines:
    """Collects a pipe's lines on a thread; wait_for() waits for a match."""

    def __init__(self, pipe, echo_prefix):
        self.lines = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(pipe, echo_prefix),
                                       daemon=True)
        self.thread.start()

    def _read(self, pipe, prefix):
        for line in iter(pipe.readline, ""):
            with PRINT:
                print(prefix + line.rstrip("\n"), flush=True)
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        pipe.close()

    def wait_for(self, predicate, timeout, what):
        deadline = time.time() + timeout
        with self.cond:
            while not predicate(self.lines):
                left = deadline - time.time()
                if left <= 0:
                    raise Fail(f"timed out after {timeout} s waiting for {what}")
                self.cond.wait(left)

    def snapshot(self):
        with self.cond:
            return list(self.lines)


class Examples:
    """Runs one language's example programs with the key in OPINIA_KEY_FILE."""

    def __init__(self, lang, root, tmp, address, key_file):
        self.lang, self.root, self.tmp = lang, root, tmp
        self.env = dict(os.environ, OPINIA_ADDR=address, OPINIA_KEY_FILE=key_file)
        self.env.pop("OPINIA_KEY", None)
        if lang == "python":
            # A python3 first on the PATH that cannot import grpc (as a pyenv
            # one often cannot): the examples must run with Debian's
            # /usr/bin/python3 through their first line.
            fake = os.path.join(tmp, "bin")
            os.makedirs(fake, exist_ok=True)
            with open(os.path.join(fake, "python3"), "w") as f:
                f.write('#!/bin/sh\necho "not Debian python" >&2\nexit 42\n')
            os.chmod(os.path.join(fake, "python3"), 0o755)
            self.env["PATH"] = fake + os.pathsep + self.env["PATH"]
        else:
            modules = os.path.join(root, "examples", "node", "node_modules")
            for package in ("@grpc/grpc-js", "@grpc/proto-loader", "csv-parse"):
                if not os.path.isdir(os.path.join(modules, package)):
                    raise Fail(f"{modules}/{package} is missing: run `npm ci` in "
                               "examples/node (scripts/setup.sh does)")

    def argv(self, program, *args):
        if self.lang == "python":
            return [os.path.join(self.root, "examples", "python", program + ".py"), *args]
        return ["node", os.path.join(self.root, "examples", "node", program + ".js"), *args]

    def run(self, program, *args, env=None, timeout=60):
        cmd = self.argv(program, *args)
        print("$", " ".join(cmd), flush=True)
        r = subprocess.run(cmd, env=env or self.env, capture_output=True, text=True,
                           timeout=timeout)
        sys.stdout.write("".join(f"  | {l}\n" for l in r.stdout.splitlines()))
        sys.stdout.write("".join(f"  ! {l}\n" for l in r.stderr.splitlines()))
        return r

    def start(self, program, *args):
        cmd = self.argv(program, *args)
        print("$", " ".join(cmd), "&", flush=True)
        p = subprocess.Popen(cmd, env=self.env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        p.out = Lines(p.stdout, f"  [{program} {p.pid}] | ")
        p.err = Lines(p.stderr, f"  [{program} {p.pid}] ! ")
        return p


SUMMARY = re.compile(r"^ingested (\d+) reviews: created (\d+), updated (\d+), "
                     r"unchanged (\d+), rejected (\d+)$", re.M)


def summary(result):
    """The counts of an ingest's summary line (a run's result or its stdout)."""
    out = result if isinstance(result, str) else result.stdout
    m = SUMMARY.search(out)
    check(m, "no summary line 'ingested N reviews: created ..., updated ..., "
             f"unchanged ..., rejected ...' in:\n{out}")
    return dict(zip(["received", "created", "updated", "unchanged", "rejected"],
                    map(int, m.groups())))


ALERT = re.compile(r"\balerts/\d+\b")


def alerts_printed(lines):
    return [ALERT.search(l).group(0) for l in lines if ALERT.search(l)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", choices=["python", "node"], required=True)
    ap.add_argument("root")
    ap.add_argument("build")
    args = ap.parse_args()
    root, build = os.path.abspath(args.root), os.path.abspath(args.build)
    # Under TEST_TMPDIR when ctest runs it (build/test_tmp): removed after a
    # pass, kept after a failure to look at.
    tmp_root = os.environ.get("TEST_TMPDIR")
    if tmp_root:
        os.makedirs(tmp_root, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f"opinia-examples-{args.lang}-", dir=tmp_root)
    passed = False
    server = Server(build, root, tmp)
    started = []
    try:
        server.start()
        cli_bin = os.path.join(build, "service", "cli", "opinia")

        def cli(*a, key=None):
            r = subprocess.run([cli_bin, f"--addr={server.address}",
                                f"--key-file={key or key_file}", *a],
                               capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                raise Fail(f"opinia {' '.join(a)}: {r.stderr}")
            return r.stdout

        key_file = server.admin_key
        cli("tenants", "create", "--id=shop", "--name=Shop")
        secret = cli("keys", "create", "--tenant=tenants/shop", "--roles=ingest,read",
                     "--secret-only").strip()
        key_file = os.path.join(tmp, "shop.key")
        with open(os.path.join(tmp, "shop.key"), "w") as f:
            f.write(secret + "\n")
        os.chmod(key_file, 0o600)

        def all_alerts():
            return {json.loads(l)["name"] for l in
                    cli("alerts", "list", "--json", "--limit=100000").splitlines()}

        ex = Examples(args.lang, root, tmp, server.address, key_file)
        jsonl = os.path.join(root, "examples", "reviews.jsonl")
        csv_file = os.path.join(root, "examples", "reviews.csv")
        n_jsonl = sum(1 for l in open(jsonl, encoding="utf-8") if l.strip())
        state = os.path.join(tmp, "alerts.token")

        def one_review(name, external_id, text):
            path = os.path.join(tmp, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(json.dumps({"source": "storefront", "external_id": external_id,
                                    "rating": 1, "text": text}, ensure_ascii=False) + "\n")
            return path
        urgent_text = ("Pieniądze pobrane z karty, towaru brak. To oszustwo, "
                       "zgłaszam sprawę na policję.")

        # 1. The tail goes live.
        print("== 1. tail_alerts goes live", flush=True)
        tail = ex.start("tail_alerts", f"--state-file={state}")
        started.append(tail)
        for i in range(50):
            r = ex.run("ingest", one_review(f"probe{i}.jsonl", f"probe-{i}", urgent_text))
            check(r.returncode == 0, f"probe ingest failed ({r.returncode})")
            try:
                tail.out.wait_for(lambda ls: alerts_printed(ls), 0.5, "a probe alert")
                break
            except Fail:
                check(tail.poll() is None, "tail_alerts exited")
        else:
            raise Fail("tail_alerts printed no alert for 50 urgent probe reviews")
        before = all_alerts()  # the alerts the tail need not have printed

        def tail_caught_up(what):
            expected = all_alerts() - before
            tail.out.wait_for(lambda ls: expected <= set(alerts_printed(ls)), 15,
                              f"tail_alerts to print {what}: "
                              f"{sorted(expected - set(alerts_printed(tail.out.snapshot())))}")

        # 2. Ingest, twice.
        print("== 2. ingest reviews.jsonl, twice", flush=True)
        r = ex.run("ingest", jsonl, "--batch-size=10")
        check(r.returncode == 0, f"ingest exited {r.returncode}")
        s = summary(r)
        check(s == dict(received=n_jsonl, created=n_jsonl, updated=0, unchanged=0, rejected=0),
              f"first ingest: {s}, want all {n_jsonl} created")
        r = ex.run("ingest", jsonl, "--batch-size=10")
        check(r.returncode == 0, f"second ingest exited {r.returncode}")
        s = summary(r)
        check(s == dict(received=n_jsonl, created=0, updated=0, unchanged=n_jsonl, rejected=0),
              f"second ingest: {s}, want all {n_jsonl} unchanged")

        # 3. The tail prints the ingest's alerts.
        print("== 3. the tail prints the new alerts", flush=True)
        tail_caught_up("the alerts of reviews.jsonl")
        check(len(all_alerts() - before) >= 5, "reviews.jsonl made fewer than 5 alerts")

        # 4. The urgent ones.
        print("== 4. list_urgent", flush=True)
        r = ex.run("list_urgent")
        check(r.returncode == 0, f"list_urgent exited {r.returncode}")
        lines = [l for l in r.stdout.splitlines() if l.strip()]
        check(any(re.match(r"^P1\b.*\ballegro/a-100234\b", l) for l in lines),
              "the fraud review allegro/a-100234 is not listed as P1")
        check(all(re.match(r"^P[12]\b", l) for l in lines), "a line that is not P1/P2")
        check(not any("allegro/a-100231" in l for l in lines),
              "the positive review allegro/a-100231 is listed as urgent")
        listed = [l for l in cli("reviews", "list", "--priority=P1,P2", "--json",
                                 "--all").splitlines() if l.strip()]
        # The probes are urgent too; every urgent review is unanswered here.
        check(len(lines) == len(listed),
              f"list_urgent listed {len(lines)}, the server has {len(listed)} P1/P2")
        # Most urgent first.
        check([l.split()[0] for l in lines] == sorted(l.split()[0] for l in lines),
              "not ordered by priority")

        # 5. Kill and restart the server during an ingest.
        print("== 5. server killed and restarted during the ingest of reviews.csv",
              flush=True)
        ingest = ex.start("ingest", csv_file, "--batch-size=2")
        started.append(ingest)
        ingest.err.wait_for(lambda ls: any(re.search(r"\bbatch 3 of \d+ done", l)
                                           for l in ls), 30, "batch 3 of the csv ingest")
        # Both clients are frozen while the server dies, so each finds its
        # connection broken when it goes on: the tail only after the whole
        # csv went in, so it must resume with its token to print those alerts.
        tail.send_signal(signal.SIGSTOP)
        ingest.send_signal(signal.SIGSTOP)  # between two calls, or in one
        server.kill()
        ingest.send_signal(signal.SIGCONT)
        ingest.err.wait_for(lambda ls: any("UNAVAILABLE" in l and "retrying" in l
                                           for l in ls), 20,
                            "the ingest to retry on UNAVAILABLE")
        time.sleep(0.5)  # a second failed try, with the server still down
        server.start()
        try:
            code = ingest.wait(60)
        except subprocess.TimeoutExpired:
            raise Fail("the ingest did not finish after the server came back")
        ingest.out.thread.join(5)
        out = "\n".join(ingest.out.snapshot())
        check(code == 0, f"the ingest across the restart exited {code}")
        s = summary(out)
        # A batch whose answer was lost in the kill comes back UNCHANGED when
        # re-sent: at most one batch (2 reviews).
        check(s["received"] == 20 and s["created"] + s["unchanged"] == 20 and
              s["unchanged"] <= 2 and s["updated"] == 0 and s["rejected"] == 0,
              f"ingest across the restart: {s}, want 20 created (or <= 2 unchanged)")
        r = ex.run("ingest", csv_file, "--batch-size=7")
        s = summary(r)
        check(r.returncode == 0 and s["unchanged"] == 20,
              f"csv again after the restart: {s}, want all 20 unchanged (nothing lost)")
        print("== 5b. the tail resumes with its token and prints the csv's alerts",
              flush=True)
        tail.send_signal(signal.SIGCONT)
        tail_caught_up("the alerts of reviews.csv, made while it was cut off")
        check(tail.poll() is None, "tail_alerts exited across the server restart")
        check(any("UNAVAILABLE" in l for l in tail.err.snapshot()),
              "the tail did not report the lost connection")

        # 6. Stop the tail, ingest, start it again: exactly the one new alert.
        print("== 6. tail_alerts stopped and started again with its saved token",
              flush=True)
        time.sleep(1)  # nothing more is on its way
        first_run = alerts_printed(tail.out.snapshot())
        tail.send_signal(signal.SIGTERM)
        check(tail.wait(15) == 0, "tail_alerts did not exit 0 on SIGTERM")
        check(os.path.getsize(state) > 0, "no resume_token saved")
        known = all_alerts()
        r = ex.run("ingest", one_review("extra.jsonl", "extra-1", urgent_text))
        check(r.returncode == 0 and summary(r)["created"] == 1, "the extra review")
        new = all_alerts() - known
        check(len(new) == 1, f"the extra urgent review made alerts {new}, want one")
        tail2 = ex.start("tail_alerts", f"--state-file={state}")
        started.append(tail2)
        tail2.out.wait_for(lambda ls: new <= set(alerts_printed(ls)), 15,
                           f"the restarted tail to print {new}")
        time.sleep(1)  # anything it would repeat comes with or before it
        second_run = alerts_printed(tail2.out.snapshot())
        check(second_run == sorted(new),
              f"the restarted tail printed {second_run}, want exactly {sorted(new)}")
        printed = first_run + second_run
        check(len(printed) == len(set(printed)),
              f"an alert printed twice: {sorted(a for a in set(printed) if printed.count(a) > 1)}")
        missing = all_alerts() - before - set(printed)
        check(not missing, f"alerts never printed: {sorted(missing)}")
        tail2.send_signal(signal.SIGTERM)
        check(tail2.wait(15) == 0, "the restarted tail_alerts did not exit 0")

        # 7. Not retried.
        print("== 7. errors that are not retried", flush=True)
        bad = os.path.join(tmp, "wrong.key")
        with open(bad, "w") as f:
            f.write("opk_this_is_not_a_key\n")
        t0 = time.time()
        r = ex.run("ingest", jsonl, env=dict(ex.env, OPINIA_KEY_FILE=bad))
        check(r.returncode == 1 and "UNAUTHENTICATED" in r.stderr and
              "retrying" not in r.stderr and time.time() - t0 < 10,
              "a wrong key: want exit 1 at once with UNAUTHENTICATED, no retries")
        big = os.path.join(tmp, "big.jsonl")
        with open(big, "w") as f:
            for i in range(1001):
                f.write(json.dumps({"source": "storefront", "external_id": f"big-{i}",
                                    "text": "ok"}) + "\n")
        r = ex.run("ingest", big, "--batch-size=1001")
        check(r.returncode == 1 and "RESOURCE_EXHAUSTED" in r.stderr and
              "retrying" not in r.stderr,
              "a batch over --max-batch: want exit 1 with RESOURCE_EXHAUSTED, no retries")
        rejected = os.path.join(tmp, "rejected.jsonl")
        with open(rejected, "w") as f:
            f.write(json.dumps({"source": "storefront", "external_id": "fine-1",
                                "text": "Wszystko dobrze."}) + "\n")
            f.write(json.dumps({"external_id": "no-source", "text": "Brak źródła."}) + "\n")
        r = ex.run("ingest", rejected)
        s = summary(r)
        check(r.returncode == 3 and s["created"] == 1 and s["rejected"] == 1 and
              re.search(r"rejected\.jsonl:2: rejected: .*source", r.stderr),
              "a review without source: want exit 3, one rejected, line 2 and the "
              "field named")

        # 8. Rate limit: retried after the server's RetryInfo delay.
        print("== 8. rate limit honoured (RetryInfo)", flush=True)
        server.stop()
        server.start("--rate-limit-rps=4", "--rate-limit-burst=1")
        r = ex.run("ingest", jsonl, "--batch-size=5")
        s = summary(r)
        check(r.returncode == 0 and s["unchanged"] == n_jsonl,
              f"ingest under a rate limit: {s}, want all {n_jsonl} unchanged")
        check(re.search(r"RESOURCE_EXHAUSTED.*retrying in .*RetryInfo", r.stderr),
              "no retry after the server's RetryInfo in the ingest's log")
        # 9. TLS: --tls-ca trusts the server's (self-signed) certificate.
        print("== 9. TLS", flush=True)
        cert, pkey = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1", "-keyout", pkey, "-out", cert],
                       check=True, capture_output=True)
        server.stop()
        server.start(f"--tls-cert={cert}", f"--tls-key={pkey}")
        r = ex.run("list_urgent", f"--tls-ca={cert}")
        check(r.returncode == 0 and re.search(r"^P1\b.*\ballegro/a-100234\b", r.stdout, re.M),
              "list_urgent over TLS with --tls-ca")
        r = ex.run("list_urgent", "--max-attempts=1")
        check(r.returncode == 1 and "UNAVAILABLE" in r.stderr,
              "list_urgent in plaintext against the TLS server: want UNAVAILABLE")
        print("PASS", flush=True)
        passed = True
        return 0
    except Fail as e:
        print(f"FAIL: {e}", flush=True)
        for i in range(1, server.starts + 1):
            path = os.path.join(tmp, f"server.{i}.log")
            print(f"--- server.{i}.log (tail)\n" + open(path).read()[-2000:])
        return 1
    finally:
        for p in started:
            if p.poll() is None:
                p.kill()
                p.wait()
        server.stop()
        if passed:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"the server's database, logs and key files are in {tmp}")


if __name__ == "__main__":
    sys.exit(main())
