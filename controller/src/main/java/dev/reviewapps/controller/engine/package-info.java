/**
 * The generic machinery of a Kubernetes-style controller with Consul KV as its API server: the
 * {@link dev.reviewapps.controller.engine.Reconciler} contract and its {@link
 * dev.reviewapps.controller.engine.Result} values, the rate-limited {@link
 * dev.reviewapps.controller.engine.WorkQueue}, the {@link
 * dev.reviewapps.controller.engine.WorkerPool}, the {@link
 * dev.reviewapps.controller.engine.SpecWatch} that turns Consul changes into names, and the
 * periodic {@link dev.reviewapps.controller.engine.Resync}. Nothing here knows what a ReviewApp is.
 */
package dev.reviewapps.controller.engine;
