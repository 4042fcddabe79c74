package dev.reviewapps.controller.reviewapp;

import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One listing of the orphan sweep: how to list resources that carry review-apps' mark (resource ID
 * to the app it names), whether an ID is exactly the one review-apps would give that app, and how
 * to remove one.
 *
 * @param name the kind's name in logs and in {@code review_apps_orphans{kind}}
 */
public record OrphanSource(
    String name,
    Supplier<Map<String, String>> list,
    BiPredicate<String, String> named,
    Consumer<Orphan> remove) {

  /** A resource of an app that has neither spec nor inventory. */
  public record Orphan(String kind, String id, String app) {}
}
