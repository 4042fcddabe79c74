/**
 * The rules a ReviewApp must follow, reported all at once as {@link
 * dev.reviewapps.model.validation.Violation}s that name the JSON path and the rule broken. The
 * bounds are public constants in {@link dev.reviewapps.model.validation.Bounds} so that the
 * controller and the JSON Schema can refer to the same numbers.
 */
package dev.reviewapps.model.validation;
