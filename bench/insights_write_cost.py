#!/usr/bin/python3
"""What each part of the schema costs per inserted review (issue 7).

Copies the reviews of a database made by
`opinia_insights_bench --write-bench=N` (file PATH.write) into fresh
databases with that file's schema, in transactions of 100, once with
everything and once without each named trigger or index, and prints the
minimum CPU time per review over --runs runs (the minimum is the least
disturbed by other load). opinia_fold and opinia_local_day are cheap Python
stand-ins here (their real cost is < 1 % of the write path in perf), so the
differences are the SQLite work of the triggers and indexes. With a schema-8
source the opinia_defer_* functions are no-ops here: the rollups and the
full-text index are then left out entirely (they are applied per
transaction by the store, measure them with the server).

  bench/insights_write_cost.py /tmp/opinia-insights-bench.db.write \
      [--runs=5] [--drop=name,name ...]
"""
import argparse
import os
import sqlite3
import tempfile
import time


def run(source, drop, n):
    fd, db = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    os.remove(db)
    c = sqlite3.connect(db, isolation_level=None)
    c.create_function("opinia_fold", 1, lambda s: s.lower() if s else s,
                      deterministic=True)
    c.create_function("opinia_local_day", 2,
                      lambda t, tz: t // 86400000000, deterministic=True)
    # Schema 8 triggers hand rollups and full-text changes to the store
    # (deferred_writes.h); here they are dropped, so the numbers are the
    # triggers' and indexes' own SQLite work.
    for name, args in (("opinia_defer_rollup", 11),
                       ("opinia_defer_aspect_rollup", 8),
                       ("opinia_defer_response_rollup", 7),
                       ("opinia_defer_fts", 3)):
        c.create_function(name, args, lambda *a: None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=NORMAL")
    c.execute("ATTACH ? AS s", (source,))
    objects = c.execute(
        "SELECT type, name, sql FROM s.sqlite_master WHERE sql IS NOT NULL "
        "ORDER BY type = 'trigger', rowid").fetchall()
    for kind, name, sql in objects:
        # FTS5 makes its own shadow tables.
        if name in drop or name.startswith("sqlite_") or (
                kind == "table" and name.startswith("reviews_fts_")):
            continue
        c.execute(sql)
    for table in ("tenants", "insights_dims", "insights_delay_buckets"):
        c.execute(f"INSERT INTO main.{table} SELECT * FROM s.{table}")
    cols = ", ".join(r[1] for r in c.execute("PRAGMA s.table_info(reviews)"))
    ids = [r[0] for r in c.execute(
        "SELECT id FROM s.reviews ORDER BY id LIMIT ?", (n,))]
    start = time.process_time()
    for i in range(0, len(ids), 100):
        c.execute("BEGIN")
        c.execute(f"INSERT INTO main.reviews ({cols}) SELECT {cols} "
                  "FROM s.reviews WHERE id >= ? AND id <= ?",
                  (ids[i], ids[min(i + 99, len(ids) - 1)]))
        c.execute("COMMIT")
    cpu = time.process_time() - start
    c.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    return 1e6 * cpu / len(ids)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("source")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--reviews", type=int, default=10000)
    p.add_argument("--drop", action="append", default=[],
                   help="comma-separated triggers/indexes to leave out")
    a = p.parse_args()
    variants = [[]] + [d.split(",") for d in a.drop]
    for drop in variants:
        best = min(run(a.source, set(drop), a.reviews) for _ in range(a.runs))
        print(f"{'without ' + ','.join(drop) if drop else 'everything':<60} "
              f"{best:6.1f} us CPU per review")


if __name__ == "__main__":
    main()
