-- Leases (lease_store.h, pg_leases.h): claims of scheduled work across
-- replicas. A released lease is deleted; an expired one stays until it is
-- taken again. Times are the callers' clocks, bigint microseconds.
CREATE TABLE leases (
  name         text PRIMARY KEY,
  holder       text NOT NULL,
  acquire_time bigint NOT NULL,
  expire_time  bigint NOT NULL
);
