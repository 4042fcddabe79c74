/** Deterministic naming helpers shared by the providers: short digests for resource names. */
package dev.reviewapps.controller.reviewapp.naming;
