// Signing of webhook deliveries.
//
// Every POST carries
//   Content-Type:     application/json
//   Opinia-Event-Id:  alerts/{id}   (stable across retries: dedupe on it)
//   Opinia-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
// where the HMAC key is the webhook's secret and the signed message is
// "<t>.<raw request body>" (the decimal t, a dot, the body bytes as sent).
//
// Verifying on the receiver:
//   1. Split Opinia-Signature on ',' into key=value pairs; take t and every
//      v1 (future key rotation may send several).
//   2. Compute hex(HMAC-SHA256(secret, t + "." + raw_body)) over the body
//      bytes exactly as received (before any JSON parsing).
//   3. Compare with each v1 in constant time; accept if one matches.
//   4. Reject if |now - t| > 5 minutes (replay window). A retry is signed
//      anew with a fresh t, so a late retry still verifies.
//   5. Dedupe on Opinia-Event-Id: delivery is at least once, so the same
//      event may arrive more than once (e.g. when the 2xx was lost).
//   Python: hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256)
//           .hexdigest()
#ifndef OPINIA_SERVICE_CORE_ALERTS_WEBHOOK_SIGNING_H_
#define OPINIA_SERVICE_CORE_ALERTS_WEBHOOK_SIGNING_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace opinia::core {

inline constexpr char kSignatureHeader[] = "Opinia-Signature";
inline constexpr char kEventIdHeader[] = "Opinia-Event-Id";

// Lowercase hex HMAC-SHA256(secret, "<t>.<body>") with t = unix seconds.
std::string WebhookSignature(std::string_view secret, int64_t unix_seconds,
                             std::string_view body);

// The Opinia-Signature header value for `body` signed at `now`.
std::string SignatureHeaderValue(std::string_view secret, absl::Time now,
                                 std::string_view body);

// Receiver-side check (used by tests and examples): OK when `header` holds
// a v1 signature of `body` under `secret` with |now - t| <= tolerance;
// UNAUTHENTICATED otherwise (malformed header, stale t, no match).
absl::Status VerifySignatureHeader(std::string_view secret,
                                   std::string_view header,
                                   std::string_view body, absl::Time now,
                                   absl::Duration tolerance = absl::Minutes(5));

}  // namespace opinia::core

#endif  // OPINIA_SERVICE_CORE_ALERTS_WEBHOOK_SIGNING_H_
