/**
 * resilience4j retry and circuit breaker per outside system (Consul, Nomad, RDS, Auto Scaling, S3,
 * PostgreSQL), with their metrics in the process's registry, and the guarded Consul store and
 * sessions the engine uses.
 */
package dev.reviewapps.controller.resilience;
