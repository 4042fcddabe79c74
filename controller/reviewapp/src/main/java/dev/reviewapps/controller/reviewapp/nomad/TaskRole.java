package dev.reviewapps.controller.reviewapp.nomad;

import java.util.Locale;

/** The kinds of task a review app runs on Nomad; each is one task group of the same name. */
public enum TaskRole {
  REDIS,
  WEB,
  WORKER,
  MIGRATE,
  SEED,
  PREDESTROY;

  /** The task group and task name, and the key in configuration: {@code redis}, {@code web}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
