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

  /** No assets bucket is configured: there is nothing to delete. */
  AppAssets NONE =
      new AppAssets() {
        @Override
        public int deleteAll(String app) {
          return 0;
        }

        @Override
        public int count(String app) {
          return 0;
        }

        @Override
        public Set<String> apps() {
          return Set.of();
        }
      };
}
