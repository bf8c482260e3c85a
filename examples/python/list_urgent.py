#!/usr/bin/python3
"""Lists the urgent reviews still waiting for an answer (ReviewService.ListReviews).

  OPINIA_KEY_FILE=read.key examples/python/list_urgent.py
  OPINIA_KEY_FILE=read.key examples/python/list_urgent.py --priorities=P1 --limit=20

One line per review, most urgent first (priority, then the deadline to
respond): priority, name, source/external_id, deadline, reason codes and the
start of the text. The key needs the role read.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import connect  # noqa: E402  (this folder's shared code)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--priorities", default="P1,P2",
                    help="comma-separated priorities (default P1,P2)")
    ap.add_argument("--statuses", default="NEW,ACKNOWLEDGED",
                    help="comma-separated review statuses (default NEW,ACKNOWLEDGED: "
                         "not yet answered)")
    ap.add_argument("--limit", type=int, default=200, help="list at most this many")
    connect.add_connection_flags(ap)
    args = ap.parse_args()
    client = connect.Client(args)
    common_pb2, reviews_pb2 = client.stubs.common_pb2, client.stubs.reviews_pb2

    try:
        priorities = [common_pb2.Priority.Value(p) for p in args.priorities.split(",") if p]
        statuses = [reviews_pb2.ReviewStatus.Value(s) for s in args.statuses.split(",") if s]
    except ValueError as e:
        connect.fail(f"--priorities/--statuses: {e}")
    request = reviews_pb2.ListReviewsRequest(priorities=priorities, statuses=statuses,
                                             page_size=min(args.limit, 1000))
    found = []
    # Pages: the server returns at most page_size reviews and a token for the rest.
    while len(found) < args.limit:
        try:
            page = client.call(client.reviews.ListReviews, request, "ListReviews")
        except client.grpc.RpcError as e:
            connect.rpc_error_exit(e, "ListReviews")
        found.extend(page.reviews)
        if not page.next_page_token:
            break
        request.page_token = page.next_page_token
    found = found[:args.limit]

    def urgency(review):
        # A person's correction (UpdateReview) wins over the analysis.
        if review.override.urgency.priority:
            return review.override.urgency
        return review.analysis.urgency

    # Most urgent first; among equals, the earliest deadline first.
    # (A review without a deadline goes after those with one.)
    found.sort(key=lambda r: (urgency(r).priority, not urgency(r).HasField("respond_by"),
                              urgency(r).respond_by.ToDatetime()))
    for r in found:
        u = urgency(r)
        text = " ".join(r.input.text.split())
        respond_by = (u.respond_by.ToDatetime().isoformat(timespec="seconds") + "Z"
                      if u.HasField("respond_by") else "-")
        print(f"{common_pb2.Priority.Name(u.priority)}  {r.name}  "
              f"{r.input.source}/{r.input.external_id}  respond by {respond_by}  "
              f"{','.join(u.reasons) or '-'}  {text[:80]}")
    connect.log(f"{len(found)} urgent reviews")
    return 0


if __name__ == "__main__":
    sys.exit(main())
