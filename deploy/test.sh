#!/usr/bin/env bash
# The checks of deploy/, run by `make test` (after the jars are built). Every part runs even when
# an earlier one failed, so one run reports them all; the exit status is 1 if any failed.
set -uo pipefail
DEPLOY=$(cd "$(dirname "$0")" && pwd)
failed=()

# part NAME COMMAND...: runs one check and records its failure.
part() {
  local name=$1; shift
  echo "== deploy: $name"
  if "$@"; then echo "== deploy: $name: ok"; else echo "== deploy: $name: FAILED" >&2; failed+=("$name"); fi
}

# Prometheus: the config and rules parse, and the alert rules' unit tests pass.
prometheus_checks() (
  set -e
  cd "$DEPLOY/prometheus"
  promtool check config --syntax-only prometheus.yml >/dev/null
  promtool check rules review-apps.rules.yml
  promtool test rules review-apps.rules.test.yml
)
part "promtool rules and unit tests" prometheus_checks
part "systemd unit, Dockerfile, Nomad job" "$DEPLOY/test-packaging.sh"
part "Consul ACL and IAM policies: syntax and scope" python3 "$DEPLOY/test-policies.py"
part "router production config" "$DEPLOY/test-router.sh"
part "dashboard and alert metrics exported by a running controller" "$DEPLOY/test-dashboard.sh"

if [ ${#failed[@]} -gt 0 ]; then
  printf 'deploy: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "deploy: all checks passed"
