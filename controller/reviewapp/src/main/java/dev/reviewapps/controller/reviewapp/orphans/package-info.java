/**
 * The orphan sweep ({@link dev.reviewapps.controller.reviewapp.orphans.OrphanSweep}): resources of
 * review apps that have neither a spec nor an inventory, found on every system and removed (or only
 * listed, in dry run).
 */
package dev.reviewapps.controller.reviewapp.orphans;
