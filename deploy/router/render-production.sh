#!/usr/bin/env bash
# Renders the router's production nginx configuration to stdout: lua-router's template through
# lua-router/bin/render-conf (every ROUTER_* variable of lua-router/README.md works here too),
# with production defaults, plus a TLS listener, which the template does not have: its lines
# go in right after the template's public `listen` line.
#
#   deploy/router/render-production.sh > /etc/review-apps/router-nginx.conf
#
# Defaults (override any through the environment):
#   ROUTER_CONFIG=/etc/review-apps/router.json   ROUTER_LISTEN=0.0.0.0:80
#   ROUTER_STATUS_LISTEN=127.0.0.1:9145          ROUTER_LUA_DIR=/opt/review-apps/router/lua
#   ROUTER_ACCESS_LOG="logs/access.log combined" ROUTER_TLS_LISTEN=0.0.0.0:443
#   ROUTER_TLS_CERT=/etc/ssl/review-apps/fullchain.pem ROUTER_TLS_KEY=/etc/ssl/review-apps/privkey.pem
#   ROUTER_HTTP_REDIRECT=on   plain HTTP answers 301 to https://<validated host><path> (off: serve it)
#   ROUTER_TLS_LISTEN=off     no TLS listener (TLS ends at a load balancer in front)
#   CONSUL_CACERT=/etc/ssl/certs/ca-certificates.crt  the CAs the router trusts for an https://
#                             Consul (set it to Consul's CA; the default is Debian's bundle)
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export ROUTER_CONFIG=${ROUTER_CONFIG:-/etc/review-apps/router.json}
export ROUTER_LISTEN=${ROUTER_LISTEN:-0.0.0.0:80}
export ROUTER_STATUS_LISTEN=${ROUTER_STATUS_LISTEN:-127.0.0.1:9145}
export ROUTER_LUA_DIR=${ROUTER_LUA_DIR:-/opt/review-apps/router/lua}
export ROUTER_ACCESS_LOG=${ROUTER_ACCESS_LOG:-logs/access.log combined}
# Named here, not found on the rendering machine, so that the rendering does not depend on it.
export CONSUL_CACERT=${CONSUL_CACERT:-/etc/ssl/certs/ca-certificates.crt}
tls_listen=${ROUTER_TLS_LISTEN:-0.0.0.0:443}
tls_cert=${ROUTER_TLS_CERT:-/etc/ssl/review-apps/fullchain.pem}
tls_key=${ROUTER_TLS_KEY:-/etc/ssl/review-apps/privkey.pem}
redirect=${ROUTER_HTTP_REDIRECT:-on}

"$REPO_ROOT/lua-router/bin/render-conf" "$REPO_ROOT/lua-router/conf/nginx.conf.template" |
  awk -v public="listen $ROUTER_LISTEN default_server;" -v tls="$tls_listen" \
    -v cert="$tls_cert" -v key="$tls_key" -v redirect="$redirect" '
    { print }
    $0 ~ /^[ \t]*listen / && index($0, public) {
      found++
      if (tls == "off") next
      indent = substr($0, 1, index($0, "listen") - 1)
      print indent "# TLS, added by deploy/router/render-production.sh. One wildcard certificate"
      print indent "# for *.<domain> covers <app>.<domain> (not api.<app>.<domain>: one label only)."
      print indent "listen " tls " ssl http2 default_server;"
      print indent "ssl_certificate " cert ";"
      print indent "ssl_certificate_key " key ";"
      print indent "ssl_protocols TLSv1.2 TLSv1.3;"
      print indent "ssl_session_cache shared:router_tls:10m;"
      print indent "ssl_session_timeout 1h;"
      if (redirect == "on") {
        print indent "# Plain HTTP only redirects (in Lua, to the validated host only); the apps see"
        print indent "# X-Forwarded-Proto https."
        print indent "set $router_https_redirect on;"
      }
    }
    END {
      # The template changed under us: better no config than one without TLS.
      if (found != 1) {
        print "render-production: expected one public listen line \"" public "\" in the template, found " found + 0 > "/dev/stderr"
        exit 1
      }
    }'
