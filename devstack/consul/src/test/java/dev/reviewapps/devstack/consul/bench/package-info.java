/** Benchmarks of the Consul stand-in, run by {@code make bench} (JUnit tag {@code bench}). */
package dev.reviewapps.devstack.consul.bench;
