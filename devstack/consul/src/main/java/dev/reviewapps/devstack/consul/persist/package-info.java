/**
 * The data directory: a snapshot of the state plus a journal of commits since, so KV, sessions and
 * indexes survive a restart of the stand-in.
 */
package dev.reviewapps.devstack.consul.persist;
