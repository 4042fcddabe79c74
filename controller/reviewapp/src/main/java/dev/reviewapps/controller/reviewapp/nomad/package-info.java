/**
 * The review app's Nomad jobs: a pure builder ({@link
 * dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs}) that turns a spec into nomad-sdk job
 * objects, the task drivers (docker, raw_exec with command templates), and the small interface the
 * steps use to register jobs and read allocations, with its nomad-sdk implementation.
 */
package dev.reviewapps.controller.reviewapp.nomad;
