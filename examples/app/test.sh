#!/usr/bin/env bash
# Smoke test of the example app on a real PostgreSQL and Redis: migrate twice (idempotent), seed,
# web answers with the seeded rows and a counter, the worker processes a queued job.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../scripts/lib/services.sh"
work=$(mktemp -d /tmp/example-app.XXXXXX)
chmod 755 "$work"
trap 'stop_services; rm -rf "$work"' EXIT

pg_port=$(free_port); redis_port=$(free_port); web_port=$(free_port)
start_postgres "$work/pg" "$pg_port"
start_redis "$work/redis" "$redis_port"
psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE app" >/dev/null

export DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/app"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
export PORT=$web_port REVIEW_APP_NAME=deploy-smoke REVIEW_APP_BRANCH=deploy-smoke REVIEW_APP_COMMIT=abc123

passed=0; failed=0
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $1" >&2; fi
}

"$here/bin/migrate" >/dev/null
"$here/bin/migrate" >/dev/null
"$here/bin/seed" >/dev/null
"$here/bin/web" 2>"$work/web.log" & track $!
"$here/bin/worker" >"$work/worker.log" 2>&1 & track $!
wait_until 20 "web /health" curl -fsS "http://127.0.0.1:$web_port/health"

api=$(curl -fsS "http://127.0.0.1:$web_port/api")
# field JSON EXPR: evaluates EXPR on the decoded JSON document d.
field() { /usr/bin/python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($2)" "$1"; }
check "page shows the branch" [ "$(field "$api" "d['branch']")" = deploy-smoke ]
check "three seeded rows" [ "$(field "$api" "len(d['items'])")" = 3 ]
check "migrate ran twice, seed once" [ "$(field "$api" "(d['migrateRuns'], d['seedRuns'])")" = "(2, 1)" ]
second=$(curl -fsS "http://127.0.0.1:$web_port/api")
check "redis counter counts visits" [ "$(field "$second" "d['counter']")" = 2 ]
check "html page names the commit" bash -c "curl -fsS http://127.0.0.1:$web_port/ | grep -q abc123"

curl -fsS -X POST --data 'make me loud' "http://127.0.0.1:$web_port/jobs" >/dev/null
job_done() { curl -fsS "http://127.0.0.1:$web_port/api" | grep -q 'MAKE ME LOUD'; }
check "worker processed the queued job" wait_until 20 "worker result" job_done

echo "example-app: $passed passed, $failed failed"
[ "$failed" = 0 ]
