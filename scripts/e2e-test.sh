#!/usr/bin/env bash
# End-to-end test of review-apps on loopback, against the stack `make demo` runs:
#  1. a local bare Git repository with branches deploy-a and deploy-b; their specs are written
#     (as CI would, with plain HTTP) and their assets uploaded to S3;
#  2. both become Ready; through the router each host shows its own branch, commit, seeded rows
#     and a working worker (a job queued is processed, in its own database only);
#  3. a new commit on deploy-a: the migration runs again, the seed does not, and a client polling
#     through the router during the rollout sees no error responses;
#  5. (during 3) the controller is killed with SIGKILL mid-rollout and started again; the end
#     state is the same (one database, one route upstream, the new commit served);
#  6. deploy-b is put to sleep (reviewctl sleep): no web or worker process is left, a browser gets
#     the waiting page, and a plain request through the router wakes it and is answered by the
#     app; then it is put to sleep again, so that 4 tears down a sleeping app;
#  4. deploy-b is deleted from the bare repository: within one GC period every trace of it is
#     gone (route, Nomad jobs and processes, database and role, credentials and every other KV
#     key, status, inventory, S3 assets) and deploy-a still serves;
#  7. the GitHub stand-in (scripts/lib/fake_github.py) was told each commit as a deployment whose
#     statuses follow the app (deploy-b: in_progress, success with its URL, inactive after the
#     teardown) and holds one comment per pull request, edited in place.
# The stack runs as production does (STACK_SECURE=1, see scripts/lib/stack.sh): Consul and Nomad
# over mutual TLS only, Consul enforcing ACLs with deploy/acl/'s policies, and the controller, the
# router and CI (reviewctl) each with its own certificate and token. E2E_SECURE=0 runs it plain.
# Also (2c) the dashboard lists both apps and shows deploy-a's conditions, allocations and log.
# Prints `e2e: N passed, M failed`; exit status 0 only when nothing failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export STACK_SECURE=${E2E_SECURE:-1}
source "$here/lib/stack.sh"

READY_TIMEOUT=${E2E_READY_TIMEOUT:-240}
GC_INTERVAL_SECONDS=${E2E_GC_INTERVAL_SECONDS:-10}
TEARDOWN_TIMEOUT=${E2E_TEARDOWN_TIMEOUT:-90}

passed=0
failed=0
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then
    passed=$((passed + 1))
    echo "ok     $1"
  else
    failed=$((failed + 1))
    echo "FAILED $1"
  fi
}
note() { echo "note   $*"; }
fail_now() { # a step that the rest depends on did not happen
  failed=$((failed + 1))
  echo "FAILED $1"
  echo "e2e: stopping early; logs in $STACK_DIR/logs"
  exit 1
}

finished=0
finish() {
  ((finished)) && return
  finished=1
  [ -n "$STACK_DIR" ] || return 0
  trap '' INT TERM
  stack_stop
  local left
  left=$(stack_leftovers | tr '\n' ' ')
  check "nothing the test started is left running" [ -z "${left// /}" ]
  echo "e2e: $passed passed, $failed failed"
  if [ "$failed" = 0 ] && [ "${E2E_KEEP_WORKDIR:-0}" != 1 ]; then
    rm -rf "$STACK_DIR"
  else
    echo "e2e: work dir and logs kept in $STACK_DIR"
  fi
}
trap 'finish; if [ "$failed" = 0 ]; then exit 0; else exit 1; fi' EXIT
trap 'echo "e2e: interrupted"; failed=$((failed + 1)); exit 1' INT TERM

stack_check_controller_jar || { failed=1; echo "e2e: 0 passed, 1 failed"; exit 1; }
stack_init e2e

# --- 1. the repository, as the Git host CI pushes to ---------------------------------------
repo="$STACK_DIR/repo.git"
work="$STACK_DIR/checkout"
git_q() {
  git -c user.name=e2e -c user.email=e2e@example.invalid -c init.defaultBranch=main "$@" \
    >>"$STACK_DIR/logs/git.log" 2>&1
}
git_q init --bare "$repo" && git_q init "$work" && git_q -C "$work" remote add origin "$repo" &&
  echo "review-apps e2e" >"$work/README" && git_q -C "$work" add README &&
  git_q -C "$work" commit -m "first commit" && git_q -C "$work" push origin HEAD:main ||
  fail_now "bare repository created (see $STACK_DIR/logs/git.log)"
for b in deploy-a deploy-b; do
  git_q -C "$work" checkout -b "$b" main && echo "$b" >"$work/branch.txt" &&
    git_q -C "$work" add branch.txt && git_q -C "$work" commit -m "work on $b" &&
    git_q -C "$work" push origin "$b" || fail_now "branch $b pushed"
done
commit_a=$(git -C "$repo" rev-parse deploy-a)
commit_b=$(git -C "$repo" rev-parse deploy-b)

export STACK_GIT_REPO="$repo" STACK_GC_INTERVAL="${GC_INTERVAL_SECONDS}s" STACK_GC_GRACE=0s
stack_start_infra || fail_now "the stack starts"
stack_start_github deploy-a=11 deploy-b=12 || fail_now "the GitHub stand-in starts"
stack_start_controller || fail_now "the controller starts"

s3_put_asset() { curl -fsS -o /dev/null -X PUT --data "/* $1 */" "$AWS_HTTP/$STACK_ASSETS_BUCKET/assets/$1/app.css"; }
s3_asset_count() {
  curl -fsS "$AWS_HTTP/$STACK_ASSETS_BUCKET?list-type=2&prefix=assets/$1/" 2>/dev/null | grep -o '<Key>' | wc -l
}
put_spec() { # put_spec NAME COMMIT: as CI does, with reviewctl; prints the key's ModifyIndex
  write_spec "$STACK_DIR/$1.json" "$1" "$1" "$2"
  ci_reviewctl apply -f "$STACK_DIR/$1.json" >>"$STACK_DIR/logs/reviewctl.log" 2>&1 || return 1
  json_field "$(consul_curl -fsS "$CONSUL_HTTP/v1/kv/$STACK_PREFIX/specs/$1")" "d[0]['ModifyIndex']"
}
status_field() { # status_field NAME EXPR (on the status document d), empty when there is none
  local s
  s=$(kv_get_raw "$STACK_PREFIX/status/$1" 2>/dev/null) || return 0
  json_field "$s" "$2" 2>/dev/null || true
}
api() { router_get "$1" /api; }
api_field() { local j; j=$(api "$1") && json_field "$j" "$2"; }
ready_and_served() { [ "$(app_phase "$1")" = Ready ] && [ "$(router_code "$1")" = 200 ]; }
# PIDs of the processes Nomad runs for an app's jobs (NOMAD_JOB_ID is the app name, or the name
# and .seed.<release> / .migrate.<release>).
app_pids() {
  local e
  for e in /proc/[0-9]*/environ; do
    if { tr '\0' '\n' <"$e" | grep -qE "^NOMAD_JOB_ID=$1(\.(seed|migrate)\.[^ ]*)?\$"; } 2>/dev/null; then
      e=${e#/proc/}
      echo "${e%/environ}"
    fi
  done
}
psql_q() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAq -c "$1"; }
db_count() { psql_q "SELECT count(*) FROM pg_database WHERE datname LIKE '%$(echo "$1" | tr - _)%'"; }
role_count() { psql_q "SELECT count(*) FROM pg_roles WHERE rolname LIKE '%$(echo "$1" | tr - _)%'"; }
kv_keys_naming() { # every KV key anywhere that names the app
  json_field "$(kv_keys "")" "'\n'.join(k for k in d if '$1' in k)"
}
nomad_jobs_of() {
  json_field "$(nomad_curl -fsS "$NOMAD_HTTP/v1/jobs?prefix=$1")" "' '.join(j['ID'] for j in d if j['ID'] == '$1' or j['ID'].startswith('$1.'))"
}

echo "--- 1. specs for deploy-a and deploy-b, assets in S3"
for name in deploy-a deploy-b; do s3_put_asset "$name"; done
check "CI's assets are in S3 for both apps" [ "$(s3_asset_count deploy-a)$(s3_asset_count deploy-b)" = 11 ]
put_spec deploy-a "$commit_a" >/dev/null || fail_now "spec deploy-a written"
put_spec deploy-b "$commit_b" >/dev/null || fail_now "spec deploy-b written"

echo "--- 2. both Ready and served through the router"
both_ready() { ready_and_served deploy-a && ready_and_served deploy-b; }
wait_until "$READY_TIMEOUT" "deploy-a and deploy-b Ready" both_ready ||
  fail_now "deploy-a and deploy-b Ready within ${READY_TIMEOUT}s (phases: a=$(app_phase deploy-a) b=$(app_phase deploy-b))"
check "both Ready within ${READY_TIMEOUT}s" true
for name in deploy-a deploy-b; do
  commit=$commit_a
  [ "$name" = deploy-b ] && commit=$commit_b
  j=$(api "$name") || j='{}'
  check "$name: page shows its branch" [ "$(json_field "$j" "d.get('branch')")" = "$name" ]
  check "$name: page shows its commit" [ "$(json_field "$j" "d.get('commit')")" = "$commit" ]
  check "$name: three seeded rows from its database" [ "$(json_field "$j" "len(d.get('items', []))")" = 3 ]
  check "$name: status URL names its host" [ "$(status_field "$name" "d.get('url','')")" = "http://$(app_host "$name")" ]
  curl -fsS -o /dev/null -m 5 -H "Host: $(app_host "$name")" -X POST --data "job for $name" "$ROUTER_HTTP/jobs"
  upper=$(echo "job for $name" | tr a-z A-Z)
  processed() { api_field "$1" "'$2' in str(d.get('results'))" | grep -q True; }
  check "$name: its worker processed a queued job" wait_until 30 "worker of $name" processed "$name" "$upper"
done
check "deploy-b does not see deploy-a's job (own database)" \
  bash -c "! curl -fsS -H 'Host: $(app_host deploy-b)' $ROUTER_HTTP/api | grep -q 'JOB FOR DEPLOY-A'"
check "one database and one role per app" [ "$(db_count deploy-a)$(role_count deploy-a)$(db_count deploy-b)$(role_count deploy-b)" = 1111 ]
prom_query() { curl -fsS -G "$PROM_HTTP/api/v1/query" --data-urlencode "query=$1"; }
prom_sees() { prom_query "$1" | grep -q "\"value\":\[[0-9.]*,\"$2\"\]"; }
check "Prometheus scrapes the controller (up == 1)" wait_until 30 "Prometheus scrape" prom_sees 'up{job="review-apps-controller"}' 1
check "Prometheus has review_apps{phase=\"Ready\"} == 2" wait_until 30 "review_apps metric" prom_sees 'sum(review_apps{phase="Ready"})' 2

echo "--- 2c. the dashboard"
dash() { curl -fsS -m 5 "$DASHBOARD_HTTP$1"; }
dash_lists_both() { [ "$(dash / | grep -c 'class="phase phase-ready">Ready<')" = 2 ]; }
check "the dashboard lists deploy-a and deploy-b as Ready" wait_until 10 "dashboard list" dash_lists_both
# The page is read whole before it is searched: with pipefail, `curl | grep -q` fails whenever
# grep finds its match before curl has written the rest (curl: Failed writing body).
dash_page_shows() {
  local page
  page=$(dash /apps/deploy-a) || return 1
  grep -q "<td>WebReady</td>" <<<"$page" && grep -q "<td>Ready</td>" <<<"$page" \
    && grep -q "web listening on" <<<"$page"
}
check "deploy-a's dashboard page shows its rollout, its web allocation and its web log" \
  wait_until 10 "dashboard page" dash_page_shows

if [ "$STACK_SECURE" = 1 ]; then
  echo "--- 2a. TLS and least privilege"
  # as_who WHO ARGS...: curl to Consul with that component's certificate and token.
  as_who() {
    local who=$1; shift
    curl -s -o /dev/null -w '%{http_code}' --cacert "$STACK_PKI/ca.pem" --cert "$STACK_PKI/$who.pem" \
      --key "$STACK_PKI/$who.key" -H "@$STACK_PKI/$who.header" "$@"
  }
  kv_url="$CONSUL_HTTP/v1/kv/$STACK_PREFIX"
  check "Consul answers no plain HTTP" eval '! curl -fs -m 2 -o /dev/null "http://$CONSUL_ADDR/v1/status/leader"'
  check "Consul refuses a client without a certificate" \
    eval '! curl -fs -m 2 -o /dev/null --cacert "$STACK_PKI/ca.pem" "$CONSUL_HTTP/v1/status/leader"'
  check "Nomad refuses a client without a certificate" \
    eval '! curl -fs -m 2 -o /dev/null --cacert "$STACK_PKI/ca.pem" "$NOMAD_HTTP/v1/jobs"'
  check "CI reads deploy-a's status but not its secrets or inventory" \
    eval '[ "$(as_who ci "$kv_url/status/deploy-a")$(as_who ci "$kv_url/secrets/deploy-a")$(as_who ci "$kv_url/inventory/deploy-a")" = 200403403 ]'
  check "CI cannot write routes/" eval '[ "$(as_who ci -X PUT --data 6.6.6.6:1 "$kv_url/routes/evil.$STACK_DOMAIN")" = 403 ]'
  check "the router cannot read secrets/ or write routes/" \
    eval '[ "$(as_who router "$kv_url/secrets/deploy-a")$(as_who router -X PUT --data x "$kv_url/routes/x")" = 403403 ]'
  token_logged() {
    local t
    for t in "$STACK_PKI"/*.token; do
      grep -rqF -- "$(cat "$t")" "$STACK_DIR/logs" "$STACK_DIR/router/logs" && return 0
    done
    return 1
  }
  check "no token appears in any log" eval '! token_logged'
fi


echo "--- 2b. hostile specs: one clones the server's postgres database, one has no valid name"
# deploy-a--x would have met deploy-a's resource names under earlier naming schemes. Both branches
# exist, so that the branch GC leaves the specs to this check.
git_q -C "$work" push origin main:refs/heads/deploy-evil main:refs/heads/deploy-a--x ||
  fail_now "hostile branches pushed"
write_spec "$STACK_DIR/evil.json" deploy-evil deploy-evil 0123abcd
sed -i "s/\"template\": \"$STACK_TEMPLATE_DB\"/\"template\": \"postgres\"/" "$STACK_DIR/evil.json"
kv_put_file "$STACK_PREFIX/specs/deploy-evil" "$STACK_DIR/evil.json" || fail_now "hostile spec written"
write_spec "$STACK_DIR/evil2.json" deploy-a--x deploy-a--x 0123abcd
kv_put_file "$STACK_PREFIX/specs/deploy-a--x" "$STACK_DIR/evil2.json" || fail_now "hostile key written"
evil_failed() { [ "$(app_phase deploy-evil)" = Failed ]; }
evil_names_allowed() {
  [[ "$(kv_get_raw "$STACK_PREFIX/status/deploy-evil")" == *"allowed: $STACK_TEMPLATE_DB"* ]]
}
double_dash_untouched() { [ -z "$(kv_keys_naming 'deploy-a--x' | grep -v '/specs/')" ]; }
check "the spec cloning postgres is Failed" wait_until 30 "deploy-evil Failed" evil_failed
check "its status names the allowed templates" evil_names_allowed
check "nothing was cloned for it (no database, no role)" [ "$(db_count deploy-evil)$(role_count deploy-evil)" = 00 ]
check "the key deploy-a--x got no status, inventory or phase key" double_dash_untouched
check "deploy-a still serves" ready_and_served deploy-a
kv_delete "$STACK_PREFIX/specs/deploy-evil"
kv_delete "$STACK_PREFIX/specs/deploy-a--x"

echo "--- 3+5. new commit on deploy-a, controller killed mid-rollout"
before=$(api deploy-a) || before='{}'
migrate_before=$(json_field "$before" "d.get('migrateRuns')")
seed_before=$(json_field "$before" "d.get('seedRuns')")
echo "v2" >"$work/feature.txt"
git_q -C "$work" checkout deploy-a && git_q -C "$work" add feature.txt &&
  git_q -C "$work" commit -m "deploy-a: second commit" && git_q -C "$work" push origin deploy-a ||
  fail_now "second commit pushed to deploy-a"
commit_a2=$(git -C "$repo" rev-parse deploy-a)

polls="$STACK_DIR/poll-codes.txt"
: >"$polls"
(
  while :; do
    curl -s -o /dev/null -m 5 -w '%{http_code}\n' -H "Host: $(app_host deploy-a)" "$ROUTER_HTTP/" >>"$polls"
    sleep 0.05
  done
) &
stack_track poller $!

index_a2=$(put_spec deploy-a "$commit_a2") || fail_now "updated spec deploy-a written"
# Mid-rollout: the controller has taken the new spec up and the app is not Ready with it yet.
rollout_started() {
  [ "$(status_field deploy-a "d.get('observedIndex')")" = "$index_a2" ] &&
    [ "$(app_phase deploy-a)" != Ready ]
}
if wait_until 60 "the rollout of $commit_a2 to start" rollout_started; then
  note "killing the controller (SIGKILL) in phase $(app_phase deploy-a), mid-rollout"
  killed_mid=1
else
  note "did not see the rollout in progress (phase $(app_phase deploy-a)); killing the controller anyway"
  killed_mid=0
fi
stack_kill_controller KILL
check "controller killed while the rollout was in progress" [ "$killed_mid" = 1 ]
stack_start_controller || fail_now "the controller starts again"

rolled_out() {
  [ "$(status_field deploy-a "d.get('observedIndex')")" = "$index_a2" ] &&
    ready_and_served deploy-a && [ "$(api_field deploy-a "d.get('commit')")" = "$commit_a2" ]
}
check "deploy-a Ready with the new commit after the restart" wait_until "$READY_TIMEOUT" "deploy-a at $commit_a2" rolled_out
sleep 2
stop_pid "$(stack_pid poller)" 5
after=$(api deploy-a) || after='{}'
migrate_after=$(json_field "$after" "d.get('migrateRuns')")
seed_after=$(json_field "$after" "d.get('seedRuns')")
check "the migration ran once more ($migrate_before -> $migrate_after)" [ "$migrate_after" = "$((migrate_before + 1))" ]
check "the seed did not run again ($seed_before -> $seed_after)" [ "$seed_after" = "$seed_before" ]
total=$(wc -l <"$polls")
bad=$(grep -vc '^200$' "$polls")
check "poller through the router saw no error responses ($bad of $total not 200)" eval '[ "$bad" = 0 ] && [ "$total" -gt 10 ]'
[ "$bad" = 0 ] || note "poller status codes: $(sort "$polls" | uniq -c | tr '\n' ' ')"
check "deploy-a still has one database and one role" [ "$(db_count deploy-a)$(role_count deploy-a)" = 11 ]
route_a=$(kv_get_raw "$STACK_PREFIX/routes/$(app_host deploy-a)" 2>/dev/null || true)
check "deploy-a's route has one upstream ($route_a)" eval '[ -n "$route_a" ] && [[ "$route_a" != *,* ]]'

echo "--- 6. deploy-b sleeps, and a request through the router wakes it"
awake_pids=$(app_pids deploy-b | wc -l)
ci_reviewctl sleep deploy-b --wait --timeout 60s >>"$STACK_DIR/logs/reviewctl.log" 2>&1
check "reviewctl sleep: deploy-b Sleeping" [ "$(app_phase deploy-b)" = Sleeping ]
# Web stops after its shutdown_delay (webShutdownDelay, 30 s), so that requests in flight finish;
# the controller says Sleeping on WebReady once no allocation is left.
web_asleep() { [ "$(status_field deploy-b "[c['reason'] for c in d['conditions'] if c['type'] == 'WebReady'][0]")" = Sleeping ]; }
check "the controller saw web and worker of deploy-b stop" wait_until 90 "web and worker of deploy-b to stop" web_asleep
asleep_pids() { [ "$(app_pids deploy-b | wc -l)" = 1 ]; }
check "only Redis runs while deploy-b sleeps ($awake_pids processes awake)" wait_until 15 "only Redis of deploy-b" asleep_pids
page=$(curl -s -m 5 -H "Host: $(app_host deploy-b)" -H 'Accept: text/html' -w ' %{http_code}' "$ROUTER_HTTP/")
check "a browser gets the waiting page at once" eval '[[ "$page" == *"Waking up deploy-b"*" 503" ]]'
woken_at=$SECONDS
held=$(curl -s -m 40 -H "Host: $(app_host deploy-b)" -w ' %{http_code}' "$ROUTER_HTTP/api")
check "a held request is answered by the woken app ($((SECONDS - woken_at))s)" eval '[[ "$held" == *"deploy-b"*" 200" ]]'
check "deploy-b Ready again after the wake" wait_until 30 "deploy-b Ready" ready_and_served deploy-b
ci_reviewctl sleep deploy-b --wait --timeout 60s >>"$STACK_DIR/logs/reviewctl.log" 2>&1
check "deploy-b asleep again before its branch goes" [ "$(app_phase deploy-b)" = Sleeping ]

echo "--- 4. deploy-b deleted from the repository"
pids_b=$(app_pids deploy-b | tr '\n' ' ')
check "deploy-b has processes running before the deletion" [ -n "${pids_b// /}" ]
git_q -C "$work" push origin --delete deploy-b || fail_now "deploy-b deleted from the repository"
deleted_at=$SECONDS
spec_gone() { ! kv_exists "$STACK_PREFIX/specs/deploy-b"; }
gc_wait=$((2 * GC_INTERVAL_SECONDS + 5))
if wait_until "$gc_wait" "the garbage collector to delete spec deploy-b" spec_gone; then
  check "the garbage collector deleted deploy-b's spec $((SECONDS - deleted_at))s after the branch went" true
else
  echo "FAILED the garbage collector did not delete deploy-b's spec within ${gc_wait}s of the branch deletion"
  failed=$((failed + 1))
  note "deleting the spec key as CI's cleanup job would, to check the teardown itself"
  kv_delete "$STACK_PREFIX/specs/deploy-b"
fi
gone_b() {
  [ -z "$(kv_keys_naming deploy-b)" ] && [ -z "$(nomad_jobs_of deploy-b)" ] &&
    [ -z "$(app_pids deploy-b)" ] && [ "$(db_count deploy-b)$(role_count deploy-b)" = 00 ] &&
    [ "$(s3_asset_count deploy-b)" = 0 ]
}
wait_until "$TEARDOWN_TIMEOUT" "every trace of deploy-b to go" gone_b
note "teardown of deploy-b took $((SECONDS - deleted_at))s from the branch deletion"
check "no route for deploy-b" eval '! kv_exists "$STACK_PREFIX/routes/$(app_host deploy-b)"'
check "no status or inventory for deploy-b" eval '! kv_exists "$STACK_PREFIX/status/deploy-b" && ! kv_exists "$STACK_PREFIX/inventory/deploy-b"'
left_keys=$(kv_keys_naming deploy-b | tr '\n' ' ')
check "no Consul key names deploy-b (credentials included) [${left_keys}]" [ -z "${left_keys// /}" ]
left_jobs=$(nomad_jobs_of deploy-b)
check "no Nomad job of deploy-b [${left_jobs}]" [ -z "$left_jobs" ]
left_pids=$(app_pids deploy-b | tr '\n' ' ')
check "no process of deploy-b [${left_pids}]" [ -z "${left_pids// /}" ]
check "no database or role of deploy-b" [ "$(db_count deploy-b)$(role_count deploy-b)" = 00 ]
check "no S3 assets of deploy-b" [ "$(s3_asset_count deploy-b)" = 0 ]
check "the router answers 404 for deploy-b" [ "$(router_code deploy-b)" = 404 ]

echo "--- 7. what GitHub was told (the stand-in's record)"
gh_state() { curl -fsS -m 5 "$STACK_GITHUB_API/_state"; }
gh_field() { json_field "$(gh_state)" "$1"; }
# deploy-b: one commit, so one deployment; its statuses end inactive after the teardown.
gh_b_states="[s['state'] for s in d['statuses'] if s['deployment'] in [x['id'] for x in d['deployments'] if x['environment'] == 'deploy-b']]"
gh_b_inactive() { [ "$(gh_field "($gh_b_states or [''])[-1]")" = inactive ]; }
check "deploy-b's GitHub deployment ends inactive after its teardown" wait_until 30 "deploy-b inactive on GitHub" gh_b_inactive
check "deploy-b: one transient deployment, in_progress then success with its URL" eval \
  '[ "$(gh_field "len([x for x in d[\"deployments\"] if x[\"environment\"] == \"deploy-b\" and x[\"transient_environment\"]])")" = 1 ] &&
   [ "$(gh_field "\"in_progress\" in $gh_b_states and \"success\" in $gh_b_states")" = True ] &&
   [ "$(gh_field "any(s[\"environment_url\"] == \"http://$(app_host deploy-b)\" for s in d[\"statuses\"])")" = True ]'
check "deploy-a: a deployment per commit (2), the newest success" eval \
  '[ "$(gh_field "len([x for x in d[\"deployments\"] if x[\"environment\"] == \"deploy-a\"])")" = 2 ]'
gh_b_comment="[c for c in d['comments'].values() if c['issue'] == 12]"
check "deploy-b's pull request has one comment, edited in place, saying it is deleted" eval \
  '[ "$(gh_field "len($gh_b_comment)")" = 1 ] && [ "$(gh_field "$gh_b_comment[0][\"edits\"] > 0 and \"deleted\" in $gh_b_comment[0][\"body\"]")" = True ]'
check "every GitHub call carried the token" [ "$(gh_field "d['unauthorized']")" = 0 ]
check "deploy-a still serves through the router" [ "$(router_code deploy-a)" = 200 ]
check "deploy-a's assets are still in S3" [ "$(s3_asset_count deploy-a)" = 1 ]
