/**
 * Consul behind small interfaces ({@link dev.reviewapps.consul.KeyValueStore}, {@link
 * dev.reviewapps.consul.Sessions}) with consul-api implementations, the connection (token, TLS,
 * timeouts, per-endpoint metrics) and the generic key layout ({@link
 * dev.reviewapps.consul.KeyLayout}). Shared by the controller and reviewctl; it knows nothing of
 * review apps.
 */
package dev.reviewapps.consul;
