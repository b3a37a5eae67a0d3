#!/usr/bin/env bash
# What schemathesis does not generate: JSON nested 1,000 deep, and integers beyond
# 64 bits, sent with curl to a few endpoints of the live API. Any 5xx fails the run.
# Takes seconds.
#
#   usage: .ci/malformed.sh BASE_URL [TOKEN]
#     BASE_URL  the server's root, e.g. http://127.0.0.1:8000 (no /api/v1)
#     TOKEN     an API token; without one only the anonymous requests are sent
#
# It writes nothing a server should accept (every request is a 4xx), but point it at
# a scratch database all the same.
set -euo pipefail

if [ $# -lt 1 ]; then
  sed -n '2,11p' "$0" >&2
  exit 2
fi
BASE=${1%/}
TOKEN=${2:-}
API=$BASE/api/v1
HUGE=99999999999999999999
BIG=9223372036854775808 # 2^63
NEG=-9223372036854775809

deep_list=$(printf '%*s' 1000 '' | tr ' ' '[')$(printf '%*s' 1000 '' | tr ' ' ']')
deep_object=$(printf '%*s' 1000 '' | sed 's/ /{"a":/g')1$(printf '%*s' 1000 '' | tr ' ' '}')

failures=0
sent=0
# send METHOD PATH [BODY]: the status must be below 500.
send() {
  local method=$1 url=$API$2 body=${3:-} status
  local args=(-s -o /dev/null -w '%{http_code}' -X "$method" --max-time 30)
  if [ -n "$TOKEN" ]; then
    args+=(-H "Authorization: Token $TOKEN")
  fi
  if [ -n "$body" ]; then
    args+=(-H 'Content-Type: application/json' --data-binary @-)
  fi
  status=$(printf '%s' "$body" | curl "${args[@]}" "$url" || echo 000)
  sent=$((sent + 1))
  if [ "$status" -ge 500 ] || [ "$status" = 000 ]; then
    echo "FAIL $status $method $2 ${body:0:60}" >&2
    failures=$((failures + 1))
  fi
}

for body in "$deep_list" "$deep_object"; do
  send POST /auth/token/ "$body"
done
if [ -n "$TOKEN" ]; then
  for body in "$deep_list" "$deep_object"; do
    for path in /suggestions/ /suggestions/1/assign/ /suggestions/1/cosign/ \
      /assignments/1/reply/ /categories/ /accounts/; do
      send POST "$path" "$body"
    done
    send PATCH /suggestions/1/ "$body"
  done
  for n in $HUGE $BIG $NEG; do
    send POST /suggestions/ "{\"session\":$n,\"title\":\"t\",\"body\":\"b\",\"category\":$n,\"co_signers\":[$n]}"
    send POST /suggestions/1/assign/ "{\"lead_unit\":$n,\"co_units\":[$n]}"
    send POST /suggestions/1/merge/ "{\"into\":$n}"
    for path in /suggestions/ /assignments/ /adjustment-requests/ /notifications/; do
      send GET "$path?session=$n&category=$n&unit=$n&deputy=$n&delegation=$n&page=$n&page_size=$n"
    done
    send GET "/dashboard/?session=$n"
    for path in suggestions assignments adjustment-requests units deputies sessions; do
      send GET "/$path/$n/"
    done
    send POST "/suggestions/$n/submit/" "{}"
  done
fi

echo "malformed input: $sent requests, $failures server errors"
[ "$failures" -eq 0 ]
