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
is_review_branch() {
  [[ "$1" == deploy-* ]]
}
