package dev.reviewapps.devstack.nomad.check;

/**
 * The latest result of one service check, as Nomad's {@code /v1/client/allocation/:id/checks}
 * reports it.
 *
 * @param id the check ID
 * @param check the check name
 * @param service the service name
 * @param task the task of a task-level service, else empty
 * @param status {@code pending}, {@code success} or {@code failure}
 * @param statusCode the HTTP status, 0 if none was received
 * @param output what the check saw
 * @param timestampSeconds when it ran, Unix seconds
 */
public record CheckResult(
    String id,
    String check,
    String service,
    String task,
    String status,
    int statusCode,
    String output,
    long timestampSeconds) {}
