/**
 * The resource kinds of a review app, one file each ({@code ResourceKind}): database, capacity,
 * Redis, predestroy, migrate, seed, web, worker, route, assets. Bound in order by {@code
 * ResourceKindsModule}.
 */
package dev.reviewapps.controller.reviewapp.kinds;
