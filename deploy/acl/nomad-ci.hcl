# Nomad ACL policy of CI and people running `reviewctl logs` and `reviewctl describe`: reading the
# apps' jobs, allocations and task logs in the review-apps namespace, changing nothing.
#   nomad acl policy apply -description "review-apps CI" review-apps-ci deploy/acl/nomad-ci.hcl
namespace "review-apps" {
  capabilities = ["read-job", "list-jobs", "read-logs", "read-fs"]
}
