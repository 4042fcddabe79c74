/**
 * Garbage collection of specs: branches gone for the grace period and TTLs run out ({@link
 * dev.reviewapps.controller.reviewapp.gc.SpecGc}), with the first sighting of each spec version and
 * the start of each grace period kept in Consul ({@link
 * dev.reviewapps.controller.reviewapp.gc.GcRecords}) so that restarts extend neither.
 */
package dev.reviewapps.controller.reviewapp.gc;
