/**
 * The {@code review-apps} command line: {@code controller} (the CLI {@code reviewctl} is its own
 * module).
 */
package dev.reviewapps.controller;
