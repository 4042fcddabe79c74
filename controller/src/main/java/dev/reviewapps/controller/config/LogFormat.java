package dev.reviewapps.controller.config;

/** How log lines look: text for people, JSON (logback's JsonEncoder) for log pipelines. */
public enum LogFormat {
  TEXT,
  JSON
}
