/**
 * The ReviewApp resource envelope: {@link dev.reviewapps.model.ReviewApp} with its {@code
 * apiVersion}, {@code kind} and {@link dev.reviewapps.model.Metadata}. The desired state lives in
 * {@code .spec}, the observed state in {@code .status}; JSON lives in {@code .json}.
 */
package dev.reviewapps.model;
