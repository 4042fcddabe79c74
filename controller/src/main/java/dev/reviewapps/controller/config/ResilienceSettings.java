package dev.reviewapps.controller.config;

import java.time.Duration;

/**
 * Retry and circuit breaker for every outside system.
 *
 * @param attempts calls per operation, the first included
 * @param retryWait the wait before the first retry; doubled for each further one
 * @param failureRate percentage of failed calls in the window that opens the breaker
 * @param window calls the breaker looks back on
 * @param openFor how long an open breaker refuses calls before it lets a few through
 */
public record ResilienceSettings(
    int attempts, Duration retryWait, float failureRate, int window, Duration openFor) {}
