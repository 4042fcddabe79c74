/**
 * The Consul state machine of the stand-in: KV entries, tombstones, sessions, lock-delays and the
 * Raft-style indexes, with Consul's rules for check-and-set, locks and atomic transactions. No HTTP
 * here; {@link dev.reviewapps.devstack.consul.state.ConsulState} is the single owner of the data
 * and reports every change as a {@link dev.reviewapps.devstack.consul.state.Commit}.
 */
package dev.reviewapps.devstack.consul.state;
