/**
 * The state of a one-node Nomad cluster and its scheduler: {@link
 * dev.reviewapps.devstack.nomad.cluster.Cluster} keeps jobs with their versions, evaluations and
 * allocations under one Raft-like index, places allocations while the node's CPU, memory and ports
 * fit (blocking the evaluation otherwise), and hands placed allocations to an {@link
 * dev.reviewapps.devstack.nomad.exec.AllocRunner}. {@link
 * dev.reviewapps.devstack.nomad.cluster.ClusterJson} renders the state in Nomad's JSON shapes.
 */
package dev.reviewapps.devstack.nomad.cluster;
