/**
 * Fault injection: per action, a share of calls throttled, a share answered with a 5xx error, and
 * added latency, set in code or through the {@code /_devstack/faults} admin endpoint.
 */
package dev.reviewapps.devstack.aws.faults;
