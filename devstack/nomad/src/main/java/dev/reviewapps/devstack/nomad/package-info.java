/**
 * The devstack Nomad stand-in: a server that speaks Nomad's HTTP API, schedules jobs onto one local
 * node and really runs {@code raw_exec} tasks. {@link dev.reviewapps.devstack.nomad.NomadStandIn}
 * embeds it in tests; {@link dev.reviewapps.devstack.nomad.NomadCommand} is {@code devstack.jar
 * nomad}.
 */
package dev.reviewapps.devstack.nomad;
