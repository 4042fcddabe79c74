/**
 * The controller's HTTP endpoints on the JDK's HttpServer: {@code /metrics} (Prometheus text),
 * {@code /healthz} (the process is alive) and {@code /readyz} (Consul reachable, leadership known).
 */
package dev.reviewapps.controller.http;
