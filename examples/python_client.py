#!/usr/bin/python3
"""A minimal Opinia client in Python: analyse a text, ingest two reviews, list
the urgent ones.

Runs with Debian's Python (/usr/bin/python3) and its packages python3-grpcio
and python3-protobuf; a pyenv or virtualenv `python3` usually lacks them. The
stubs are generated at start from protos/ with the system protoc and
grpc_python_plugin (protobuf-compiler, protobuf-compiler-grpc).

  examples/python_client.py [--addr=127.0.0.1:50051]    # key from $OPINIA_KEY

The key needs the roles ingest and read (see the README's Quickstart).
"""
import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_stubs():
    try:
        import grpc  # noqa: F401
        import google.protobuf  # noqa: F401
    except ImportError as e:
        sys.exit(f"{sys.executable} cannot import {e.name}: run this with Debian's "
                 "/usr/bin/python3 and apt-get install python3-grpcio python3-protobuf")
    out = tempfile.mkdtemp(prefix="opinia-py-")
    protos = os.path.join(ROOT, "protos")
    files = [os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(protos, "opinia"))
             for f in fs if f.endswith(".proto")]
    cmd = ["protoc", f"-I{protos}", "-I/usr/include", f"--python_out={out}",
           f"--grpc_python_out={out}",
           "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"] + files
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("protoc failed (needs protobuf-compiler and protobuf-compiler-grpc): "
                 + r.stderr.strip())
    sys.path.insert(0, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--addr", default=os.environ.get("OPINIA_ADDR", "127.0.0.1:50051"))
    args = ap.parse_args()
    key = os.environ.get("OPINIA_KEY")
    if not key:
        sys.exit("set OPINIA_KEY to a key with the roles ingest and read")
    load_stubs()
    import grpc
    from opinia.v1 import common_pb2, reviews_pb2, reviews_pb2_grpc

    channel = grpc.insecure_channel(args.addr)
    reviews = reviews_pb2_grpc.ReviewServiceStub(channel)
    md = [("authorization", f"Bearer {key}")]

    analysis = reviews.AnalyzeText(
        reviews_pb2.AnalyzeTextRequest(text="Paczka przyszła zgnieciona, nie polecam."),
        metadata=md)
    print("analyze:", common_pb2.SentimentLabel.Name(analysis.sentiment.label),
          f"{analysis.sentiment.score:+.2f}", "language", analysis.language,
          "priority", common_pb2.Priority.Name(analysis.urgency.priority))

    batch = reviews_pb2.IngestReviewsRequest(reviews=[
        reviews_pb2.ReviewInput(source="storefront", external_id="py-1", rating=1,
                                text="Pieniądze pobrane, towaru brak. Zgłaszam oszustwo."),
        reviews_pb2.ReviewInput(source="storefront", external_id="py-2", rating=5,
                                text="Szybka wysyłka, wszystko w porządku."),
    ])
    resp = reviews.IngestReviews(batch, metadata=md)
    for r in resp.results:
        print("ingest:", reviews_pb2.IngestResult.Outcome.Name(r.outcome), r.name, r.error)

    urgent = reviews.ListReviews(
        reviews_pb2.ListReviewsRequest(priorities=[common_pb2.P1, common_pb2.P2]),
        metadata=md)
    for r in urgent.reviews:
        print("urgent:", r.name, common_pb2.Priority.Name(r.analysis.urgency.priority),
              list(r.analysis.urgency.reasons))
    return 0


if __name__ == "__main__":
    sys.exit(main())
