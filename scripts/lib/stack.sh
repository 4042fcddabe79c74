# The whole review-apps stack on loopback, for `make demo`, the end-to-end test and the
# time-to-ready bench: devstack Consul, Nomad (raw_exec) and AWS, a shared PostgreSQL with a
# seeded template database, the nginx/Lua router, Prometheus, and the controller.
#
# Source it (it sources services.sh), then:
#   stack_init NAME            work dir /tmp/review-apps-NAME.XXXXXX (STACK_DIR), logs in it
#   stack_start_infra          everything except the controller
#   stack_start_controller     the controller (separate: it can be killed and started again)
#   stack_stop                 stops everything this shell started, by PID, in reverse order
# Every server listens on 127.0.0.1 on a free port; each start waits with a bound and fails
# loudly with the tail of its log. Nothing here prints a password or token.
#
# STACK_SECURE=1 runs it as production runs: a throwaway CA (stack_make_pki), Consul and Nomad
# serving TLS only and requiring client certificates, Consul enforcing ACLs with the policies of
# deploy/acl/, and each component with its own certificate and token (controller, router, CI;
# "operator", a management token, for this script's own checks). Tokens live in files.

STACK_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$STACK_LIB/../.." && pwd)
source "$STACK_LIB/services.sh"

DEVSTACK_JAR=${DEVSTACK_JAR:-$REPO_ROOT/devstack/target/devstack.jar}
CONTROLLER_JAR=${CONTROLLER_JAR:-$REPO_ROOT/controller/target/review-apps.jar}
# The KV prefix, the public domain and the seeded template database of the demo's apps.
STACK_PREFIX=${STACK_PREFIX:-review-apps}
STACK_DOMAIN=${STACK_DOMAIN:-review.localhost}
STACK_TEMPLATE_DB=${STACK_TEMPLATE_DB:-app_seed}
# Small heaps, quick start: the machine may be busy with builds.
STACK_JAVA_OPTS=${STACK_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto}

STACK_SECURE=${STACK_SECURE:-0}
# curl options for Consul and Nomad: empty in plain mode; CA, client certificate and (for Consul)
# the operator's token header file in secure mode.
CONSUL_CURL=()
NOMAD_CURL=()

# name:pid of every process started, in start order.
STACK_PROCS=()
STACK_DIR=""

stack_log() { printf '[stack %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# stack_init NAME: the work dir. World-readable (0755) because nginx workers run as nobody.
stack_init() {
  STACK_DIR=$(mktemp -d "/tmp/review-apps-${1:-stack}.XXXXXX")
  chmod 755 "$STACK_DIR"
  mkdir -p "$STACK_DIR/logs" "$STACK_DIR/bin"
  stack_log "work dir $STACK_DIR"
}

# Succeeds when URL answers with any HTTP status (the server is up, whatever it says).
http_up() {
  local code
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1") || true
  [ -n "$code" ] && [ "$code" != 000 ]
}

# Succeeds when URL answers 200.
http_ok() { curl -fsS -o /dev/null -m 2 "$1"; }

# stack_track NAME PID
stack_track() { STACK_PROCS+=("$1:$2"); }

# stack_pid NAME: the PID recorded last under NAME (empty if none).
stack_pid() {
  local entry pid=""
  for entry in "${STACK_PROCS[@]}"; do
    [ "${entry%%:*}" = "$1" ] && pid=${entry#*:}
  done
  echo "$pid"
}

# stack_wait NAME SECONDS WHAT COMMAND...: like wait_until, but gives up at once when the process
# recorded as NAME has ended (a bad configuration, a port taken).
stack_wait() {
  local name=$1 limit=$2 what=$3; shift 3
  local pid deadline=$((SECONDS + limit))
  pid=$(stack_pid "$name")
  until "$@" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited while waiting for $what" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "timed out after ${limit}s waiting for $what" >&2
      return 1
    fi
    sleep 0.1
  done
}

# stack_fail NAME LOGFILE: prints the log's tail and fails.
stack_fail() {
  stack_log "$1 did not start; last lines of $2:"
  tail -n 30 "$2" >&2 2>/dev/null || true
  return 1
}

# stop_pid PID [SECONDS]: SIGTERM, wait up to SECONDS (default 15) for it to end, then SIGKILL.
stop_pid() {
  local pid=$1 limit=${2:-15}
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + limit))
  while kill -0 "$pid" 2>/dev/null; do
    # A child of this shell stays a zombie (kill -0 succeeds) until it is reaped.
    if [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ]; then break; fi
    if ((SECONDS >= deadline)); then
      stack_log "pid $pid did not stop within ${limit}s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  # Braces: bash's own "Killed" job report goes to the block's stderr, not wait's.
  { wait "$pid"; } 2>/dev/null || true
}

# stack_java NAME LOG ARGS...: starts java in the background and records its PID.
stack_java() {
  local name=$1 log=$2; shift 2
  # shellcheck disable=SC2086
  java $STACK_JAVA_OPTS -jar "$@" >"$log" 2>&1 &
  stack_track "$name" $!
}

# consul_curl ARGS...: curl to Consul, with TLS and the operator's token in secure mode.
consul_curl() { curl "${CONSUL_CURL[@]}" "$@"; }
nomad_curl() { curl "${NOMAD_CURL[@]}" "$@"; }
consul_ok() { consul_curl -fsS -o /dev/null -m 2 "$1"; }
nomad_ok() { nomad_curl -fsS -o /dev/null -m 2 "$1"; }

# stack_make_pki: a CA, server certificates for Consul (server.dc1.consul) and Nomad
# (server.global.nomad), both also for 127.0.0.1 so that curl can check them by address, client
# certificates and ACL tokens per component, and the stand-in's ACL file built from deploy/acl/.
# Certificates are world-readable (nginx's workers load the CA), keys and tokens are not.
stack_make_pki() {
  local d="$STACK_DIR/pki" who
  mkdir -p "$d" && chmod 755 "$d"
  stack_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null && chmod 600 "$1"; }
  stack_key "$d/ca.key" &&
    openssl req -x509 -new -key "$d/ca.key" -days 2 -subj "/CN=review-apps stack CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -out "$d/ca.pem" 2>/dev/null || { stack_log "openssl could not make the CA"; return 1; }
  stack_issue() { # NAME CN SANS
    stack_key "$d/$1.key" &&
      openssl req -new -key "$d/$1.key" -subj "/CN=$2" -out "$d/$1.csr" 2>/dev/null &&
      printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$3" >"$d/$1.ext" &&
      openssl x509 -req -in "$d/$1.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
        -days 2 -extfile "$d/$1.ext" -out "$d/$1.pem" 2>/dev/null ||
      { stack_log "openssl could not issue $1"; return 1; }
  }
  stack_issue consul server.dc1.consul "DNS:server.dc1.consul,IP:127.0.0.1" &&
    stack_issue nomad server.global.nomad "DNS:server.global.nomad,IP:127.0.0.1" || return 1
  for who in controller router ci operator; do
    stack_issue "$who" "$who.review-apps" "DNS:$who.review-apps" || return 1
    od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$d/$who.token"
    chmod 600 "$d/$who.token"
    printf 'X-Consul-Token: %s\n' "$(cat "$d/$who.token")" >"$d/$who.header"
    chmod 600 "$d/$who.header"
  done
  chmod 644 "$d"/*.pem
  /usr/bin/python3 - "$d" "$REPO_ROOT/deploy/acl" <<'PY' || { stack_log "could not write the ACL file"; return 1; }
import json, pathlib, sys
d, acl = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
tokens = [{"SecretID": (d / f"{who}.token").read_text(), "Description": who,
           "Rules": json.loads((acl / f"{who}.json").read_text())}
          for who in ("controller", "router", "ci")]
tokens.append({"SecretID": (d / "operator.token").read_text(), "Description": "operator",
               "Management": True})
(d / "consul-acl.json").write_text(json.dumps({"default_policy": "deny", "tokens": tokens}))
(d / "consul-acl.json").chmod(0o600)
PY
  STACK_PKI=$d
  CONSUL_CURL=(--cacert "$d/ca.pem" --cert "$d/operator.pem" --key "$d/operator.key" -H "@$d/operator.header")
  NOMAD_CURL=(--cacert "$d/ca.pem" --cert "$d/operator.pem" --key "$d/operator.key")
  stack_log "pki     $d (CA, certificates and tokens of controller, router, ci, operator)"
}

# stack_tls_flags NAME: the stand-in's TLS flags in secure mode (mutual TLS).
stack_tls_flags() {
  [ "$STACK_SECURE" = 1 ] || return 0
  echo "--tls-cert $STACK_PKI/$1.pem --tls-key $STACK_PKI/$1.key --tls-client-ca $STACK_PKI/ca.pem"
}

stack_start_consul() {
  CONSUL_PORT=$(free_port)
  CONSUL_ADDR="127.0.0.1:$CONSUL_PORT"
  local scheme=http acl=()
  if [ "$STACK_SECURE" = 1 ]; then
    scheme=https
    acl=(--acl-file "$STACK_PKI/consul-acl.json")
  fi
  CONSUL_HTTP="$scheme://$CONSUL_ADDR"
  mkdir -p "$STACK_DIR/consul"
  # shellcheck disable=SC2046
  stack_java consul "$STACK_DIR/logs/consul.log" "$DEVSTACK_JAR" consul \
    --bind 127.0.0.1 --port "$CONSUL_PORT" --data-dir "$STACK_DIR/consul" --session-ttl-min 1 \
    "${acl[@]}" $(stack_tls_flags consul)
  stack_wait consul 60 "Consul on $CONSUL_PORT" consul_ok "$CONSUL_HTTP/v1/status/leader" ||
    { stack_fail consul "$STACK_DIR/logs/consul.log"; return 1; }
  # Builds of the stand-in before 4ffeb66 gave the first write to an empty store index 1, the
  # index an empty store reports, so the router's blocking query missed it. One write outside the
  # prefix first moves the index on (as a real Consul's Raft index already has); harmless now.
  consul_curl -fsS -o /dev/null -X PUT --data "$STACK_DIR" "$CONSUL_HTTP/v1/kv/devstack/started-by"
  stack_log "consul  $CONSUL_HTTP"
}

# Nomad runs tasks with its own environment, so the example app's commands are found through
# PATH: $STACK_DIR/bin holds app-web, app-worker, app-migrate and app-seed.
stack_start_nomad() {
  local app="$REPO_ROOT/examples/app/bin" role
  for role in web worker migrate seed; do
    printf '#!/bin/sh\nexec %s/%s "$@"\n' "$app" "$role" >"$STACK_DIR/bin/app-$role"
    chmod 755 "$STACK_DIR/bin/app-$role"
  done
  NOMAD_PORT=$(free_port)
  NOMAD_HTTP="http://127.0.0.1:$NOMAD_PORT"
  [ "$STACK_SECURE" = 1 ] && NOMAD_HTTP="https://127.0.0.1:$NOMAD_PORT"
  # Dynamic ports of the tasks: a random window of 1,000 ports, away from the usual ones.
  local lo=$((30000 + (RANDOM % 20) * 1000))
  NOMAD_TASK_PORTS="$lo-$((lo + 999))"
  mkdir -p "$STACK_DIR/nomad"
  PATH="$STACK_DIR/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" \
    stack_java nomad "$STACK_DIR/logs/nomad.log" "$DEVSTACK_JAR" nomad \
    --host 127.0.0.1 --port "$NOMAD_PORT" --cpu 32000 --memory 65536 \
    --ports "$NOMAD_TASK_PORTS" --data-dir "$STACK_DIR/nomad" $(stack_tls_flags nomad)
  stack_wait nomad 60 "Nomad on $NOMAD_PORT" nomad_ok "$NOMAD_HTTP/v1/status/leader" ||
    { stack_fail nomad "$STACK_DIR/logs/nomad.log"; return 1; }
  stack_log "nomad   $NOMAD_HTTP (task ports $NOMAD_TASK_PORTS)"
}

# The shared PostgreSQL of `shared` database mode, also the server behind devstack RDS
# instances, with the seeded template database: examples/app migrate + seed run into it.
stack_start_postgres() {
  PG_PORT=$(free_port)
  start_postgres "$STACK_DIR/postgres" "$PG_PORT" ||
    { stack_fail postgres "$STACK_DIR/postgres/postgres.log"; return 1; }
  PG_ADMIN_JDBC="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $STACK_TEMPLATE_DB" >/dev/null
  DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/$STACK_TEMPLATE_DB" \
    REVIEW_APP_NAME=template REVIEW_APP_BRANCH=template REVIEW_APP_COMMIT=0000000 \
    "$STACK_DIR/bin/app-migrate" >"$STACK_DIR/logs/template-migrate.log" 2>&1 &&
    DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/$STACK_TEMPLATE_DB" \
      REVIEW_APP_NAME=template REVIEW_APP_BRANCH=template REVIEW_APP_COMMIT=0000000 \
      "$STACK_DIR/bin/app-seed" >"$STACK_DIR/logs/template-seed.log" 2>&1 ||
    { stack_fail "template database" "$STACK_DIR/logs/template-migrate.log"; return 1; }
  stack_log "postgres 127.0.0.1:$PG_PORT (template database $STACK_TEMPLATE_DB seeded)"
}

# devstack AWS (RDS, Auto Scaling, S3); RDS instances become databases on the shared server.
stack_start_aws() {
  AWS_PORT=$(free_port)
  AWS_HTTP="http://127.0.0.1:$AWS_PORT"
  stack_java aws "$STACK_DIR/logs/aws.log" "$DEVSTACK_JAR" aws \
    --host 127.0.0.1 --port "$AWS_PORT" --timing fast \
    ${PG_ADMIN_JDBC:+--postgres "$PG_ADMIN_JDBC?user=postgres"}
  stack_wait aws 60 "AWS on $AWS_PORT" http_ok "$AWS_HTTP/_devstack/health" ||
    { stack_fail aws "$STACK_DIR/logs/aws.log"; return 1; }
  # The bucket CI pushes assets to (assets/<name>/...), as in the original design.
  STACK_ASSETS_BUCKET=${STACK_ASSETS_BUCKET:-review-app-assets}
  curl -fsS -o /dev/null -X PUT "$AWS_HTTP/$STACK_ASSETS_BUCKET" ||
    stack_log "could not create bucket $STACK_ASSETS_BUCKET"
  # The Auto Scaling Group of the Nomad clients, for the `asg` capacity provider.
  STACK_ASG=${STACK_ASG:-review-apps-nodes}
  curl -fsS -o /dev/null -X POST "$AWS_HTTP/" --data "Action=CreateAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=$STACK_ASG&MinSize=1&MaxSize=10&DesiredCapacity=1&LaunchTemplate.LaunchTemplateName=review-apps-node&AvailabilityZones.member.1=us-east-1a" ||
    stack_log "could not create Auto Scaling Group $STACK_ASG"
  stack_log "aws     $AWS_HTTP (bucket $STACK_ASSETS_BUCKET, Auto Scaling Group $STACK_ASG)"
}

# The router: lua-router's nginx template rendered for this stack, nginx in the foreground of a
# background job so its PID is the master's.
stack_start_router() {
  ROUTER_PORT=$(free_port)
  ROUTER_STATUS_PORT=$(free_port)
  local dir="$STACK_DIR/router"
  mkdir -p "$dir/logs" "$dir/tmp" "$dir/state"
  # nginx started as root runs its workers as nobody; they write the route snapshot.
  [ "$(id -u)" = 0 ] && chown nobody "$dir/state"
  cat >"$dir/router.json" <<EOF
{
  "consul": "$CONSUL_ADDR",
  "prefix": "$STACK_PREFIX/",
  "domains": ["$STACK_DOMAIN"],
  "allow_loopback": true,
  "allowed_cidrs": ["127.0.0.0/8"],
  "self_addresses": ["127.0.0.1:$ROUTER_PORT", "127.0.0.1:$ROUTER_STATUS_PORT"],
  "snapshot_path": "$dir/state/routes.json",
  "watch_wait_seconds": 20,
  "retry_after_seconds": 2
}
EOF
  # Secure mode: the consul CLI's variables, the router's own certificate and token (a file).
  local tls=()
  [ "$STACK_SECURE" = 1 ] && tls=(CONSUL_HTTP_ADDR="$CONSUL_HTTP" CONSUL_CACERT="$STACK_PKI/ca.pem"
    CONSUL_TLS_SERVER_NAME=server.dc1.consul CONSUL_CLIENT_CERT="$STACK_PKI/router.pem"
    CONSUL_CLIENT_KEY="$STACK_PKI/router.key" CONSUL_HTTP_TOKEN_FILE="$STACK_PKI/router.token")
  env -u CONSUL_HTTP_ADDR -u CONSUL_CACERT -u CONSUL_HTTP_TOKEN "${tls[@]}" \
    ROUTER_CONFIG="$dir/router.json" ROUTER_LISTEN="127.0.0.1:$ROUTER_PORT" \
    ROUTER_STATUS_LISTEN="127.0.0.1:$ROUTER_STATUS_PORT" ROUTER_WORKERS=2 \
    ROUTER_SHUTDOWN_TIMEOUT=2s ROUTER_LUA_DIR="$REPO_ROOT/lua-router/lua" \
    "$REPO_ROOT/lua-router/bin/render-conf" "$REPO_ROOT/lua-router/conf/nginx.conf.template" \
    >"$dir/nginx.conf" || { stack_log "lua-router/bin/render-conf failed"; return 1; }
  env -u CONSUL_HTTP_ADDR -u CONSUL_CACERT -u CONSUL_HTTP_TOKEN "${tls[@]}" \
    nginx -p "$dir/" -c "$dir/nginx.conf" -g 'daemon off;' >"$STACK_DIR/logs/router.log" 2>&1 &
  stack_track router $!
  ROUTER_HTTP="http://127.0.0.1:$ROUTER_PORT"
  stack_wait router 30 "router on $ROUTER_STATUS_PORT" http_ok "http://127.0.0.1:$ROUTER_STATUS_PORT/router-status" ||
    { stack_fail router "$dir/logs/error.log"; return 1; }
  stack_log "router  $ROUTER_HTTP (status http://127.0.0.1:$ROUTER_STATUS_PORT/router-status)"
}

# stack_start_github BRANCH=PR...: the GitHub stand-in (scripts/lib/fake_github.py) for repository
# acme/shop with those open pull requests; the controller then reports deployments and comments
# to it (STACK_GITHUB_API). GET $STACK_GITHUB_API/_state shows what it holds.
stack_start_github() {
  local port
  port=$(free_port)
  /usr/bin/python3 "$STACK_LIB/fake_github.py" "$port" acme/shop "$@" >"$STACK_DIR/logs/github.log" 2>&1 &
  stack_track github $!
  STACK_GITHUB_API="http://127.0.0.1:$port"
  stack_wait github 10 "GitHub stand-in on $port" http_ok "$STACK_GITHUB_API/_state" ||
    { stack_fail github "$STACK_DIR/logs/github.log"; return 1; }
  stack_log "github  $STACK_GITHUB_API (stand-in, repository acme/shop)"
}

# Prometheus scraping the controller's /metrics (port chosen here, before the controller
# starts), the router's metrics and itself, with the production alert rules loaded.
stack_start_prometheus() {
  PROM_PORT=$(free_port)
  CONTROLLER_HTTP_PORT=${CONTROLLER_HTTP_PORT:-$(free_port)}
  local dir="$STACK_DIR/prometheus"
  mkdir -p "$dir/data"
  cp "$REPO_ROOT/deploy/prometheus/review-apps.rules.yml" "$dir/"
  cat >"$dir/prometheus.yml" <<EOF
# The demo's Prometheus: production rules (deploy/prometheus), local targets.
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - review-apps.rules.yml
scrape_configs:
  - job_name: review-apps-controller
    static_configs:
      - targets: ['127.0.0.1:$CONTROLLER_HTTP_PORT']
  - job_name: review-apps-router
    static_configs:
      - targets: ['127.0.0.1:$ROUTER_STATUS_PORT']
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$PROM_PORT']
EOF
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --storage.tsdb.retention.time=1d \
    >"$STACK_DIR/logs/prometheus.log" 2>&1 &
  stack_track prometheus $!
  PROM_HTTP="http://127.0.0.1:$PROM_PORT"
  stack_wait prometheus 30 "Prometheus on $PROM_PORT" http_ok "$PROM_HTTP/-/ready" ||
    { stack_fail prometheus "$STACK_DIR/logs/prometheus.log"; return 1; }
  stack_log "prometheus $PROM_HTTP"
}

# Everything but the controller, in dependency order.
stack_start_infra() {
  [ -f "$DEVSTACK_JAR" ] || { stack_log "missing $DEVSTACK_JAR (run: make build)"; return 1; }
  # A copy: a rebuild of the jar while the stack runs would pull classes from under the JVMs.
  cp "$DEVSTACK_JAR" "$STACK_DIR/devstack.jar" && DEVSTACK_JAR="$STACK_DIR/devstack.jar"
  if [ "$STACK_SECURE" = 1 ]; then stack_make_pki || return 1; fi
  stack_start_consul &&
    stack_start_nomad &&
    stack_start_postgres &&
    stack_start_aws &&
    stack_start_router &&
    stack_start_prometheus
}

# ---------------------------------------------------------------------------------------------
# The controller. Its configuration is written by stack_controller_config from the variables
# above; see controller/README.md for the keys.

# The configuration file (JSON, controller/src/.../config/ConfigLoader.java): the engine's keys
# as documented there; short leader TTL and lock-delay so that a controller killed in the e2e
# test is replaced within seconds. The ReviewApp part (Nomad, AWS, database, hosts, GC) is in
# stack_reviewapp_config, to follow the keys of the final application module.
stack_controller_config() {
  local file="$STACK_DIR/controller.json"
  cat >"$file" <<EOF
{
  "consul": { "address": "$CONSUL_HTTP"$(stack_tls_config consul server.dc1.consul) },
  "prefix": "$STACK_PREFIX/",
  "controller": {
    "workers": 4,
    "resync": "${STACK_RESYNC:-30s}",
    "watchWait": "30s",
    "backoff": { "base": "500ms", "max": "10s" }
  },
  "leader": { "ttl": "${STACK_LEADER_TTL:-5s}", "lockDelay": "1s" },
  "http": { "bind": "127.0.0.1", "port": $CONTROLLER_HTTP_PORT },
  "log": { "format": "text" }$(stack_reviewapp_config)
}
EOF
  echo "$file"
}

# stack_tls_config SYSTEM SERVER_NAME: the controller's "tls" keys in secure mode.
stack_tls_config() {
  [ "$STACK_SECURE" = 1 ] || return 0
  printf ', "tls": { "caCert": "%s", "clientCert": "%s", "clientKey": "%s", "serverName": "%s" }' \
    "$STACK_PKI/ca.pem" "$STACK_PKI/controller.pem" "$STACK_PKI/controller.key" "$2"
}

# The ReviewApp settings. raw_exec runs each spec's command as it is, found through PATH (see
# stack_start_nomad): a demo spec says "app-web" where a production spec says
# "bundle exec unicorn -p \$PORT".
stack_reviewapp_config() {
  # STACK_REVIEWAPP_CONFIG=0: the engine's keys only (an engine-only build rejects the others).
  [ "${STACK_REVIEWAPP_CONFIG:-1}" = 1 ] || return 0
  local capacity='"provider": "static", "staticNodes": 1'
  [ "${STACK_CAPACITY_PROVIDER:-static}" = asg ] && capacity="\"provider\": \"asg\", \"asgName\": \"$STACK_ASG\""
  cat <<EOF
,
  "reviewapp": {
    "hostTemplate": "{name}.$STACK_DOMAIN",
    "urlScheme": "http",
    "recheck": "${STACK_RECHECK:-250ms}",
    "readyRecheck": "10s",
    "nomad": { "address": "$NOMAD_HTTP", "datacenter": "dc1", "driver": "raw_exec",
               "healthInterval": "${STACK_HEALTH_INTERVAL:-1s}", "healthTimeout": "1s",
               "watchAllocations": "${STACK_WATCH_ALLOCATIONS:-true}"$(stack_tls_config nomad server.global.nomad) },
    "aws": { "region": "us-east-1", "endpoint": "$AWS_HTTP" },
    "capacity": { $capacity, "instanceCpuMhz": 32000, "instanceMemoryMb": 65536 },
    "database": {
      "shared": { "jdbcUrl": "$PG_ADMIN_JDBC", "username": "postgres", "endpoint": "127.0.0.1:$PG_PORT",
                  "templates": "$STACK_TEMPLATE_DB" }
    },
    "assets": { "bucket": "$STACK_ASSETS_BUCKET", "prefix": "assets/" },$(stack_github_config)
    "dashboard": { "bind": "127.0.0.1", "port": ${DASHBOARD_PORT:-0} },
    "gc": {
      "repository": "${STACK_GIT_REPO:-}",
      "interval": "${STACK_GC_INTERVAL:-10s}",
      "grace": "${STACK_GC_GRACE:-0s}"
    }
  }
EOF
}

# The github keys when the GitHub stand-in runs (a token the stand-in requires, any value).
stack_github_config() {
  [ -n "${STACK_GITHUB_API:-}" ] || return 0
  printf '\n    "github": { "repository": "acme/shop", "apiUrl": "%s", "token": "e2e-token" },' "$STACK_GITHUB_API"
}

# stack_check_controller_jar: the controller jar exists and holds the ReviewApp reconciler (the
# engine alone runs a reconciler that only logs): say so at once instead of waiting for Ready.
stack_check_controller_jar() {
  [ -f "$CONTROLLER_JAR" ] || {
    stack_log "missing $CONTROLLER_JAR: the controller application is not built yet"
    return 1
  }
  if ! /usr/bin/python3 -c 'import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
sys.exit(0 if any(n.endswith("reviewapp/ReviewAppReconciler.class") for n in names) else 1)' "$CONTROLLER_JAR"; then
    stack_log "$CONTROLLER_JAR does not contain the ReviewApp reconciler (controller/reviewapp):"
    stack_log "it is the engine alone, which reconciles nothing; build the application module"
    return 1
  fi
}

# stack_start_controller: (re)starts the controller; its log is appended to, so a restart keeps
# the history.
stack_start_controller() {
  stack_check_controller_jar || return 1
  # The dashboard's port, chosen once: a restarted controller serves it where it was.
  DASHBOARD_PORT=${DASHBOARD_PORT:-$(free_port)}
  local conf
  conf=$(stack_controller_config)
  # A copy, taken once, for the same reason as the devstack jar's; a restart runs the same build.
  if [ "$CONTROLLER_JAR" != "$STACK_DIR/review-apps.jar" ]; then
    cp "$CONTROLLER_JAR" "$STACK_DIR/review-apps.jar" && CONTROLLER_JAR="$STACK_DIR/review-apps.jar"
  fi
  # shellcheck disable=SC2086
  # The file says everything; overrides from the caller's environment (CONSUL_HTTP_ADDR,
  # NOMAD_ADDR, AWS_REGION, REVIEW_APPS_*) would point the controller elsewhere: dropped.
  # In secure mode its own token comes from a file, as CONSUL_HTTP_TOKEN_FILE.
  local token=()
  [ "$STACK_SECURE" = 1 ] && token=(CONSUL_HTTP_TOKEN_FILE="$STACK_PKI/controller.token")
  env $(env | sed -n 's/^\(CONSUL_[A-Z_]*\|NOMAD_[A-Z_]*\|AWS_REGION\|REVIEW_APPS_[A-Z_]*\)=.*/-u \1/p') \
    "${token[@]}" java $STACK_JAVA_OPTS -jar "$CONTROLLER_JAR" controller --config "$conf" \
    >>"$STACK_DIR/logs/controller.log" 2>&1 &
  stack_track controller $!
  CONTROLLER_HTTP="http://127.0.0.1:$CONTROLLER_HTTP_PORT"
  DASHBOARD_HTTP="http://127.0.0.1:$DASHBOARD_PORT"
  stack_wait controller 90 "controller /healthz on $CONTROLLER_HTTP_PORT" http_ok "$CONTROLLER_HTTP/healthz" ||
    { stack_fail controller "$STACK_DIR/logs/controller.log"; return 1; }
  stack_log "controller $CONTROLLER_HTTP/metrics"
}

# stack_kill_controller [SIGNAL]: ends the running controller (default SIGKILL: a crash).
stack_kill_controller() {
  local pid
  pid=$(stack_pid controller)
  [ -n "$pid" ] || return 0
  kill "-${1:-KILL}" "$pid" 2>/dev/null || true
  stop_pid "$pid" 15
  stack_log "controller (pid $pid) stopped with SIG${1:-KILL}"
}

# ---------------------------------------------------------------------------------------------

# Processes below the work dir that outlived their parents (a Nomad task whose stand-in died
# with SIGKILL): their cwd or command line is under $STACK_DIR.
stack_leftovers() {
  [ -n "$STACK_DIR" ] || return 0
  local p pid
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [ "$pid" = $$ ] && continue
    if [[ "$(readlink "$p/cwd" 2>/dev/null)" == "$STACK_DIR"* ]] ||
      { tr '\0' ' ' <"$p/cmdline" | grep -qF "$STACK_DIR"; } 2>/dev/null; then
      echo "$pid"
    fi
  done
}

# stack_stop: everything started, newest first; then PostgreSQL; then a check for leftovers.
stack_stop() {
  local i entry left
  for ((i = ${#STACK_PROCS[@]} - 1; i >= 0; i--)); do
    entry=${STACK_PROCS[$i]}
    stop_pid "${entry#*:}" 20
  done
  STACK_PROCS=()
  stop_services
  left=$(stack_leftovers | tr '\n' ' ')
  if [ -n "${left// /}" ]; then
    stack_log "left over under $STACK_DIR: $left; ending them"
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
  fi
  return 0
}

# --- KV helpers (as `consul kv put` / `consul kv get` / `consul kv delete`; the operator's
# credentials in secure mode) -------------------------------------------------------------------

kv_put_file() { consul_curl -fsS -o /dev/null -X PUT --data-binary "@$2" "$CONSUL_HTTP/v1/kv/$1"; }
kv_get_raw() { consul_curl -fsS "$CONSUL_HTTP/v1/kv/$1?raw"; }
kv_delete() { consul_curl -fsS -o /dev/null -X DELETE "$CONSUL_HTTP/v1/kv/$1"; }
kv_exists() { [ "$(consul_curl -s -o /dev/null -w '%{http_code}' "$CONSUL_HTTP/v1/kv/$1")" = 200 ]; }
kv_keys() { consul_curl -fsS "$CONSUL_HTTP/v1/kv/$1?keys" 2>/dev/null || echo '[]'; }

# ci_env: the environment of a CI job running reviewctl: addresses, and in secure mode CI's own
# certificate and token file (write on specs/, read on status/, nothing else).
ci_env() {
  echo "CONSUL_HTTP_ADDR=$CONSUL_HTTP NOMAD_ADDR=$NOMAD_HTTP REVIEW_APPS_PREFIX=$STACK_PREFIX/"
  [ "$STACK_SECURE" = 1 ] || return 0
  echo "CONSUL_CACERT=$STACK_PKI/ca.pem CONSUL_CLIENT_CERT=$STACK_PKI/ci.pem"
  echo "CONSUL_CLIENT_KEY=$STACK_PKI/ci.key CONSUL_HTTP_TOKEN_FILE=$STACK_PKI/ci.token"
  echo "NOMAD_CACERT=$STACK_PKI/ca.pem NOMAD_CLIENT_CERT=$STACK_PKI/ci.pem NOMAD_CLIENT_KEY=$STACK_PKI/ci.key"
}

# ci_reviewctl ARGS...: reviewctl as CI runs it.
ci_reviewctl() {
  # shellcheck disable=SC2046
  env $(env | sed -n 's/^\(CONSUL_[A-Z_]*\|NOMAD_[A-Z_]*\)=.*/-u \1/p') $(ci_env) \
    "$REPO_ROOT/bin/reviewctl" "$@"
}

# json_field JSON EXPR: EXPR evaluated on the decoded document d (Debian's python3).
json_field() { /usr/bin/python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($2)" "$1"; }

# app_phase NAME: the phase in the app's status, or empty.
app_phase() {
  local s
  s=$(kv_get_raw "$STACK_PREFIX/status/$1" 2>/dev/null) || return 0
  json_field "$s" "d.get('phase','')" 2>/dev/null || true
}

app_host() { echo "$1.$STACK_DOMAIN"; }

# router_get NAME PATH: GET through the router with the app's Host header.
router_get() { curl -fsS -m 5 -H "Host: $(app_host "$1")" "$ROUTER_HTTP${2:-/}"; }
router_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' -H "Host: $(app_host "$1")" "$ROUTER_HTTP${2:-/}"; }

# write_spec FILE NAME BRANCH COMMIT: a demo spec for the example app in shared database mode.
write_spec() {
  local file=$1 name=$2 branch=$3 commit=$4
  cat >"$file" <<EOF
{
  "apiVersion": "reviewapps/v1",
  "kind": "ReviewApp",
  "metadata": { "name": "$name", "labels": { "team": "demo" } },
  "spec": {
    "branch": "$branch",
    "commit": "$commit",
    "image": "registry.example.com/review-apps/example-app:$name-${commit:0:8}",
    "database": { "mode": "shared", "template": "$STACK_TEMPLATE_DB" },
    "redis": { "image": "redis:7" },
    "release": { "migrate": "app-migrate", "seed": "app-seed" },
    "processes": {
      "web": { "command": "app-web", "count": 1, "cpu": 200, "memoryMB": 128, "healthPath": "/health" },
      "worker": { "command": "app-worker", "count": 1, "cpu": 100, "memoryMB": 128 }
    },
    "env": { "APP_ENV": "review" }
  }
}
EOF
}

# STACK_OVERRIDES=FILE: sourced last, to redefine any function above (e.g. to run a controller
# built elsewhere, or to point at real services) without editing this file.
if [ -n "${STACK_OVERRIDES:-}" ]; then
  # shellcheck disable=SC1090
  source "$STACK_OVERRIDES"
fi

# stack_bench_start NAME: what the benchmark scripts start with: the whole stack (infrastructure
# and controller), stopped when the script exits; its directory is removed when the script set
# ok=1 at the end, else its logs are kept and named.
stack_bench_start() {
  ok=0
  trap stack_bench_finish EXIT
  trap 'exit 1' INT TERM
  stack_check_controller_jar || return 1
  stack_init "$1"
  stack_start_infra && stack_start_controller
}
stack_bench_finish() {
  trap '' INT TERM
  [ -n "$STACK_DIR" ] || return 0
  stack_stop
  if [ "$ok" = 1 ]; then rm -rf "$STACK_DIR"; else echo "bench: logs kept in $STACK_DIR/logs"; fi
}
