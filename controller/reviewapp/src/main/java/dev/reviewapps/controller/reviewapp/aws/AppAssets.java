package dev.reviewapps.controller.reviewapp.aws;

import java.util.Set;

/**
 * The static assets CI pushed for an app (JavaScript, CSS, images served through the CDN), kept
 * under one prefix per app. Teardown removes them.
 */
public interface AppAssets {

  /** Deletes every object of the app; returns how many there were. Nothing there is fine. */
  int deleteAll(String app);

  /** How many objects the app has, for the orphan sweep and tests. */
  int count(String app);

  /**
   * The apps that have objects (the names of the folders under the prefix), for the orphan sweep.
   */
  Set<String> apps();
}
