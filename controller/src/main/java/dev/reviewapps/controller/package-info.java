/** The {@code review-apps} command line: {@code controller} now, {@code reviewctl} to come. */
package dev.reviewapps.controller;
