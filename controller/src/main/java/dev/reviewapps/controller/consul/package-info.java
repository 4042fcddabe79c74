/**
 * Consul behind small interfaces ({@link dev.reviewapps.controller.consul.KeyValueStore}, {@link
 * dev.reviewapps.controller.consul.Sessions}) with consul-api implementations, and {@link
 * dev.reviewapps.controller.consul.LeaderElection} on a Consul lock.
 */
package dev.reviewapps.controller.consul;
