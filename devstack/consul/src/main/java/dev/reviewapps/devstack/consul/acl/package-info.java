/**
 * ACL tokens for the stand-in: a rules file maps token secrets to Consul-style {@code key}, {@code
 * key_prefix}, {@code session_prefix}, {@code agent_prefix} and {@code node_prefix} policies, and
 * an {@link dev.reviewapps.devstack.consul.acl.Authorizer} answers what one token may do. Nothing
 * here speaks HTTP.
 */
package dev.reviewapps.devstack.consul.acl;
