#!/usr/bin/env bash
# Fuzz the live REST API with schemathesis: every operation of /api/v1/schema/ gets
# generated requests (schema examples, boundary values, random and invalid data), and
# every response must be no server error (5xx) and must match the schema's response
# for its status code.
#
#   usage: .ci/schemathesis.sh BASE_URL TOKEN [LABEL]
#     BASE_URL  the server's root, e.g. http://127.0.0.1:8000 (no /api/v1)
#     TOKEN     an API token (POST /api/v1/auth/token/ {"username","password"})
#     LABEL     names the report folder (default: "run"), e.g. staff or deputy
#
#   knobs (environment): ST_MAX_EXAMPLES (default 40 per operation), ST_MAX_TIME
#   (seconds, default 150: the run's budget, which schemathesis ends gracefully;
#   `timeout` kills it 60 s later if it does not), ST_WORKERS (default 1: with
#   more, Hypothesis's generation is not thread-safe and now and then reports an
#   internal error; the server, not the client, is the bottleneck anyway),
#   ST_PHASES (default examples,coverage,fuzzing), ST_SEED, ST_REPORT_DIR.
#
# Run it locally against a scratch database with the demo data:
#
#   export DJANGO_VAR_DIR=/tmp/api-scratch
#   .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
#   .venv/bin/python manage.py runserver 127.0.0.1:8000 &
#   token() { curl -s -X POST http://127.0.0.1:8000/api/v1/auth/token/ \
#       -H 'Content-Type: application/json' \
#       -d "{\"username\":\"$1\",\"password\":\"demo2023\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/'; }
#   .ci/schemathesis.sh http://127.0.0.1:8000 "$(token staff)" staff
#   .ci/schemathesis.sh http://127.0.0.1:8000 "$(token deputy)" deputy
#
# It changes data (staff's token registers, rejects, assigns … whatever the fuzzer
# reaches), so point it at a scratch database only. Exit status: schemathesis's (0
# when every check passed), 124 when the time limit cut the run short.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,32p' "$0" >&2
  exit 2
fi
BASE=${1%/}
TOKEN=$2
LABEL=${3:-run}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ST=${SCHEMATHESIS:-$ROOT/.venv/bin/schemathesis}
REPORT_DIR=${ST_REPORT_DIR:-$ROOT/var/schemathesis}/$LABEL
mkdir -p "$REPORT_DIR"
REPORT_DIR=$(cd "$REPORT_DIR" && pwd)
# schemathesis keeps a replay cache (.schemathesis/) in its working directory.
cd "$REPORT_DIR"

args=(
  run "$BASE/api/v1/schema/"
  --url "$BASE"
  --header "Authorization: Token $TOKEN"
  # Both would end the very token the run authenticates with (and every later
  # request would only meet 401); tests/security/test_api_tokens.py covers them.
  --exclude-operation-id auth_token_revoke
  --exclude-operation-id accounts_revoke_tokens
  --checks not_a_server_error,response_schema_conformance
  --max-examples "${ST_MAX_EXAMPLES:-40}"
  --max-time "${ST_MAX_TIME:-150}"
  --phases "${ST_PHASES:-examples,coverage,fuzzing}"
  --workers "${ST_WORKERS:-1}"
  --continue-on-failure
  --request-timeout 30
  --wait-for-schema 60
  --suppress-health-check too_slow,filter_too_much
  --generation-database none
  --report junit
  --report-junit-path "$REPORT_DIR/junit.xml"
  --no-color
)
if [ -n "${ST_SEED:-}" ]; then
  args+=(--seed "$ST_SEED")
fi

echo "schemathesis ($LABEL): $BASE/api/v1/schema/, ${ST_MAX_EXAMPLES:-40} examples per operation, ${ST_MAX_TIME:-150} s"
started=$SECONDS
set +e
timeout --signal=INT --kill-after=15 "$((${ST_MAX_TIME:-150} + 60))" "$ST" "${args[@]}"
status=$?
set -e
echo "schemathesis ($LABEL): exit $status after $((SECONDS - started)) s; JUnit report in $REPORT_DIR/junit.xml"
exit "$status"
