#!/usr/bin/env bash
# Static checks of the ways to run the controller: the systemd unit (systemd-analyze verify and
# its security score), the Dockerfile (no Docker engine runs on these machines, so: every COPY
# source exists, the jar path is the one the pom writes, every reactor module reaches the build
# stage, the entrypoint, port and user), the Nomad job (no nomad binary here either: stanzas,
# stop timeout, health check, no secret in the file; `nomad fmt -check` when nomad is
# installed), and the controller configurations shipped (the Nomad job's template, the systemd
# example) are accepted by the controller itself. Each check prints what it proved or why it
# was skipped.
set -euo pipefail
DEPLOY=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$DEPLOY/.." && pwd)
PY=/usr/bin/python3
work=$(mktemp -d /tmp/review-apps-packaging-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

# --- systemd --------------------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
  for unit in review-apps-controller review-apps-router; do
    # verify prints parse problems ("Failed to parse ..., ignoring") without failing: any output
    # is a failure here. It also checks that ExecStart's binary (java, nginx) exists.
    cp "$DEPLOY/systemd/$unit.service" "$work/"
    if ! (cd "$work" && systemd-analyze verify "./$unit.service") >"$work/verify.log" 2>&1 ||
      [ -s "$work/verify.log" ]; then
      echo "FAIL: systemd-analyze verify $unit.service:" >&2
      cat "$work/verify.log" >&2
      exit 1
    fi
    echo "systemd: systemd-analyze verify accepts $unit.service"
    # Exposure 0 (locked down) to 10 (unprotected); the hardening must keep it low.
    if (cd "$work" && systemd-analyze security --offline=yes "./$unit.service") >"$work/security.log" 2>&1; then
      score=$(sed -n "s/.*Overall exposure level for $unit.service: \([0-9.]*\).*/\1/p" "$work/security.log")
      if ! awk -v s="$score" 'BEGIN {exit !(s != "" && s <= 2.5)}'; then
        echo "FAIL: systemd-analyze security $unit.service: exposure '$score', expected at most 2.5" >&2
        tail -n 40 "$work/security.log" >&2
        exit 1
      fi
      echo "systemd: $unit.service security exposure $score (at most 2.5)"
    else
      echo "systemd: SKIP security score (this systemd-analyze has no --offline)"
    fi
  done
else
  echo "systemd: SKIP systemd-analyze verify: systemd-analyze is not installed"
fi

# --- everything else: parsed with the standard library -------------------------------------
"$PY" - "$REPO_ROOT" <<'PYEOF'
import os, re, sys

root = sys.argv[1]
failures = []

def fail(msg):
    failures.append(msg)

def read(rel):
    return open(os.path.join(root, rel)).read()

def seconds(d):
    """A Go/systemd duration as seconds: 45s, 1m30s, 2min."""
    total, found = 0.0, False
    for n, u in re.findall(r"(\d+(?:\.\d+)?)\s*(ms|min|m|s|h)", d):
        found = True
        total += float(n) * {"ms": 0.001, "s": 1, "m": 60, "min": 60, "h": 3600}[u]
    if not found:
        raise ValueError(d)
    return total

# The controller's defaults, from ConfigLoader's setting(name, variable, default, ...) calls.
loader = read("controller/src/main/java/dev/reviewapps/controller/config/ConfigLoader.java")
def default(name):
    m = re.search(r'"' + re.escape(name) + r'",\s*(?:"[A-Z_]+"|null),\s*"([^"]*)"', loader)
    if not m:
        sys.exit(f"cannot find the default of {name} in ConfigLoader.java")
    return m.group(1)
grace = seconds(default("controller.shutdownGrace"))
http_port = default("http.port")

# systemd: stop timeout above the shutdown grace.
unit = read("deploy/systemd/review-apps-controller.service")
m = re.search(r"^TimeoutStopSec=(\S+)", unit, re.M)
if not m or seconds(m.group(1)) <= grace:
    fail(f"systemd: TimeoutStopSec must exceed controller.shutdownGrace ({grace:g}s)")
for needed in ("NoNewPrivileges=yes", "ProtectSystem=strict", "Restart=on-failure", "DynamicUser=yes"):
    if not re.search(r"^" + re.escape(needed) + r"$", unit, re.M):
        fail(f"systemd: {needed} missing")
if re.search(r"^Environment=.*(TOKEN|PASSWORD)", unit, re.M):
    fail("systemd: a secret in the unit; it belongs in the EnvironmentFile")
print(f"systemd: TimeoutStopSec {m.group(1) if m else '?'} > shutdownGrace {grace:g}s; hardening present")

# Dockerfile.
docker = read("deploy/docker/Dockerfile")
lines = re.sub(r"\\\n", " ", docker).splitlines()
workdir = None
for line in lines:
    m = re.match(r"\s*WORKDIR\s+(\S+)", line)
    if m and workdir is None:
        workdir = m.group(1)
copies = [l.split()[1:] for l in lines if re.match(r"\s*COPY\s", l)]
local = [c for c in copies if not any(a.startswith("--from") for a in c)]
for c in local:
    for src in [a for a in c[:-1] if not a.startswith("--")]:
        if not os.path.exists(os.path.join(root, src)):
            fail(f"Dockerfile: COPY source {src} does not exist in the repository")
copied = [os.path.normpath(a) for c in local for a in c[:-1] if not a.startswith("--")]
# Maven needs every module of the reactor (at least its pom) to build any of them.
modules = re.findall(r"<module>([^<]+)</module>", read("pom.xml"))
for mod in modules:
    pom = os.path.normpath(os.path.join(mod, "pom.xml"))
    if not any(pom == c or pom.startswith(c + os.sep) for c in copied):
        fail(f"Dockerfile: reactor module {mod} (its pom.xml at least) is not copied into the build stage")
# The jar the build stage produces: the outputFile of controller/reviewapp's shade plugin.
m = re.search(r"<outputFile>\$\{project\.basedir\}/([^<]+)</outputFile>", read("controller/reviewapp/pom.xml"))
jar = os.path.normpath(os.path.join("controller/reviewapp", m.group(1))) if m else None
froms = [c for c in copies if any(a.startswith("--from") for a in c)]
jar_dest = None
if not jar or len(froms) != 1:
    fail("Dockerfile: expected one COPY --from=build of the jar the pom names")
else:
    src, jar_dest = froms[0][-2], froms[0][-1]
    if os.path.normpath(src) != os.path.normpath(os.path.join(workdir or "/", jar)):
        fail(f"Dockerfile: copies {src}, but the pom writes {jar} (under WORKDIR {workdir})")
m = re.search(r"^ENTRYPOINT\s+(\[.*\])", docker, re.M)
import json
entry = json.loads(m.group(1)) if m else []
if not entry or entry[0] != "java" or jar_dest not in entry or \
        entry[entry.index(jar_dest) - 1] != "-jar" or \
        entry[-3:] != ["controller", "--config", "/etc/review-apps/controller.json"]:
    fail(f"Dockerfile: ENTRYPOINT should run java -jar {jar_dest} controller --config /etc/review-apps/controller.json, is {entry}")
if not re.search(r"^EXPOSE\s+" + http_port + r"\b", docker, re.M):
    fail(f"Dockerfile: EXPOSE {http_port} (http.port's default) missing")
hc = re.search(r"^HEALTHCHECK.*", "\n".join(lines), re.M)
if not hc or "/readyz" not in hc.group(0) or http_port not in hc.group(0):
    fail("Dockerfile: HEALTHCHECK on /readyz of the metrics port missing")
users = re.findall(r"^USER\s+(\S+)", docker, re.M)
if not users or users[-1].split(":")[0] in ("0", "root"):
    fail("Dockerfile: the runtime stage must run as a non-root USER")
print(f"Dockerfile: {len(local)} COPY sources exist; {len(modules)} reactor modules copied; "
      f"jar {jar} -> {jar_dest}; EXPOSE {http_port}; HEALTHCHECK /readyz; USER {users[-1] if users else '?'}")

# Nomad job.
hcl = read("deploy/nomad/review-apps-controller.nomad.hcl")
# Braces balance outside comments, strings and heredocs.
stripped = re.sub(r"<<-?(\w+)\n.*?\n\s*\1\n", "\n", hcl, flags=re.S)
stripped = re.sub(r'"(?:[^"\\]|\\.)*"', '""', stripped)
stripped = re.sub(r"(#|//).*", "", stripped)
if stripped.count("{") != stripped.count("}"):
    fail(f"nomad: unbalanced braces ({stripped.count('{')} open, {stripped.count('}')} close)")
def attr(name):
    return re.findall(r"^\s*" + name + r"\s*=\s*(.+?)\s*$", stripped, re.M)
checks = {
    "two instances": attr("count") == ["2"],
    "docker driver": re.findall(r'driver\s*=\s*"(\w+)"', hcl) == ["docker"],
    "image from a variable": re.search(r"image\s*=\s*var\.image", hcl),
    "HTTP check on /readyz": re.search(r'type\s*=\s*"http"', hcl) and re.search(r'path\s*=\s*"/readyz"', hcl),
    "config from a template": re.search(r'destination\s*=\s*"local/controller.json"', hcl),
    "secrets from a Nomad variable or Vault": re.search(r'nomadVar\s+"|secret\s+"', hcl),
    "distinct hosts": re.search(r'"distinct_hosts"', hcl),
}
for what, ok in checks.items():
    if not ok:
        fail(f"nomad: {what} missing")
kill = re.search(r'kill_timeout\s*=\s*"([^"]+)"', hcl)
m = re.search(r'"shutdownGrace":\s*"([^"]+)"', hcl)
job_grace = seconds(m.group(1)) if m else grace
if not kill or seconds(kill.group(1)) <= job_grace:
    fail(f"nomad: kill_timeout must exceed the shutdown grace ({job_grace:g}s)")
# No literal secret: every token/password value comes from a template expression.
for line in hcl.splitlines():
    m = re.search(r"(TOKEN|PASSWORD|token|password)\"?\s*[=:]\s*\"?([^\"\s,}]+)", line)
    if m and not m.group(2).startswith("{{") and not line.lstrip().startswith("#"):
        fail(f"nomad: literal secret? {line.strip()}")
print(f"nomad: count 2, docker, /readyz check, template config, nomadVar secrets, "
      f"kill_timeout {kill.group(1) if kill else '?'} > grace {job_grace:g}s")

for f in failures:
    print("FAIL: " + f, file=sys.stderr)
sys.exit(1 if failures else 0)
PYEOF

if command -v nomad >/dev/null; then
  nomad fmt -check "$DEPLOY/nomad/" && echo "nomad: nomad fmt -check accepts the job files"
else
  echo "nomad: SKIP nomad fmt / job validate: no nomad binary on this machine (the structure was checked above)"
fi
if docker info >/dev/null 2>&1; then
  echo "docker: a Docker engine answers; build the image by hand: docker build -f deploy/docker/Dockerfile ."
else
  echo "docker: SKIP image build: no Docker engine runs on this machine"
fi

# --- the shipped configurations are ones the controller accepts ------------------------------
# The Nomad job's template (rendered with its variables' defaults and sample values) and the
# systemd example: a misspelt key or a bad value makes the controller exit 2 at once, naming it.
# Every address is overridden through the environment to a loopback port where nothing listens,
# so the accepted controller reaches nothing outside; it is stopped once /healthz answers.
source "$REPO_ROOT/scripts/lib/services.sh"
CONTROLLER_JAR=${CONTROLLER_JAR:-$REPO_ROOT/controller/target/review-apps.jar}
[ -f "$CONTROLLER_JAR" ] || { echo "FAIL: missing $CONTROLLER_JAR (run: make build)" >&2; exit 1; }
"$PY" - "$DEPLOY/nomad/review-apps-controller.nomad.hcl" >"$work/nomad-controller.json" <<'PYEOF'
import re, sys
hcl = open(sys.argv[1]).read()
defaults = {m.group(1): m.group(2).replace('\\"', '"') for m in re.finditer(
    r'variable\s+"(\w+)"\s*\{[^}]*?default\s*=\s*"((?:[^"\\]|\\.)*)"', hcl, re.S)}
# Sample values for the variables without a default, as `nomad job run -var` would give them.
defaults.update({"host_template": "{name}.review.example.com",
                 "postgres_jdbc_url": "jdbc:postgresql://shared-pg.internal:5432/postgres",
                 "postgres_endpoint": "shared-pg.internal:5432"})
m = re.search(r'destination\s*=\s*"local/controller.json".*?data\s*=\s*<<-EOT\n(.*?)\n\s*EOT', hcl, re.S)
body = m.group(1)
body = re.sub(r"\$\{var\.(\w+)\}", lambda v: defaults[v.group(1)], body)
# consul-template, as Nomad renders it on a node.
body = re.sub(r'\{\{\s*env\s+"attr\.unique\.network\.ip-address"\s*\}\}', "10.0.0.7", body)
if "{{" in body or "${" in body:
    sys.exit("unrendered template expression left: " + body)
print(body)
PYEOF
for conf in "$work/nomad-controller.json" "$DEPLOY/systemd/controller.json.example"; do
  nowhere=$(free_port)
  port=$(free_port)
  dashboard_port=$(free_port)
  env -u CONSUL_HTTP_TOKEN -u NOMAD_TOKEN -u REVIEW_APPS_POSTGRES_PASSWORD -u REVIEW_APPS_DASHBOARD_TOKEN \
    CONSUL_HTTP_ADDR="http://127.0.0.1:$nowhere" NOMAD_ADDR="http://127.0.0.1:$nowhere" \
    REVIEW_APPS_HTTP_BIND=127.0.0.1 REVIEW_APPS_HTTP_PORT="$port" \
    REVIEW_APPS_DASHBOARD_BIND=127.0.0.1 REVIEW_APPS_DASHBOARD_PORT="$dashboard_port" \
    REVIEW_APPS_POSTGRES_JDBC_URL="jdbc:postgresql://127.0.0.1:$nowhere/postgres" \
    REVIEW_APPS_AWS_ENDPOINT="http://127.0.0.1:$nowhere" REVIEW_APPS_CAPACITY_PROVIDER=static \
    java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$CONTROLLER_JAR" controller \
    --config "$conf" >"$work/controller.log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 90))
  until curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -KILL "$pid" 2>/dev/null || true
      echo "FAIL: the controller with $(basename "$conf") did not serve /healthz within 90 s" >&2
      tail -n 20 "$work/controller.log" >&2
      exit 1
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" && rc=0 || rc=$?
      echo "FAIL: the controller refuses $(basename "$conf") (exit $rc):" >&2
      grep -v '^[0-9:,]* |-' "$work/controller.log" | tail -n 20 >&2
      exit 1
    fi
    sleep 0.1
  done
  kill -TERM "$pid"
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  case $conf in
    *nomad-controller.json) echo "config: the controller accepts the Nomad job's configuration template (rendered with its defaults)" ;;
    *) echo "config: the controller accepts $(basename "$conf")" ;;
  esac
done
