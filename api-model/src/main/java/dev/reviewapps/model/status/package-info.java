/**
 * The observed state of a review app as the controller writes it under {@code
 * review-apps/status/<name>}: phase, the spec index it reflects, URL, conditions per reconcile
 * step, last error and expiry.
 */
package dev.reviewapps.model.status;
