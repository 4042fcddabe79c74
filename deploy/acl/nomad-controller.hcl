# Nomad ACL policy of the review-apps controller: its own namespace only.
#   nomad namespace apply -description "review apps" review-apps
#   nomad acl policy apply -description "review-apps controller" review-apps-controller deploy/acl/nomad-controller.hcl
#   nomad acl token create -name review-apps-controller -policy review-apps-controller
# and set reviewapp.nomad.namespace (NOMAD_NAMESPACE) to review-apps. The controller registers,
# reads, lists, stops and purges the apps' jobs and reads their allocations; nothing else.
namespace "review-apps" {
  capabilities = ["submit-job", "read-job", "list-jobs"]
}
