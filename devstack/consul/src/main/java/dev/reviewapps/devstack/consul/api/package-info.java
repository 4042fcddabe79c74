/**
 * Consul's HTTP API over the stand-in's state: {@code /v1/kv}, {@code /v1/txn}, {@code
 * /v1/session}, the status and agent probes, with Consul's status codes, headers, error texts and
 * blocking queries. {@link dev.reviewapps.devstack.consul.api.ConsulApi} assembles the routes.
 */
package dev.reviewapps.devstack.consul.api;
