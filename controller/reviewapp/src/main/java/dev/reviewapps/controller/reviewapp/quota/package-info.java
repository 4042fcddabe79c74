/**
 * The quota of concurrent review apps: {@link dev.reviewapps.controller.reviewapp.quota.Quota}
 * keeps new apps Pending ({@code QuotaExceeded}) while it is full and lets the oldest in first.
 */
package dev.reviewapps.controller.reviewapp.quota;
