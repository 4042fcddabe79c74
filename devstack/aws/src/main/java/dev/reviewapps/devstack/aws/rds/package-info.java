/**
 * The RDS stand-in (API version 2014-10-31): DB instances with AWS's lifecycle ({@code creating} →
 * {@code backing-up} → {@code available}, {@code deleting} → gone), snapshots, restores and tags,
 * with AWS's error codes for calls that the current state does not allow.
 */
package dev.reviewapps.devstack.aws.rds;
