/**
 * Shared-mode databases: a role with a generated password and a database it owns per review app, on
 * one PostgreSQL or RDS server, over JDBC. Names are derived from the app name and always quoted;
 * no SQL text ever comes from a branch name or a spec.
 */
package dev.reviewapps.controller.reviewapp.postgres;
