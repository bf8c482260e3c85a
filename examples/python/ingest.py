#!/usr/bin/python3
"""Sends a file of reviews to Opinia in batches (ReviewService.IngestReviews).

  OPINIA_KEY_FILE=ingest.key examples/python/ingest.py examples/reviews.jsonl
  OPINIA_KEY_FILE=ingest.key examples/python/ingest.py examples/reviews.csv --batch-size=10

The file is JSON Lines (one opinia.v1.ReviewInput per line, proto JSON field
names) or, for a name ending in .csv, CSV with a header row naming ReviewInput
fields (a column `attributes.KEY` fills the attributes map; empty cells are
left unset). The key needs the role ingest.

Safe to run again, and to retry: a review is identified by its source and
external_id, so a batch sent twice (after a lost answer, or a whole second
run) comes back UNCHANGED instead of creating duplicates. That is what makes
the retries in connect.Client.call safe.

Prints one line with the outcome counts on stdout; progress and retries on
stderr. Exit status: 0, 1 on an error the program gave up on, 3 when the
server rejected some reviews (each reason names the field and the line).
"""
import argparse
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import connect  # noqa: E402  (this folder's shared code)


def read_reviews(path):
    """Yields (line number, ReviewInput as a dict in proto JSON)."""
    if path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            for row in reader:
                review, attributes = {}, {}
                for column, value in row.items():
                    if value in ("", None):
                        continue
                    if column.startswith("attributes."):
                        attributes[column[len("attributes."):]] = value
                    else:
                        review[column] = value  # "5" is fine for an int32 in proto JSON
                if attributes:
                    review["attributes"] = attributes
                yield reader.line_num, review
    else:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield number, json.loads(line)
                    except json.JSONDecodeError as e:
                        connect.fail(f"{path}:{number}: not JSON: {e}")


def batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", help="reviews as .jsonl or .csv")
    ap.add_argument("--batch-size", type=int, default=100,
                    help="reviews per IngestReviews call (default 100; the server allows "
                         "up to its --max-batch, 1,000 by default)")
    connect.add_connection_flags(ap)
    args = ap.parse_args()
    client = connect.Client(args)
    from google.protobuf import json_format
    reviews_pb2 = client.stubs.reviews_pb2
    Outcome = reviews_pb2.IngestResult.Outcome

    # Parse the whole file first: a typo on line 40 should stop the program
    # before anything is sent, not after half the file went in.
    parsed = []
    for number, review in read_reviews(args.file):
        try:
            parsed.append((number, json_format.ParseDict(review, reviews_pb2.ReviewInput())))
        except json_format.ParseError as e:
            connect.fail(f"{args.file}:{number}: {e}")

    counts = {name: 0 for name in ("CREATED", "UPDATED", "UNCHANGED", "REJECTED")}
    chunks = list(batches(parsed, max(1, args.batch_size)))
    for index, chunk in enumerate(chunks, 1):
        request = reviews_pb2.IngestReviewsRequest(reviews=[r for _, r in chunk])
        what = f"batch {index} of {len(chunks)}"
        try:
            response = client.call(client.reviews.IngestReviews, request, what)
        except client.grpc.RpcError as e:
            connect.rpc_error_exit(e, f"IngestReviews ({what}, lines {chunk[0][0]}-"
                                      f"{chunk[-1][0]})")
        # One result per review, in the order sent.
        for (number, _), result in zip(chunk, response.results):
            outcome = Outcome.Name(result.outcome)
            counts[outcome] = counts.get(outcome, 0) + 1
            if result.outcome == Outcome.REJECTED:
                connect.log(f"{args.file}:{number}: rejected: {result.error}")
        connect.log(f"{what} done ({len(chunk)} reviews)")

    print(f"ingested {len(parsed)} reviews: created {counts['CREATED']}, "
          f"updated {counts['UPDATED']}, unchanged {counts['UNCHANGED']}, "
          f"rejected {counts['REJECTED']}", flush=True)
    return 3 if counts["REJECTED"] else 0


if __name__ == "__main__":
    sys.exit(main())
