/**
 * JSON for ReviewApp specs and statuses: {@link dev.reviewapps.model.json.ReviewAppJson} reads
 * bytes into a {@link dev.reviewapps.model.json.ParseResult} (the app, or every violation) and
 * writes records back byte-for-byte stable. Callers never see a Jackson exception.
 */
package dev.reviewapps.model.json;
