/**
 * Who owns a resource: {@link dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict},
 * raised by every provider that finds a resource under an app's name without that app's mark. A
 * package of its own so that the providers (aws, nomad, postgres, routes) and the inventory depend
 * on it and not on each other.
 */
package dev.reviewapps.controller.reviewapp.ownership;
