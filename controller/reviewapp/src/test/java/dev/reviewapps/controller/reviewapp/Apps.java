package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import java.nio.file.Path;

/** Spec documents of the example app for the integration tests and the benchmark. */
final class Apps {
  private Apps() {}

  /** A shared-database spec running examples/app with tiny resources. */
  static String shared(String name, String commit) {
    return spec(name, commit, "{\"mode\":\"shared\"}", true);
  }

  /** The same with a dedicated RDS instance. */
  static String instance(String name, String commit) {
    return spec(
        name,
        commit,
        "{\"mode\":\"instance\",\"instanceClass\":\"db.t3.micro\",\"allocatedStorage\":20}",
        true);
  }

  /** A spec with a web process only: no Redis, worker, migrate or seed (for the benchmark). */
  static String webOnly(String name, String commit) {
    return spec(name, commit, "{\"mode\":\"shared\"}", false);
  }

  static String spec(String name, String commit, String database, boolean full) {
    Path bin = ReviewAppWorld.exampleApp().resolve("bin");
    String release =
        full
            ? "\"release\":{\"migrate\":\""
                + bin.resolve("migrate")
                + "\",\"seed\":\""
                + bin.resolve("seed")
                + "\"},"
            : "\"release\":{\"migrate\":\"" + bin.resolve("migrate") + "\"},";
    String redis = full ? "\"redis\":{\"image\":\"redis:7\"}," : "";
    String worker =
        full
            ? ",\"worker\":{\"command\":\""
                + bin.resolve("worker")
                + "\",\"count\":1,\"cpu\":50,\"memoryMB\":32}"
            : "";
    return "{\"apiVersion\":\"reviewapps/v1\",\"kind\":\"ReviewApp\","
        + "\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{\"branch\":\""
        + name
        + "\",\"commit\":\""
        + commit
        + "\",\"image\":\"registry.example.com/shop/web:"
        + commit
        + "\",\"database\":"
        + database
        + ","
        + redis
        + release
        + "\"processes\":{\"web\":{\"command\":\""
        + bin.resolve("web")
        + "\",\"count\":1,\"cpu\":50,\"memoryMB\":32,\"healthPath\":\"/health\"}"
        + worker
        + "},\"env\":{\"APP_GREETING\":\"hello\"}}}";
  }
}
