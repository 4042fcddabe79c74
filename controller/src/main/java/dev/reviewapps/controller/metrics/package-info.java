/**
 * The Prometheus registry (Micrometer) and the meters of the engine under the names
 * controller-runtime exports, so that existing controller-runtime dashboards and alerts work
 * unchanged. Micrometer's Prometheus naming appends {@code _total} to counters and {@code _seconds}
 * to timers, so meters here are named without those suffixes.
 */
package dev.reviewapps.controller.metrics;
