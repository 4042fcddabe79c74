package dev.reviewapps.controller.config;

/** Where {@code /metrics}, {@code /healthz} and {@code /readyz} listen; port 0 picks a free one. */
public record HttpSettings(String bind, int port) {}
