/**
 * The Consul contract suite: tests written from Consul's HTTP API documentation that run against
 * the stand-in, or against a real Consul when {@code CONSUL_HTTP_ADDR} (and {@code
 * CONSUL_HTTP_TOKEN}) are set, through both consul-api and raw HTTP.
 */
package dev.reviewapps.devstack.consul.contract;
