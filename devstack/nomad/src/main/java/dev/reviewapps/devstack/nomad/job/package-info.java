/**
 * Nomad job specifications as the HTTP API carries them: {@link
 * dev.reviewapps.devstack.nomad.job.JobParser} validates a submitted job, fills in the defaults
 * Nomad's canonicalisation adds, and yields a typed {@link
 * dev.reviewapps.devstack.nomad.job.JobSpec} for the scheduler and the task runner.
 */
package dev.reviewapps.devstack.nomad.job;
