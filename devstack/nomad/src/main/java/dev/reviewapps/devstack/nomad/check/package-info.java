/**
 * Service checks of running allocations: {@link dev.reviewapps.devstack.nomad.check.HttpChecks}
 * probes each HTTP check of a group's services on the allocation's port at the check's interval and
 * reports results, from which the cluster derives the allocation's health.
 */
package dev.reviewapps.devstack.nomad.check;
