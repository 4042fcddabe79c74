#!/usr/bin/env bash
# Removes the review app of a deleted branch: deletes its spec, and the controller tears it down
# (jobs, database, route, assets). Safe to run twice.
#
# Usage: cleanup.sh [BRANCH]   (default REVIEW_APP_BRANCH; GitHub passes github.event.ref)
# REVIEW_APP_CLEANUP_WAIT=10m also waits until the teardown is done (exit 2 if it is not in time).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/reviewctl.sh"

branch="${1:-${REVIEW_APP_BRANCH:-}}"
review_branch cleanup.sh "$branch"

name="$(reviewctl name "$branch")"
if [[ -n "${REVIEW_APP_CLEANUP_WAIT:-}" ]]; then
  reviewctl delete "$name" --ignore-not-found --wait --timeout "$REVIEW_APP_CLEANUP_WAIT"
else
  reviewctl delete "$name" --ignore-not-found
fi
