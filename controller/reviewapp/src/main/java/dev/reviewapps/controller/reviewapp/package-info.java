/**
 * The ReviewApp reconciler, the shape of a resource kind, and one reconcile or teardown pass of an
 * app.
 */
package dev.reviewapps.controller.reviewapp;
