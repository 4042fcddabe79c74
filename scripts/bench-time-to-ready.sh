#!/usr/bin/env bash
# Time to ready in shared database mode: from the spec written to Consul (as CI writes it) to the
# first 200 answered through the router for the app's host. Starts the local stack once, then for
# each variant of the controller's settings (restarted with them) creates BENCH_RUNS apps one after
# another (each torn down before the next starts, so every run sees the same empty cluster) and
# prints each time, the median, and where the median run's seconds went: each step's duration from
# the app's status.timings. The variants run side by side in one run of the stack. Not a pass/fail
# test.
#   BENCH_VARIANTS "RECHECK:WATCH ..." (default "2s:false 2s:true"): the recheck of waiting steps
#                  (2 s is the configuration's default) and whether the controller watches Nomad's
#                  allocations with a blocking query (nomad.watchAllocations)
#   BENCH_RUNS     runs per variant (default 5)
#   BENCH_TIMEOUT  seconds one app may take (default 180)
#   BENCH_TEARDOWN_TIMEOUT  seconds to wait for an app's teardown before the next run (default 60)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/stack.sh"

RUNS=${BENCH_RUNS:-5}
TIMEOUT=${BENCH_TIMEOUT:-180}
TEARDOWN_TIMEOUT=${BENCH_TEARDOWN_TIMEOUT:-60}
stack_bench_start bench || exit 1
commit=$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || echo 0000000000000000000000000000000000000000)
now() { date +%s.%N; }

# bench_variant LABEL: BENCH_RUNS apps against the running controller, then their median.
bench_variant() {
  local label=$1
  times=()
  breakdowns=()
  for i in $(seq 1 "$RUNS"); do
    name="deploy-bench-$variant_no-$i"
    write_spec "$STACK_DIR/$name.json" "$name" "$name" "$commit"
    host=$(app_host "$name")
    start=$(now)
    kv_put_file "$STACK_PREFIX/specs/$name" "$STACK_DIR/$name.json" || exit 1
    # The first 200 through the router, polled every 50 ms.
    deadline=$((SECONDS + TIMEOUT))
    until [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' -H "Host: $host" "$ROUTER_HTTP/")" = 200 ]; do
      if ((SECONDS >= deadline)); then
        echo "bench: $name not served within ${TIMEOUT}s (phase '$(app_phase "$name")')" >&2
        exit 1
      fi
      sleep 0.05
    done
    t=$(/usr/bin/python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(now)")
    times+=("$t")
    # The controller's own account of the rollout, step by step (seconds), read once Ready.
    wait_until 10 "status of $name to say Ready" eval '[ "$(app_phase "$name")" = Ready ]' >/dev/null 2>&1
    breakdowns+=("$(json_field "$(kv_get_raw "$STACK_PREFIX/status/$name")" "json.dumps(d.get('timings', {}))")")
    echo "run $i: $name spec written -> first 200 through the router in ${t}s"
    echo "       steps (s): ${breakdowns[-1]}"
    # Tear it down before the next run.
    kv_delete "$STACK_PREFIX/specs/$name"
    gone() { ! kv_exists "$STACK_PREFIX/inventory/$1" && ! kv_exists "$STACK_PREFIX/status/$1"; }
    if ! wait_until "$TEARDOWN_TIMEOUT" "teardown of $name" gone "$name" 2>/dev/null; then
      echo "note: $name not torn down within ${TEARDOWN_TIMEOUT}s; the next run shares the cluster with it"
    fi
  done

  /usr/bin/python3 - "$label" "${#times[@]}" "${times[@]}" "${breakdowns[@]}" <<'EOF'
import json, statistics, sys
label = sys.argv[1]
n = int(sys.argv[2])
t = [float(x) for x in sys.argv[3:3 + n]]
steps = [json.loads(x or "{}") for x in sys.argv[3 + n:]]
print(f"[{label}] time to ready (shared database, spec written -> first 200 through the router): "
      f"median {statistics.median(t):.2f} s of {len(t)} runs (min {min(t):.2f} s, max {max(t):.2f} s)")
median_run = sorted(range(n), key=lambda i: t[i])[(n - 1) // 2]
names = {"DatabaseReady": "database", "CapacityReady": "capacity", "RedisReady": "redis",
         "Migrated": "migrate", "Seeded": "seed", "WebReady": "web healthy",
         "WorkerReady": "worker", "Routed": "route published"}
parts = [f"{names.get(k, k)} {v:.2f}" for k, v in steps[median_run].items()]
print(f"[{label}] where the median run's {t[median_run]:.2f} s went (each step from its first run to ready,"
      f" overlapping where steps wait on one another): " + ", ".join(parts))
EOF
}
variant_no=0
for variant in ${BENCH_VARIANTS:-2s:false 2s:true}; do
  variant_no=$((variant_no + 1))
  export STACK_RECHECK=${variant%%:*} STACK_WATCH_ALLOCATIONS=${variant##*:}
  stack_kill_controller TERM
  stack_start_controller || exit 1
  bench_variant "recheck $STACK_RECHECK, allocation watch $STACK_WATCH_ALLOCATIONS"
done
ok=1
