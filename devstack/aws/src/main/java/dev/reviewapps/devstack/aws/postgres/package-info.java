/**
 * Real databases behind the RDS stand-in's instances: with a PostgreSQL server configured, each
 * instance is a database and its master user a role on that server, and snapshots are copies made
 * with {@code CREATE DATABASE … TEMPLATE}.
 */
package dev.reviewapps.devstack.aws.postgres;
