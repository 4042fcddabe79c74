#!/usr/bin/env bash
# `make demo`: the whole review-apps flow on this machine. Starts the local stack on loopback
# (devstack Consul, Nomad and AWS, a shared PostgreSQL with a seeded template, the router,
# Prometheus, the controller), then does what CI does after a push of `deploy-demo`: writes that
# branch's spec to Consul with plain HTTP, as `consul kv put` would. Waits for Ready and prints
# where to look. Ctrl-C stops everything it started.
#
# Builds nothing itself (`make demo` builds first). Environment:
#   DEMO_READY_TIMEOUT  seconds to wait for Ready (default 180)
#   DEMO_HOLD_SECONDS   stop by itself after this many seconds instead of waiting for Ctrl-C
#   DEMO_KEEP_WORKDIR=1 keep the work dir (logs) after stopping; it is kept anyway on failure
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/stack.sh"

NAME=deploy-demo
READY_TIMEOUT=${DEMO_READY_TIMEOUT:-180}
status=1
stopping=0

finish() {
  ((stopping)) && return
  stopping=1
  [ -n "$STACK_DIR" ] || return 0
  trap '' INT TERM
  echo
  stack_log "stopping everything this demo started"
  stack_stop
  local left
  left=$(stack_leftovers | tr '\n' ' ')
  if [ -n "${left// /}" ]; then
    echo "demo: processes still running under $STACK_DIR: $left" >&2
    status=1
  else
    echo "demo: stopped; no process of the demo is left running (checked /proc for $STACK_DIR)"
  fi
  if [ "$status" = 0 ] && [ "${DEMO_KEEP_WORKDIR:-0}" != 1 ]; then
    rm -rf "$STACK_DIR"
  else
    echo "demo: logs kept in $STACK_DIR/logs"
  fi
}
trap 'finish; exit $status' EXIT
trap 'status=0; exit' INT TERM

stack_check_controller_jar || exit 1
stack_init demo
exec 3>&2 # phase changes are logged from inside bounded waits, which silence stderr
stack_start_infra || exit 1
stack_start_controller || exit 1

# What CI does after `git push origin deploy-demo`.
commit=$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || echo 0000000000000000000000000000000000000000)
spec="$STACK_DIR/$NAME.json"
write_spec "$spec" "$NAME" "$NAME" "$commit"
written=$(date +%s.%N)
kv_put_file "$STACK_PREFIX/specs/$NAME" "$spec" || { echo "demo: could not write the spec" >&2; exit 1; }
stack_log "spec $STACK_PREFIX/specs/$NAME written; waiting for Ready (at most ${READY_TIMEOUT}s)"

last=""
ready() {
  local p
  p=$(app_phase "$NAME")
  if [ "$p" != "$last" ]; then
    [ -n "$p" ] && stack_log "$NAME: $p" 2>&3
    last=$p
  fi
  [ "$p" = Ready ] && [ "$(router_code "$NAME")" = 200 ]
}
if ! wait_until "$READY_TIMEOUT" "$NAME to be Ready and served" ready; then
  echo "demo: $NAME is not Ready after ${READY_TIMEOUT}s (phase '${last}'). Status:" >&2
  kv_get_raw "$STACK_PREFIX/status/$NAME" >&2 || true
  echo >&2
  echo "controller log: $STACK_DIR/logs/controller.log" >&2
  exit 1
fi
took=$(/usr/bin/python3 -c "import time,sys; print('%.1f' % (time.time()-float(sys.argv[1])))" "$written")
host=$(app_host "$NAME")

cat <<EOF

============================================================================================
 review app $NAME is Ready: spec written -> first 200 through the router in ${took}s

 Through the router:   curl -H 'Host: $host' $ROUTER_HTTP/
                       curl -H 'Host: $host' $ROUTER_HTTP/api
 In a browser:         http://$host:$ROUTER_PORT/   (*.localhost resolves to 127.0.0.1)
 Queue a worker job:   curl -H 'Host: $host' -X POST --data 'hello' $ROUTER_HTTP/jobs

 Dashboard:            $DASHBOARD_HTTP/   (every app, live; this one at $DASHBOARD_HTTP/apps/$NAME)
 Status:               curl -s '$CONSUL_HTTP/v1/kv/$STACK_PREFIX/status/$NAME?raw'
 Router table:         curl -s http://127.0.0.1:$ROUTER_STATUS_PORT/router-status
 Controller metrics:   $CONTROLLER_HTTP/metrics
 Prometheus UI:        $PROM_HTTP/   (e.g. $PROM_HTTP/graph?g0.expr=review_apps)
 Nomad jobs:           curl -s $NOMAD_HTTP/v1/jobs

 Tear the branch down (what CI does when deploy-demo is deleted, like
 \`consul kv delete $STACK_PREFIX/specs/$NAME\`):
                       curl -X DELETE $CONSUL_HTTP/v1/kv/$STACK_PREFIX/specs/$NAME
 then watch the status go to Deleting and the route, jobs and database disappear.

 Logs: $STACK_DIR/logs       Ctrl-C stops everything.
============================================================================================

EOF
status=0

# Follow the app until Ctrl-C (or DEMO_HOLD_SECONDS): report phase changes and a teardown.
deadline=$((SECONDS + ${DEMO_HOLD_SECONDS:-315360000}))
gone_reported=0
while ((SECONDS < deadline)); do
  p=$(app_phase "$NAME")
  if [ "$p" != "$last" ]; then
    [ -n "$p" ] && stack_log "$NAME: $p"
    last=$p
  fi
  if ! kv_exists "$STACK_PREFIX/specs/$NAME" && ((gone_reported == 0)); then
    if [ -z "$p" ] && ! kv_exists "$STACK_PREFIX/inventory/$NAME" &&
      [ "$(json_field "$(kv_keys "$STACK_PREFIX/routes/")" "len([k for k in d if not k.endswith('/.expected')])")" = 0 ]; then
      stack_log "$NAME is gone: no spec, status, inventory or route left (router says $(router_code "$NAME"))"
      gone_reported=1
    fi
  fi
  sleep 1
done
