/**
 * The inventory of each review app, {@code <prefix>/inventory/<name>}: every outside resource
 * created for it, recorded before the step that creates it returns (in fact before it is created:
 * names are deterministic, so recording first means a crash can never leave an unrecorded resource,
 * and teardown of a recorded one that was never made is a no-op).
 */
package dev.reviewapps.client.inventory;
