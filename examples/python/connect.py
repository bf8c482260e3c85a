"""What the three example programs share: the generated stubs, the API key, a
channel, and the one retry policy of every unary call.

Runs with Debian's Python (/usr/bin/python3) and its packages python3-grpcio
and python3-protobuf. The stubs are generated at start from the .proto files
with the system protoc and grpc_python_plugin (Debian's protobuf-compiler and
protobuf-compiler-grpc), so they always match the server's API; nothing is
generated into the source tree.

Environment (flags of the programs override it):
  OPINIA_ADDR      server address, default 127.0.0.1:50051
  OPINIA_KEY_FILE  file holding the API key (first line), or
  OPINIA_KEY       the key itself. Never put a key on a command line: other
                   users of the machine see it in `ps`, and shells keep it
                   in their history.
  OPINIA_PROTOS    folder holding opinia/v1/*.proto (default: ../../protos
                   from this file, i.e. the repository's protos/)
"""
import atexit
import glob
import importlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROTOS = os.path.join(HERE, "..", "..", "protos")
# google/rpc/status.proto: Status and RetryInfo, read from error details.
EXTRA_PROTOS = os.path.join(HERE, "..", "proto")


def fail(message):
    """Ends the program with a message on stderr and exit status 1."""
    print(f"{os.path.basename(sys.argv[0])}: {message}", file=sys.stderr)
    sys.exit(1)


def log(message):
    """Progress and retries go to stderr; results go to stdout."""
    print(f"{os.path.basename(sys.argv[0])}: {message}", file=sys.stderr, flush=True)


def load_stubs():
    """Compiles the protos into a temporary folder and imports the modules.

    Returns a namespace with the modules as attributes: common_pb2,
    reviews_pb2, reviews_pb2_grpc, alerts_pb2, alerts_pb2_grpc, status_pb2.
    """
    try:
        import grpc  # noqa: F401
        import google.protobuf  # noqa: F401
    except ImportError as e:
        fail(f"{sys.executable} cannot import {e.name}: run this with Debian's "
             "/usr/bin/python3 and apt-get install python3-grpcio python3-protobuf")
    protos = os.environ.get("OPINIA_PROTOS", DEFAULT_PROTOS)
    files = sorted(glob.glob(os.path.join(protos, "opinia", "v1", "*.proto")))
    if not files:
        fail(f"no opinia/v1/*.proto under {protos} (set OPINIA_PROTOS)")
    extra = sorted(glob.glob(os.path.join(EXTRA_PROTOS, "google", "rpc", "*.proto")))
    out = tempfile.mkdtemp(prefix="opinia-stubs-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    cmd = ["protoc", f"-I{protos}", f"-I{EXTRA_PROTOS}", "-I/usr/include",
           f"--python_out={out}", f"--grpc_python_out={out}",
           "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"] + files + extra
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        fail("protoc not found: apt-get install protobuf-compiler protobuf-compiler-grpc")
    if r.returncode != 0:
        fail("protoc failed (needs protobuf-compiler and protobuf-compiler-grpc): "
             + r.stderr.strip())
    sys.path.insert(0, out)

    class Stubs:
        pass
    stubs = Stubs()
    for module in ["opinia.v1.common_pb2", "opinia.v1.reviews_pb2",
                   "opinia.v1.reviews_pb2_grpc", "opinia.v1.alerts_pb2",
                   "opinia.v1.alerts_pb2_grpc", "google.rpc.status_pb2"]:
        setattr(stubs, module.rsplit(".", 1)[1], importlib.import_module(module))
    return stubs


def read_key():
    """The API key from OPINIA_KEY_FILE or OPINIA_KEY (never from argv)."""
    path = os.environ.get("OPINIA_KEY_FILE")
    if path:
        try:
            with open(path, encoding="utf-8") as f:
                key = f.readline().strip()
        except OSError as e:
            fail(f"OPINIA_KEY_FILE: {e}")
        if not key:
            fail(f"OPINIA_KEY_FILE {path} is empty")
        return key
    key = os.environ.get("OPINIA_KEY", "").strip()
    if not key:
        fail("set OPINIA_KEY_FILE (a file holding the API key) or OPINIA_KEY")
    return key


def add_connection_flags(parser):
    parser.add_argument("--addr", default=os.environ.get("OPINIA_ADDR", "127.0.0.1:50051"),
                        help="server HOST:PORT (default $OPINIA_ADDR or 127.0.0.1:50051)")
    parser.add_argument("--tls-ca", metavar="FILE",
                        help="connect with TLS, trusting this CA certificate (PEM); "
                             "without it the connection is plaintext")
    parser.add_argument("--deadline", type=float, default=10.0, metavar="SECONDS",
                        help="deadline of each unary call (default 10)")
    parser.add_argument("--max-attempts", type=int, default=8,
                        help="tries per call before giving up (default 8)")


class Client:
    """A channel, the key as call metadata, and retrying unary calls."""

    def __init__(self, args):
        self.stubs = load_stubs()  # first: it explains a missing grpc module
        import grpc
        self.grpc = grpc
        self.metadata = [("authorization", f"Bearer {read_key()}")]
        if args.deadline <= 0 or args.max_attempts < 1:
            fail("--deadline and --max-attempts must be positive")
        self.deadline = args.deadline
        self.max_attempts = args.max_attempts
        # gRPC reconnects a channel on its own, with a back-off that grows to
        # two minutes by default; capped here so that a server back after a
        # restart is found within a second or two by our own retries.
        options = [("grpc.initial_reconnect_backoff_ms", 200),
                   ("grpc.min_reconnect_backoff_ms", 200),
                   ("grpc.max_reconnect_backoff_ms", 1000)]
        if args.tls_ca:
            with open(args.tls_ca, "rb") as f:
                creds = grpc.ssl_channel_credentials(root_certificates=f.read())
            self.channel = grpc.secure_channel(args.addr, creds, options=options)
        else:
            self.channel = grpc.insecure_channel(args.addr, options=options)
        s = self.stubs
        self.reviews = s.reviews_pb2_grpc.ReviewServiceStub(self.channel)
        self.alerts = s.alerts_pb2_grpc.AlertServiceStub(self.channel)

    def retry_delay(self, error):
        """The server's RetryInfo delay in seconds, or None without one.

        Opinia answers a call over the key's rate limit with RESOURCE_EXHAUSTED
        and a google.rpc.Status in the trailing metadata
        `grpc-status-details-bin` whose details hold a RetryInfo.
        """
        status_pb2 = self.stubs.status_pb2
        for k, v in error.trailing_metadata() or ():
            if k != "grpc-status-details-bin":
                continue
            status = status_pb2.Status.FromString(v)
            for detail in status.details:
                if detail.Is(status_pb2.RetryInfo.DESCRIPTOR):
                    info = status_pb2.RetryInfo()
                    detail.Unpack(info)
                    return info.retry_delay.ToTimedelta().total_seconds()
        return None

    def retry_wait(self, error, attempt):
        """How long to wait before trying again after `error`, or None.

        Retried:
          UNAVAILABLE         the server is down, restarting or overloaded: wait
                              with exponential back-off and jitter, try again.
          RESOURCE_EXHAUSTED  only when it carries RetryInfo, i.e. the key's
                              rate limit: wait exactly the server's delay. This
                              is a retry on rate limiting, on purpose: the
                              server says when the call will be admitted. The
                              same code without RetryInfo (a batch or message
                              over a limit, too many open streams) would fail
                              again: not retried.
        Everything else is final: INVALID_ARGUMENT, UNAUTHENTICATED,
        PERMISSION_DENIED ... do not go away by trying again, and
        DEADLINE_EXCEEDED means the server is too slow for this deadline,
        where retrying on our own only adds load (running the program again
        is safe: ingest is idempotent).
        """
        code = error.code()
        if code == self.grpc.StatusCode.UNAVAILABLE:
            return backoff(attempt), "back-off"
        if code == self.grpc.StatusCode.RESOURCE_EXHAUSTED:
            delay = self.retry_delay(error)
            if delay is not None:
                return delay, "the server's RetryInfo"
        return None

    def call(self, method, request, what):
        """Calls a unary method with a deadline, retrying as retry_wait says,
        at most --max-attempts tries in all.

        Only calls that are safe to repeat may be passed here: a call that
        failed with UNAVAILABLE may still have been carried out. ListReviews
        is, and so is IngestReviews, because a review sent again with the
        same source/external_id comes back UNCHANGED.
        """
        for attempt in range(1, self.max_attempts + 1):
            try:
                return method(request, metadata=self.metadata, timeout=self.deadline)
            except self.grpc.RpcError as e:
                wait = self.retry_wait(e, attempt)
                if wait is None:
                    raise
                if attempt == self.max_attempts:
                    log(f"{what}: {e.code().name} ({e.details()}); giving up after "
                        f"{attempt} attempts")
                    raise
                log(f"{what}: {e.code().name} ({e.details()}); attempt {attempt} of "
                    f"{self.max_attempts}, retrying in {wait[0]:.2f} s ({wait[1]})")
                time.sleep(wait[0])


def backoff(attempt, base=0.25, cap=8.0):
    """Exponential back-off with jitter before try number attempt+1.

    Half of the exponential delay is fixed and half random ("equal jitter"),
    so that many clients cut off by the same restart do not all come back
    in the same instant, and no client retries at once. With the defaults
    the 7 waits of 8 tries add up to at least 11.9 s: enough for a server
    restart.
    """
    delay = min(cap, base * 2 ** (attempt - 1))
    return delay / 2 + random.uniform(0, delay / 2)


def rpc_error_exit(error, what):
    """Ends the program after a failed call, naming the code and message."""
    fail(f"{what}: {error.code().name}: {error.details()}")
