#!/usr/bin/env python3
"""Checks the shipped access policies for syntax and scope (run by deploy/test.sh).

- deploy/acl/*.json: Consul ACL rules in JSON syntax; only key/key_prefix/session_prefix rules,
  every key under review-apps/; the router and CI write nowhere but their own keys.
- deploy/acl/nomad-*.hcl: Nomad ACL policies in HCL: only namespace blocks, only the review-apps
  namespace, only the capabilities each component uses (no policy = "write", no node/agent/operator).
- deploy/aws/controller-iam-policy.json: an IAM policy whose actions name no wildcard, whose
  changing actions reach only ra-* RDS instances (and only tagged ones), the review-apps Auto
  Scaling group and the assets prefix; only read-only Describe/List actions get Resource "*".
"""
import fnmatch
import json
import pathlib
import sys

DEPLOY = pathlib.Path(__file__).resolve().parent
problems = []


def problem(text):
    problems.append(text)


def consul_rules(name, may_write):
    rules = json.loads((DEPLOY / "acl" / name).read_text())
    for kind, entries in rules.items():
        if kind not in ("key", "key_prefix", "session_prefix"):
            problem(f"acl/{name}: unexpected rule kind {kind}")
            continue
        for path, rule in entries.items():
            policy = rule.get("policy")
            if policy not in ("read", "write", "deny"):
                problem(f"acl/{name}: {kind} {path!r}: policy {policy!r}")
            if kind != "session_prefix" and not path.startswith("review-apps/"):
                problem(f"acl/{name}: {kind} {path!r} is outside review-apps/")
            if kind == "key_prefix" and path in ("", "review-apps/"):
                problem(f"acl/{name}: the whole prefix is granted")
            if policy == "write" and kind != "session_prefix" and path not in may_write:
                problem(f"acl/{name}: write on {path!r} is not this component's")
    return rules


controller = consul_rules(
    "controller.json",
    {f"review-apps/{p}/" for p in ("specs", "status", "inventory", "routes", "phases", "secrets",
                                    "guard", "gc", "activity", "wake", "sleep")}
    | {"review-apps/leader"})
router = consul_rules("router.json", {"review-apps/activity/", "review-apps/wake/"})
# CI (reviewctl) writes specs and asks for sleep and wake, as a person with reviewctl would.
ci = consul_rules("ci.json", {"review-apps/specs/", "review-apps/sleep/", "review-apps/wake/"})
for name, rules in (("router.json", router), ("ci.json", ci)):
    readable = rules.get("key_prefix", {})
    if "review-apps/secrets/" in readable:
        problem(f"acl/{name}: reaches secrets/")
    if "session_prefix" in rules:
        problem(f"acl/{name}: needs no sessions")
if "review-apps/status/" in router.get("key_prefix", {}):
    problem("acl/router.json: the router reads phases/, not status/")

import re


def nomad_policy(name, allowed):
    """A small reader of the HCL these files use: blocks, lists of strings, comments."""
    text = (DEPLOY / "acl" / name).read_text()
    body = re.sub(r"#[^\n]*", "", text)
    blocks = re.findall(r'(\w+)\s*"([^"]*)"\s*\{([^{}]*)\}', body)
    rest = re.sub(r'(\w+)\s*"([^"]*)"\s*\{([^{}]*)\}', "", body).strip()
    if rest:
        problem(f"acl/{name}: not understood outside blocks: {rest[:60]!r}")
    if not blocks:
        problem(f"acl/{name}: no namespace block")
    for kind, label, inner in blocks:
        if kind != "namespace":
            problem(f"acl/{name}: {kind} block: only namespace blocks are expected")
        if label != "review-apps":
            problem(f"acl/{name}: namespace {label!r} is not review-apps")
        if re.search(r"\bpolicy\s*=", inner):
            problem(f"acl/{name}: coarse policy = ...; list capabilities instead")
        match = re.fullmatch(r'\s*capabilities\s*=\s*\[([^\]]*)\]\s*', inner)
        if not match:
            problem(f"acl/{name}: namespace block must hold exactly one capabilities list")
            continue
        caps = re.findall(r'"([^"]+)"', match.group(1))
        if re.sub(r'"[^"]+"|[\s,]', "", match.group(1)):
            problem(f"acl/{name}: capabilities must be a list of strings")
        for cap in caps:
            if cap not in allowed:
                problem(f"acl/{name}: capability {cap!r} is more than this component needs")


nomad_policy("nomad-controller.hcl", {"submit-job", "read-job", "list-jobs"})
nomad_policy("nomad-ci.hcl", {"read-job", "list-jobs", "read-logs", "read-fs"})

iam = json.loads((DEPLOY / "aws" / "controller-iam-policy.json").read_text())
if iam.get("Version") != "2012-10-17":
    problem("iam: Version must be 2012-10-17")
ALLOWED = [
    "arn:aws:rds:*:*:db:ra-*",
    "arn:aws:rds:*:*:snapshot:ra-*",
    "arn:aws:rds:*:*:snapshot:review-apps-allowed-*",
    "arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/review-apps-nodes",
    "arn:aws:s3:::review-app-assets",
    "arn:aws:s3:::review-app-assets/assets/*",
]
READ_ONLY = ("Describe", "List", "Get")
for st in iam["Statement"]:
    sid = st.get("Sid", "?")
    if st.get("Effect") != "Allow":
        problem(f"iam {sid}: only Allow statements are expected")
    actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
    resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
    for action in actions:
        service, _, verb = action.partition(":")
        if "*" in action or service not in ("rds", "autoscaling", "s3"):
            problem(f"iam {sid}: action {action!r} is a wildcard or another service")
        if resources == ["*"] and not verb.startswith(READ_ONLY):
            problem(f"iam {sid}: {action} may change anything (Resource *)")
    if resources != ["*"]:
        for r in resources:
            if r not in ALLOWED:
                problem(f"iam {sid}: resource {r!r} is outside review-apps' own")
    changes_rds = any(a.startswith("rds:") and not a.split(":")[1].startswith(READ_ONLY) for a in actions)
    if changes_rds and any(fnmatch.fnmatch(r, "arn:aws:rds:*:*:db:*") for r in resources):
        if "Null" not in st.get("Condition", {}):
            problem(f"iam {sid}: changes RDS instances without a review-app tag condition")

if problems:
    print("\n".join("policies: " + p for p in problems), file=sys.stderr)
    sys.exit(1)
print("policies: deploy/acl (Consul: controller, router, ci; Nomad: controller, ci) and the"
      " controller's IAM policy are scoped")
