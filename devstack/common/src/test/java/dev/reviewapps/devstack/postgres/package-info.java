/**
 * Test fixtures for code that needs a real PostgreSQL server: {@link
 * dev.reviewapps.devstack.postgres.ThrowawayPostgres} starts a private cluster on a free port and
 * removes it afterwards. Shipped in devstack-common's test-jar.
 */
package dev.reviewapps.devstack.postgres;
