/**
 * Writing ReviewApp status to {@code <prefix>/status/<name>}: check-and-set against the entry's
 * ModifyIndex (a conflict re-reads and retries), condition {@code lastTransitionTime} kept unless
 * the condition's status flips, and terminal errors recorded as phase Failed.
 */
package dev.reviewapps.controller.reviewapp.status;
