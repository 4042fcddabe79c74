#!/usr/bin/env bash
# Sleep on idle, measured on the local stack (devstack, shared database mode, the real router):
#  1. wake latency: BENCH_WAKES times, the app is put to sleep (reviewctl sleep --wait, until no
#     web process is left) and one plain request is sent through the router; the time from that
#     request to its 200 (the router holds it while the app wakes) is one wake. Prints each, the
#     median and the p95;
#  2. no lost requests: 20 concurrent clients hit the sleeping app; prints how many got 200 and
#     how many wakes the router asked for and the controller counted (both should be 1).
# Not a pass/fail test; `make bench` runs it.
#   BENCH_WAKES    wakes measured (default 10)
#   BENCH_CLIENTS  concurrent clients of part 2 (default 20)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/stack.sh"

WAKES=${BENCH_WAKES:-10}
CLIENTS=${BENCH_CLIENTS:-20}
stack_bench_start bench-sleep || exit 1
commit=$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || echo 0000000000000000000000000000000000000000)
now() { date +%s.%N; }
elapsed() { /usr/bin/python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(now)"; }
name=deploy-sleeper
host=$(app_host "$name")
write_spec "$STACK_DIR/$name.json" "$name" "$name" "$commit"
kv_put_file "$STACK_PREFIX/specs/$name" "$STACK_DIR/$name.json" || exit 1
wait_until 180 "$name Ready" eval '[ "$(app_phase "$name")" = Ready ]' || exit 1

# Asleep: phase Sleeping and the web step says no allocation is left.
asleep() {
  [ "$(json_field "$(kv_get_raw "$STACK_PREFIX/status/$name")" \
    "[c['reason'] for c in d['conditions'] if c['type'] == 'WebReady'][0]")" = Sleeping ]
}
put_to_sleep() {
  ci_reviewctl sleep "$name" --wait --timeout 60s >>"$STACK_DIR/logs/reviewctl.log" 2>&1 &&
    wait_until 60 "$name asleep" asleep
}
metric() { # metric URL NAME: the sum of a counter's samples
  curl -fsS -m 5 "$1" | awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $2 } END { print s + 0 }'
}

times=()
for i in $(seq 1 "$WAKES"); do
  put_to_sleep || exit 1
  start=$(now)
  code=$(curl -s -o /dev/null -m 60 -w '%{http_code}' -H "Host: $host" "$ROUTER_HTTP/")
  t=$(elapsed "$start")
  echo "wake $i: held request answered $code in ${t}s"
  [ "$code" = 200 ] || exit 1
  times+=("$t")
done

put_to_sleep || exit 1
router_wakes=$(metric "http://127.0.0.1:$ROUTER_STATUS_PORT/metrics" router_wake_requests_total)
controller_wakes=$(metric "$CONTROLLER_HTTP/metrics" review_apps_wakes_total)
clients=()
for c in $(seq 1 "$CLIENTS"); do
  curl -s -o /dev/null -m 60 -w '%{http_code}\n' -H "Host: $host" "$ROUTER_HTTP/" >"$STACK_DIR/client-$c" &
  clients+=($!)
done
# Only the clients: a bare `wait` would wait for the stack's servers too.
wait "${clients[@]}"
got=$(cat "$STACK_DIR"/client-* | grep -c '^200$')
codes=$(cat "$STACK_DIR"/client-* | sort | uniq -c | tr -s ' \n' ' ')
wait_until 30 "$name Ready" eval '[ "$(app_phase "$name")" = Ready ]' >/dev/null 2>&1
router_wakes=$(($(metric "http://127.0.0.1:$ROUTER_STATUS_PORT/metrics" router_wake_requests_total) - router_wakes))
controller_wakes=$(/usr/bin/python3 -c "print(int($(metric "$CONTROLLER_HTTP/metrics" review_apps_wakes_total) - $controller_wakes))")

/usr/bin/python3 - "${times[@]}" <<PY
import statistics, sys
t = sorted(float(x) for x in sys.argv[1:])
p95 = t[min(len(t) - 1, int(round(0.95 * len(t) + 0.5)) - 1)]
print(f"wake latency (sleeping -> 200 for a held request through the router): median {statistics.median(t):.2f} s,"
      f" p95 {p95:.2f} s of {len(t)} wakes (min {t[0]:.2f} s, max {t[-1]:.2f} s)")
print("$CLIENTS concurrent clients on a sleeping app: $got answered 200 [$codes]; wakes asked by the router: $router_wakes, counted by the controller: $controller_wakes")
PY
ok=1
