/**
 * The devstack Consul stand-in: a test and demo server that speaks Consul's HTTP API for KV,
 * blocking queries, sessions and locks, transactions and ACL tokens. Embed it with {@link
 * dev.reviewapps.devstack.consul.ConsulStandIn#start}, or run it with {@code java -jar devstack.jar
 * consul}. It is not a Consul replacement: one node, no Raft, no catalog.
 */
package dev.reviewapps.devstack.consul;
