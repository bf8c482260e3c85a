#!/usr/bin/python3
"""Follows new alerts as they happen (AlertService.StreamAlerts), with resume.

  OPINIA_KEY_FILE=read.key examples/python/tail_alerts.py --state-file=alerts.token
  OPINIA_KEY_FILE=read.key examples/python/tail_alerts.py --state-file=alerts.token --priorities=P1

Prints one line per alert event on stdout:
  EVENT_TYPE  alerts/ID  PRIORITY  KIND  reviews/ID  SOURCE  REASONS  summary

Every event carries a resume_token. After handling an event the program saves
its token in --state-file (atomically: a crash leaves the old or the new
token, never half of one). When it connects, it sends the saved token, and the
server sends every later event exactly once and in order: stopping and
starting the program, a server restart or a dropped connection loses nothing
and repeats nothing. With no saved token, the stream starts from now.

The token is saved after the event was handled (here: printed), so a crash
between the two hands the same event over again on the next start: at least
once for the handler, exactly once from the server. A handler that must not
act twice can remember the alert names it has handled.

Reconnects on UNAVAILABLE (the server restarting) with back-off; stops after
--max-attempts failures in a row. SIGINT (Ctrl-C) and SIGTERM stop it cleanly.
The key needs the role read.
"""
import argparse
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import connect  # noqa: E402  (this folder's shared code)


def load_token(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except FileNotFoundError:
        return ""
    except OSError as e:
        connect.fail(f"--state-file: {e}")


def save_token(path, token):
    """Replaces the file's content atomically and durably."""
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(token + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--state-file", required=True,
                    help="where the last resume_token is kept between runs")
    ap.add_argument("--priorities", default="",
                    help="only alerts of these priorities, e.g. P1,P2 (default: all)")
    connect.add_connection_flags(ap)
    args = ap.parse_args()
    client = connect.Client(args)
    grpc = client.grpc
    common_pb2, alerts_pb2 = client.stubs.common_pb2, client.stubs.alerts_pb2

    try:
        priorities = [common_pb2.Priority.Value(p) for p in args.priorities.split(",") if p]
    except ValueError as e:
        connect.fail(f"--priorities: {e}")

    # Stop cleanly on SIGTERM as on Ctrl-C: cancel the open stream, whose
    # iteration then ends with CANCELLED. The handler only cancels, so an
    # event being handled is still handled and its token saved.
    stopping = threading.Event()
    current = []

    def stop(signum, frame):
        stopping.set()
        if current:
            current[0].cancel()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    token = load_token(args.state_file)
    failures = 0
    while not stopping.is_set():
        request = alerts_pb2.StreamAlertsRequest(resume_token=token, priorities=priorities)
        connect.log("streaming alerts " + ("after the saved resume_token" if token
                                           else "from now on (no saved resume_token)"))
        # No deadline: the stream stays open as long as we follow it.
        call = client.alerts.StreamAlerts(request, metadata=client.metadata)
        current[:] = [call]
        if stopping.is_set():  # a signal came just before `current` was set
            call.cancel()
        try:
            for event in call:
                a = event.alert
                print(f"{alerts_pb2.AlertEventType.Name(event.type)}  {a.name}  "
                      f"{common_pb2.Priority.Name(a.priority)}  "
                      f"{alerts_pb2.AlertKind.Name(a.kind)}  {a.review or '-'}  "
                      f"{a.source or '-'}  {','.join(a.reasons) or '-'}  "
                      f"{' '.join(a.summary.split())}", flush=True)
                # Handled: remember where we are.
                token = event.resume_token
                save_token(args.state_file, token)
                failures = 0
            # The server ended the stream without an error (it does not, but
            # a proxy in between might): reconnect after a moment.
            connect.log("stream ended; reconnecting")
            stopping.wait(connect.backoff(1))
        except grpc.RpcError as e:
            if stopping.is_set():
                break
            failures += 1
            wait = client.retry_wait(e, failures)
            if wait is None:
                connect.rpc_error_exit(e, "StreamAlerts")
            if failures >= client.max_attempts:
                connect.rpc_error_exit(e, f"StreamAlerts (gave up after {failures} "
                                          "failures in a row)")
            connect.log(f"StreamAlerts: {e.code().name} ({e.details()}); reconnecting "
                        f"in {wait[0]:.2f} s ({wait[1]}), failure {failures} of "
                        f"{client.max_attempts}")
            stopping.wait(wait[0])  # a sleep that SIGTERM cuts short
    connect.log("stopped" + (f"; resume_token saved in {args.state_file}" if token else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
