package dev.reviewapps.controller.reviewapp.guard;

import dev.reviewapps.consul.KeyValueStore;
import java.util.HashSet;
import java.util.Set;

/** App names from the keys under a per-app prefix ({@code specs/}, {@code inventory/}...). */
public final class AppKeys {
  private AppKeys() {}

  /**
   * The names directly under {@code prefix}: a folder key or anything deeper is not an app's key.
   */
  public static Set<String> under(KeyValueStore kv, String prefix) {
    Set<String> names = new HashSet<>();
    for (String key : kv.keys(prefix)) {
      String name = key.substring(prefix.length());
      if (!name.isEmpty() && !name.contains("/")) {
        names.add(name);
      }
    }
    return names;
  }
}
