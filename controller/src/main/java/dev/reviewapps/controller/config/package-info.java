/**
 * The controller's configuration: one JSON file, environment overrides for what deployments set per
 * environment ({@code CONSUL_HTTP_ADDR}, {@code CONSUL_HTTP_TOKEN}, {@code REVIEW_APPS_*}),
 * defaults for the rest, validated at start with errors that name the field.
 */
package dev.reviewapps.controller.config;
