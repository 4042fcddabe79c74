/**
 * Names derived from branches: {@link dev.reviewapps.model.naming.AppName} (the DNS label that keys
 * a review app everywhere) and {@link dev.reviewapps.model.naming.HostTemplate} (its public host
 * name).
 */
package dev.reviewapps.model.naming;
