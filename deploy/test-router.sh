#!/usr/bin/env bash
# The router's production config (deploy/router): the committed example is what
# render-production.sh makes of lua-router's current template, nginx accepts it (`nginx -t`),
# and a running nginx with it serves TLS through the Lua router and redirects plain HTTP.
# Only the test's copy changes ports and paths: loopback ports, a self-signed certificate, a
# work dir for the snapshot, the Lua modules of this checkout, and a Consul port where nothing
# listens (the router then answers 503 with Retry-After itself, which proves the Lua path ran).
set -euo pipefail
DEPLOY=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$DEPLOY/.." && pwd)
source "$REPO_ROOT/scripts/lib/services.sh"
PY=/usr/bin/python3

work=$(mktemp -d /tmp/review-apps-router-test.XXXXXX)
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ]; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# nginx started as root runs its workers as nobody: they read the Lua modules and write the
# snapshot below.
chmod 755 "$work"
mkdir -p "$work/logs" "$work/tmp" "$work/state"
[ "$(id -u)" = 0 ] && chown nobody "$work/state"

# 1. The committed example is up to date with lua-router's template.
if ! diff -u "$DEPLOY/router/nginx.conf" <("$DEPLOY/router/render-production.sh") >"$work/example.diff"; then
  echo "FAIL: deploy/router/nginx.conf differs from what render-production.sh renders now;" >&2
  echo "      re-render it: deploy/router/render-production.sh > deploy/router/nginx.conf" >&2
  cat "$work/example.diff" >&2
  exit 1
fi
echo "router: deploy/router/nginx.conf is the current rendering"

# 2. The same rendering with the test's ports and paths, and nginx -t.
http_port=$(free_port)
tls_port=$(free_port)
status_port=$(free_port)
consul_port=$(free_port) # nothing listens there
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=*.review.example.com" \
  -addext "subjectAltName=DNS:*.review.example.com" \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" >/dev/null 2>&1
"$PY" - "$DEPLOY/router/router.json" "$work" "$consul_port" "$http_port" "$tls_port" "$status_port" \
  >"$work/router.json" <<'PYEOF'
import json, sys
conf = json.load(open(sys.argv[1]))
work, consul, http, tls, status = sys.argv[2:]
conf["consul"] = "127.0.0.1:" + consul
conf["snapshot_path"] = work + "/state/routes.json"
conf["self_addresses"] = ["127.0.0.1:" + p for p in (http, tls, status)]
print(json.dumps(conf, indent=2))
PYEOF
ROUTER_CONFIG="$work/router.json" ROUTER_LISTEN="127.0.0.1:$http_port" \
  ROUTER_TLS_LISTEN="127.0.0.1:$tls_port" ROUTER_STATUS_LISTEN="127.0.0.1:$status_port" \
  ROUTER_TLS_CERT="$work/fullchain.pem" ROUTER_TLS_KEY="$work/privkey.pem" \
  ROUTER_LUA_DIR="$REPO_ROOT/lua-router/lua" ROUTER_WORKERS=1 \
  "$DEPLOY/router/render-production.sh" >"$work/nginx.conf"
if ! nginx -t -q -p "$work/" -c "$work/nginx.conf" 2>"$work/nginx-t.log"; then
  echo "FAIL: nginx -t refuses the production config:" >&2
  cat "$work/nginx-t.log" >&2
  exit 1
fi
echo "router: nginx -t accepts the production config"

# 3. Running: TLS reaches the Lua router, plain HTTP redirects. This also checks router.json:
# `nginx -t` skips init_by_lua (seen here: a router.json without domains passes -t), so only a
# start runs the router's configuration checks.
nginx -p "$work/" -c "$work/nginx.conf" -g 'daemon off;' >"$work/nginx.out" 2>&1 &
nginx_pid=$!
wait_until 30 "router status on $status_port" curl -fsS -o /dev/null "http://127.0.0.1:$status_port/router-status" || {
  echo "FAIL: the router did not start:" >&2
  cat "$work/nginx.out" "$work/logs/error.log" >&2 2>/dev/null
  exit 1
}
host=deploy-x.review.example.com
code=$(curl -sS -o "$work/tls.body" -D "$work/tls.headers" -w '%{http_code}' -m 10 \
  --cacert "$work/fullchain.pem" --resolve "$host:$tls_port:127.0.0.1" "https://$host:$tls_port/")
if [ "$code" != 503 ] || ! grep -qi '^retry-after:' "$work/tls.headers"; then
  echo "FAIL: https://$host/ with no Consul should get the router's 503 with Retry-After, got $code:" >&2
  cat "$work/tls.headers" "$work/tls.body" >&2
  exit 1
fi
echo "router: TLS on $tls_port verified with the certificate; the Lua router answered 503 + Retry-After (no Consul)"
location=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -m 5 -H "Host: $host" "http://127.0.0.1:$http_port/a?b=1")
if [ "$location" != "301 https://$host/a?b=1" ]; then
  echo "FAIL: plain HTTP should redirect to https://$host/a?b=1, got '$location'" >&2
  exit 1
fi
echo "router: plain HTTP redirects to https"
# The redirect names only a validated host: a foreign Host is refused, never sent on elsewhere.
foreign=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -m 5 -H "Host: evil.example.org" "http://127.0.0.1:$http_port/a")
if [ "$foreign" != "400 " ]; then
  echo "FAIL: plain HTTP with a foreign Host should get 400 and no redirect, got '$foreign'" >&2
  exit 1
fi
echo "router: a foreign Host gets 400, no redirect"
