/**
 * Nomad's HTTP API over the cluster: {@link dev.reviewapps.devstack.nomad.api.NomadHttpApi} maps
 * the documented {@code /v1/...} routes to cluster reads and writes, answers blocking queries
 * ({@code ?index}, {@code ?wait}) without holding a thread, and serves task logs.
 */
package dev.reviewapps.devstack.nomad.api;
