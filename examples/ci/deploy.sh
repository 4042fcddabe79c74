#!/usr/bin/env bash
# Deploys the review app of the current branch: assets to S3, the spec to Consul, then waits for
# Ready and prints the URL. Used by CircleCI and GitHub Actions alike (see README.md).
#
# Branch: REVIEW_APP_BRANCH, else CIRCLE_BRANCH, else GITHUB_REF_NAME.
# Commit: REVIEW_APP_COMMIT, else CIRCLE_SHA1, else GITHUB_SHA.
# Image:  REVIEW_APP_IMAGE (required), the image CI just built and pushed.
# Exit codes: 0 ready (or not a deploy-* branch), 1 failed or error, 2 not ready in time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/reviewctl.sh"

branch="${REVIEW_APP_BRANCH:-${CIRCLE_BRANCH:-${GITHUB_REF_NAME:-}}}"
commit="${REVIEW_APP_COMMIT:-${CIRCLE_SHA1:-${GITHUB_SHA:-}}}"
template="${REVIEW_APP_SPEC_TEMPLATE:-$here/reviewapp.template.json}"
assets_dir="${REVIEW_APP_ASSETS_DIR:-public}"
timeout="${REVIEW_APP_WAIT_TIMEOUT:-10m}"

review_branch deploy.sh "$branch"
if [[ -z "$commit" ]]; then
  echo "deploy.sh: no commit: set REVIEW_APP_COMMIT" >&2
  exit 1
fi
if [[ -z "${REVIEW_APP_IMAGE:-}" ]]; then
  echo "deploy.sh: no image: set REVIEW_APP_IMAGE to the image built for $commit" >&2
  exit 1
fi

name="$(reviewctl name "$branch")"
echo "deploy.sh: branch $branch -> review app $name (commit $commit)"

if [[ -d "$assets_dir" ]]; then
  if [[ -n "${REVIEW_APPS_ASSETS_BUCKET:-}" ]]; then
    reviewctl assets push "$name" "$assets_dir"
  else
    echo "deploy.sh: $assets_dir/ found but REVIEW_APPS_ASSETS_BUCKET is not set: assets not pushed"
  fi
fi

# The template holds ${NAME}, ${BRANCH}, ${COMMIT} and ${IMAGE}; reviewctl fills them in
# JSON-escaped, validates with the controller's rules and writes with check-and-set.
reviewctl apply -f "$template" \
  --var "NAME=$name" --var "BRANCH=$branch" --var "COMMIT=$commit" --var "IMAGE=$REVIEW_APP_IMAGE"

status=0
reviewctl wait "$name" --for Ready --timeout "$timeout" || status=$?
if [[ $status -ne 0 ]]; then
  # What the controller says, for the CI log; the exit code stays wait's (1 failed, 2 timeout).
  reviewctl describe "$name" >&2 || true
  exit "$status"
fi

url="$(reviewctl get "$name" -o url)"
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  { echo "name=$name"; echo "url=$url"; } >>"$GITHUB_OUTPUT"
fi
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  echo "Review app **$name** (commit \`$commit\`): $url" >>"$GITHUB_STEP_SUMMARY"
fi
echo "review app $name is ready: $url"
