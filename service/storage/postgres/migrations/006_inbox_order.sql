-- The inbox orders of ListReviews (ReviewOrder::kUrgency, most urgent
-- first, and kRespondBy, store.h), on the expressions of
-- service/storage/review_order.h, which the queries spell exactly so
-- (the planner matches an index expression only to the same expression).
--
-- Partial, on open (NEW, ACKNOWLEDGED) reviews that are not deleted: the
-- inbox lists only those; they are few next to the answered and resolved
-- reviews of years that a database keeps, and a review leaves the indexes
-- when it is answered, so they stay small and cheap to keep up. priority
-- and status are included so the inbox's filter and its count
-- (total_size) can be answered by an index-only scan.
CREATE INDEX reviews_open_by_urgency ON reviews (tenant_id,
  (CASE WHEN priority = 0 THEN 6 ELSE priority END),
  (CASE WHEN respond_by = -9223372036854775808 THEN 9223372036854775807
   ELSE respond_by END), id)
  INCLUDE (priority, status)
  WHERE NOT deleted AND status IN (1, 2);
CREATE INDEX reviews_open_by_due ON reviews (tenant_id,
  (CASE WHEN respond_by = -9223372036854775808 THEN 9223372036854775807
   ELSE respond_by END), id)
  INCLUDE (priority, status)
  WHERE NOT deleted AND status IN (1, 2);
