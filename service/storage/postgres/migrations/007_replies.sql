-- The reply outbox (reply_store.h, pg_replies.h): per review the latest
-- publish or delete of its reply on the review's platform, queued in the
-- transaction that records the response, and its delivery state. Times
-- are bigint microseconds; replies_due is the worker's scan.
CREATE TABLE replies (
  review_id         bigint PRIMARY KEY REFERENCES reviews(id),
  tenant_id         text NOT NULL REFERENCES tenants(id),
  generation        bigint NOT NULL,
  action            integer NOT NULL,
  text              text NOT NULL,
  collector         text NOT NULL,
  state             integer NOT NULL,
  attempts          integer NOT NULL,
  next_attempt_time bigint NOT NULL,
  in_flight         boolean NOT NULL,
  publish_time      bigint NOT NULL,
  last_error        text NOT NULL,
  policy_rejection  boolean NOT NULL,
  create_time       bigint NOT NULL,
  update_time       bigint NOT NULL
);
CREATE INDEX replies_due ON replies(next_attempt_time, review_id)
  WHERE state = 1;
