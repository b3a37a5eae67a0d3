#!/usr/bin/env bash
# `make load`: the load test end to end. Creates a fresh PostgreSQL database, migrates
# it, loads the demo data, starts gunicorn (production settings) and a Celery worker,
# runs benchmarks/load.py, then stops everything and drops the database, whatever
# happens.
#
#   LOAD_PG      server URL without a database (default postgres://postgres@127.0.0.1:5432)
#   LOAD_DB      database name (default load_<time>_<pid>; it must not exist)
#   LOAD_PORT    gunicorn's port on 127.0.0.1 (default 8765)
#   WEB_WORKERS  gunicorn workers (default 2 x CPUs + 1)
#   LOAD_ARGS    extra arguments for load.py (e.g. "--users 50 --duration 60")
#   LOAD_REUSE=1 keep an existing database of that name with its demo data
set -euo pipefail
cd "$(dirname "$0")/.."

py=.venv/bin/python
pg=${LOAD_PG:-postgres://postgres@127.0.0.1:5432}
db=${LOAD_DB:-load_$(date +%s)_$$}
port=${LOAD_PORT:-8765}
workers=${WEB_WORKERS:-$((2 * $(nproc) + 1))}
scratch=$(mktemp -d)
pids=()

cleanup() {
  local status=$?
  set +e
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null
  done
  if [ -z "${LOAD_REUSE:-}" ] && [ -n "${created:-}" ]; then
    psql "$pg/postgres" -qAt -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
  fi
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DATABASE_URL="$pg/$db"
export DJANGO_VAR_DIR="$scratch/var"
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="load-test-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false
export DJANGO_SECURE_HSTS_SECONDS=0
export DJANGO_LOG_LEVEL=WARNING DJANGO_LOG_REQUESTS=false
export CELERY_TASK_ALWAYS_EAGER=false
unset EMAIL_URL

if [ -n "${LOAD_REUSE:-}" ] && psql "$pg/$db" -qAt -c 'SELECT 1' >/dev/null 2>&1; then
  echo "== reusing database $db"
else
  echo "== database $db: create, migrate, load the demo data (about 2 minutes)"
  psql "$pg/postgres" -v ON_ERROR_STOP=1 -qAt -c "CREATE DATABASE \"$db\""
  created=1
  $py manage.py migrate --noinput >/dev/null
  $py manage.py load_demo >/dev/null
fi

echo "== gunicorn on 127.0.0.1:$port with $workers workers, and a Celery worker"
.venv/bin/gunicorn --config config/gunicorn.conf.py config.wsgi:application \
  --bind "127.0.0.1:$port" --workers "$workers" >"$scratch/gunicorn.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A config worker --concurrency 1 -l warning \
  >"$scratch/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/public/" >/dev/null && break
  sleep 0.5
done

echo "== load test ($(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg))"
# shellcheck disable=SC2086
$py benchmarks/load.py --base "http://127.0.0.1:$port" ${LOAD_ARGS:-} \
  --json "${LOAD_JSON:-var/load.json}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
