package dev.reviewapps.controller.http;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One condition of readiness: empty when it holds, otherwise a short reason shown by {@code
 * /readyz}.
 */
public record ReadinessCheck(String name, Supplier<Optional<String>> problem) {}
