#!/usr/bin/env bash
# The JSON API with nothing but curl (and jq to pick fields): a tenant and
# its key made with the operator key, the live alert stream tailed as
# Server-Sent Events, reviews ingested as JSON and as NDJSON, and the P1
# reviews listed. README "JSON API (HTTP)" shows the same commands.
#
#   examples/curl/walkthrough.sh http://127.0.0.1:8080 data/admin.key [TENANT_ID]
#
# TENANT_ID (default "demo") must not exist yet.
set -euo pipefail
base=${1:?usage: walkthrough.sh BASE_URL ADMIN_KEY_FILE [TENANT_ID]}
admin=$(head -n1 "${2:?usage: walkthrough.sh BASE_URL ADMIN_KEY_FILE [TENANT_ID]}")
tenant=${3:-demo}
here=$(cd "$(dirname "$0")" && pwd)
json='Content-Type: application/json'

echo "== a tenant and a key for it (operator key)"
curl -fsS "$base/v1/AdminService/CreateTenant" \
  -H "Authorization: Bearer $admin" -H "$json" \
  -d "{\"tenant_id\": \"$tenant\", \"tenant\": {\"display_name\": \"Demo shop\"}}"
echo
key=$(curl -fsS "$base/v1/AdminService/CreateApiKey" \
  -H "Authorization: Bearer $admin" -H "$json" \
  -d "{\"api_key\": {\"tenant\": \"tenants/$tenant\",
       \"roles\": [\"ROLE_INGEST\", \"ROLE_READ\", \"ROLE_RESPOND\"]}}" |
  jq -r .secret)

echo "== tail the alert stream (P1 and P2) in the background"
alerts=$(mktemp)
curl -sSN "$base/v1/AlertService/StreamAlerts?priorities=P1&priorities=P2" \
  -H "Authorization: Bearer $key" >"$alerts" &
tail_pid=$!
trap 'kill $tail_pid 2>/dev/null || true; rm -f "$alerts"' EXIT
sleep 1

echo "== ingest one review as JSON"
curl -fsS "$base/v1/ReviewService/IngestReviews" \
  -H "Authorization: Bearer $key" -H "$json" \
  -d '{"reviews": [{"source": "allegro", "external_id": "walk-1", "rating": 1,
       "text": "Paczka nie dotarła, sprzedawca nie odpowiada. To oszustwo, zgłaszam sprawę na policję!"}]}' |
  jq -c '.results[] | {name, outcome}'

echo "== ingest a file, one review per line (NDJSON)"
curl -fsS "$base/v1/ReviewService/StreamIngestReviews" \
  -H "Authorization: Bearer $key" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$here/../reviews.jsonl" | jq -c .

echo "== the P1 reviews waiting for an answer"
curl -fsS -G "$base/v1/ReviewService/ListReviews" \
  -H "Authorization: Bearer $key" \
  --data-urlencode priorities=P1 --data-urlencode statuses=NEW \
  --data-urlencode 'order_by=create_time desc' |
  jq -r '.reviews[] | "\(.name) \(.analysis.urgency.reasons | join(",")) \(.input.text[0:60])"'

echo "== alert events received"
sleep 1
grep -E '^(id|event):' "$alerts" | head -n 8
