/**
 * The read-only web dashboard: every app and one page per app, served by each controller on a port
 * of its own ({@link dev.reviewapps.controller.reviewapp.dashboard.DashboardServer}), built from
 * Consul's keys and Nomad's allocations ({@link
 * dev.reviewapps.controller.reviewapp.dashboard.DashboardModel}) and rendered by the precompiled
 * jte templates in {@code src/main/jte/dashboard}.
 */
package dev.reviewapps.controller.reviewapp.dashboard;
