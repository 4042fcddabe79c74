package dev.reviewapps.reviewctl;

import dev.reviewapps.client.view.AppView;
import dev.reviewapps.client.view.AppViews;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import java.util.List;

/** {@link AppViews} with the command line's error for a name Consul knows nothing about. */
final class Apps {
  private final AppViews views;

  Apps(KeyValueStore store, KeyLayout layout) {
    this.views = new AppViews(store, layout);
  }

  AppView one(String name) {
    return views.one(name);
  }

  /** The app, or a "no review app named" error when Consul holds nothing about it. */
  AppView existing(String name, String operation) {
    AppView app = one(name);
    if (!app.exists()) {
      throw new CliError(operation + " " + name + ": no review app named " + name);
    }
    return app;
  }

  /** Every app with a spec, a status or an inventory, sorted by name. */
  List<AppView> all() {
    return views.all();
  }
}
