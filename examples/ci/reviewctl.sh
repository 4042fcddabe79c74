# Sourced by deploy.sh and cleanup.sh: finds reviewctl and defines the deploy-* rule.
# REVIEWCTL wins; then a reviewctl on PATH; then bin/reviewctl of this repository.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -n "${REVIEWCTL:-}" ]]; then
  reviewctl_cmd="$REVIEWCTL"
elif command -v reviewctl >/dev/null 2>&1; then
  reviewctl_cmd="$(command -v reviewctl)"
else
  reviewctl_cmd="$here/../../bin/reviewctl"
fi

reviewctl() {
  "$reviewctl_cmd" "$@"
}

# Only branches named deploy-* get a review app (the original design's CircleCI filter).
# review_branch SCRIPT BRANCH: fails without a branch, ends the script (exit 0) for any other.
review_branch() {
  if [[ -z "$2" ]]; then
    echo "$1: no branch: set REVIEW_APP_BRANCH (or give it as described at the top of $1)" >&2
    exit 1
  fi
  if [[ "$2" != deploy-* ]]; then
    echo "$1: $2 is not a deploy-* branch: nothing to do"
    exit 0
  fi
}
