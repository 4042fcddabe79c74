/**
 * The mass-deletion guard: {@link dev.reviewapps.controller.reviewapp.guard.DeletionGuard} holds
 * back teardowns and garbage-collection deletions that would remove more apps at once than {@link
 * dev.reviewapps.controller.reviewapp.guard.GuardLimits} allow, until an operator confirms or the
 * condition clears by itself.
 */
package dev.reviewapps.controller.reviewapp.guard;
