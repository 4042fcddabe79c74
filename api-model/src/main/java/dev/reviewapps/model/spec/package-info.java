/**
 * The desired state of a review app ({@code .spec} of a ReviewApp): what to run, with which
 * database, Redis, release commands, processes, environment and time to live. Immutable records;
 * the rules on their values live in {@code dev.reviewapps.model.validation}.
 */
package dev.reviewapps.model.spec;
