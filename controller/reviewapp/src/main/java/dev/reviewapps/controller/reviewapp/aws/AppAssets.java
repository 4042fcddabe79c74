package dev.reviewapps.controller.reviewapp.aws;

/**
 * The static assets CI pushed for an app (JavaScript, CSS, images served through the CDN), kept
 * under one prefix per app. Teardown removes them.
 */
public interface AppAssets {

  /** Deletes every object of the app; returns how many there were. Nothing there is fine. */
  int deleteAll(String app);

  /** How many objects the app has, for the orphan sweep and tests. */
  int count(String app);

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
      };
}
