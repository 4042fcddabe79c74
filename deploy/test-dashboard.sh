#!/usr/bin/env bash
# Every metric the Grafana dashboard (deploy/grafana/review-apps.json) and the alert rules
# (deploy/prometheus/review-apps.rules.yml) query must be one a running controller exports: a
# renamed meter would otherwise leave an empty panel or an alert that can never fire.
#
# Starts the devstack Consul and the controller (review-apps.jar, the ReviewApp reconciler
# included) on free loopback ports, writes one spec so the reconcile, workqueue and breaker
# meters have samples, scrapes /metrics and compares names. The dashboard's expressions are also
# put through `promtool check rules` so a PromQL typo fails here, not in Grafana.
#
# Minimal setup, on purpose: no PostgreSQL, Nomad or AWS. The controller starts without them
# (JDBC and Nomad are only called by a reconcile; the RDS client is built on first use), so the
# reviewapp section points at a loopback port where nothing listens. The spec's reconcile then
# fails at the database step and is retried: the error and retry series and the postgres
# breaker's call timers get samples, which is all a name check needs. That an app reaches Ready
# is the end-to-end test's business (scripts/e2e-test.sh).
#
# Jars: built by `make test` before this runs; DEVSTACK_JAR / CONTROLLER_JAR override.
set -euo pipefail
DEPLOY=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$DEPLOY/.." && pwd)
source "$REPO_ROOT/scripts/lib/stack.sh"
PY=/usr/bin/python3 # Debian's, as stack.sh uses: a pyenv shim may shadow python3
NAMES="$DEPLOY/lib/promql_names.py"

stack_check_controller_jar || exit 1
[ -f "$DEVSTACK_JAR" ] || { echo "missing $DEVSTACK_JAR (run: make build)" >&2; exit 1; }

stack_init dashboard-test
trap 'stack_stop; rm -rf "$STACK_DIR"' EXIT
work=$STACK_DIR
# Copies, as stack.sh takes them: a rebuild of a jar while it runs pulls classes from under the JVM.
cp "$DEVSTACK_JAR" "$work/devstack.jar" && DEVSTACK_JAR="$work/devstack.jar"
cp "$CONTROLLER_JAR" "$work/review-apps.jar" && CONTROLLER_JAR="$work/review-apps.jar"

# Grafana's shape: schema version, the ${datasource} variable on every query, unique ids, panels
# inside the grid and not on top of each other.
"$PY" "$NAMES" lint "$DEPLOY/grafana/review-apps.json" || { echo "FAIL: dashboard shape (above)" >&2; exit 1; }
# The dashboard's PromQL parses (Grafana's variables replaced by values PromQL accepts).
"$PY" "$NAMES" exprs "$DEPLOY/grafana/review-apps.json" "$DEPLOY/prometheus/review-apps.rules.yml" \
  >"$work/exprs.tsv"
rules=$(promtool check rules "$DEPLOY/prometheus/review-apps.rules.yml" | sed -n 's/.*SUCCESS: \([0-9]*\) rules found.*/\1/p')
parsed=$(grep -c '^alert rule ' "$work/exprs.tsv" || true)
# The small YAML reader in promql_names.py must have seen every rule promtool counts.
if [ "$rules" != "$parsed" ]; then
  echo "FAIL: promtool counts $rules alert rules, the name extraction read $parsed" >&2
  exit 1
fi
"$PY" "$NAMES" recording "$work/exprs.tsv" >"$work/dashboard-exprs.rules.yml"
promtool check rules "$work/dashboard-exprs.rules.yml" >"$work/promtool.log" 2>&1 || {
  echo "FAIL: a dashboard expression does not parse:" >&2
  cat "$work/promtool.log" >&2
  exit 1
}
echo "dashboard: $(grep -c '^dashboard ' "$work/exprs.tsv") expressions parse; alert rules: $parsed"

stack_start_consul
nowhere=$(free_port) # nothing listens here: PostgreSQL and Nomad calls fail at once
http_port=$(free_port)
cat >"$work/controller.json" <<EOF
{
  "consul": { "address": "$CONSUL_HTTP" },
  "prefix": "$STACK_PREFIX/",
  "controller": { "backoff": { "base": "200ms", "max": "2s" } },
  "leader": { "ttl": "5s", "lockDelay": "1s" },
  "http": { "bind": "127.0.0.1", "port": $http_port },
  "reviewapp": {
    "hostTemplate": "{name}.review.test",
    "dashboard": { "port": 0 },
    "nomad": { "address": "http://127.0.0.1:$nowhere", "driver": "raw_exec" },
    "database": {
      "shared": { "jdbcUrl": "jdbc:postgresql://127.0.0.1:$nowhere/postgres", "endpoint": "127.0.0.1:$nowhere",
                  "templates": "shop_seed" }
    }
  }
}
EOF
# The file says everything; the caller's CONSUL_HTTP_*, NOMAD_*, REVIEW_APPS_* would override it.
# shellcheck disable=SC2046
env $(env | sed -n 's/^\(CONSUL_HTTP_[A-Z_]*\|NOMAD_[A-Z_]*\|AWS_[A-Z_]*\|REVIEW_APPS_[A-Z_]*\)=.*/-u \1/p') \
  java $STACK_JAVA_OPTS -jar "$CONTROLLER_JAR" controller --config "$work/controller.json" \
  >"$work/logs/controller.log" 2>&1 &
stack_track controller $!
metrics="http://127.0.0.1:$http_port/metrics"
stack_wait controller 90 "controller /readyz on $http_port" http_ok "http://127.0.0.1:$http_port/readyz" ||
  { stack_fail controller "$work/logs/controller.log"; exit 1; }

# One spec (the example, renamed to its key) so that reconciles happen.
"$PY" - "$REPO_ROOT/examples/specs/shared-database.json" >"$work/spec.json" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["metadata"]["name"] = spec["spec"]["branch"] = "deploy-dashboard-test"
print(json.dumps(spec))
EOF
curl -fsS -o /dev/null -X PUT --data-binary @"$work/spec.json" \
  "$CONSUL_HTTP/v1/kv/$STACK_PREFIX/specs/deploy-dashboard-test"

# Reconciled at least twice (the first attempt and a retry), and the failed database calls have
# gone through the postgres breaker.
reconciled() {
  curl -fsS -m 2 "$metrics" >"$work/metrics.txt" || return 1
  awk '/^controller_runtime_reconcile_total\{/ {n += $2} END {exit !(n >= 2)}' "$work/metrics.txt" &&
    awk '/^resilience4j_circuitbreaker_calls_seconds_count\{.*name="postgres"/ {n += $2} END {exit !(n >= 1)}' "$work/metrics.txt"
}
stack_wait controller 60 "two reconciles of the spec" reconciled ||
  { stack_fail controller "$work/logs/controller.log"; exit 1; }
echo "controller exports $(grep -vc '^#' "$work/metrics.txt") samples"

# A Prometheus scraping it every second answers each panel's query: a label or a join that
# matches nothing would leave an empty panel even with every name right.
prom_port=$(free_port)
mkdir -p "$work/prometheus"
cat >"$work/prometheus/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: review-apps-controller
    static_configs:
      - targets: ['127.0.0.1:$http_port']
EOF
prometheus --config.file="$work/prometheus/prometheus.yml" --storage.tsdb.path="$work/prometheus/data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/logs/prometheus.log" 2>&1 &
stack_track prometheus $!
prom="http://127.0.0.1:$prom_port"
# Five scrapes: enough for rate() over the 30 s that stands in for $__rate_interval.
scraped() {
  curl -fsS -m 2 "$prom/api/v1/query" --data-urlencode \
    'query=count_over_time(up{job="review-apps-controller"}[1m]) >= 5' | grep -q '"value"'
}
stack_wait prometheus 60 "five scrapes of the controller" scraped ||
  { stack_fail prometheus "$work/logs/prometheus.log"; exit 1; }

status=0
"$PY" "$NAMES" check "$work/exprs.tsv" "$work/metrics.txt" || status=1
"$PY" "$NAMES" evaluate "$work/exprs.tsv" "$work/metrics.txt" "$prom" review-apps-controller || status=1
if [ "$status" = 0 ]; then
  echo "dashboard and alert rules: every queried metric is exported; every panel answers"
else
  echo "FAIL: the dashboard or the alert rules query metrics this controller does not export, or a panel answers nothing (above)" >&2
  exit 1
fi
