package dev.reviewapps.client.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inventory's JSON, version 1:
 *
 * <pre>{@code
 * {"version":1,"app":"deploy-x",
 *  "resources":[{"kind":"credentials","id":"review-apps/secrets/deploy-x"},
 *               {"kind":"shared-database","id":"ra_deploy_x","role":"ra_deploy_x"},
 *               {"kind":"nomad-job","id":"deploy-x"},{"kind":"route","id":"deploy-x.review.test"}],
 *  "database":{"endpoint":"10.0.0.5:5432","name":"ra_deploy_x"},
 *  "release":{"migrated":"0a1b2c3d4e","seeded":true},
 *  "allocations":[{"cpu":100,"memoryMB":64}],
 *  "appliedSpec":"{\"apiVersion\":\"reviewapps/v1\",...}",
 *  "teardown":{"since":"2026-11-26T08:00:00Z","predestroy":{"attempts":1,
 *              "started":"2026-11-26T08:00:01Z","outcome":"succeeded"}},
 *  "sleep":{"asleepSince":"2026-11-26T09:00:00Z","activeSince":"2026-11-26T08:00:00Z"},
 *  "cost":{"dollars":1.25,"since":"2026-11-26T09:00:00Z","perHour":0.0123}}
 * }</pre>
 *
 * {@code teardown} is there once the app's teardown has begun; {@code started} while a predestroy
 * attempt runs, {@code outcome} once the command is finished with.
 *
 * <p>Unknown resource kinds are an error, not skipped: teardown must never think a resource it
 * cannot read is not there.
 */
public final class InventoryJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private InventoryJson() {}

  /** The JSON bytes of an inventory. */
  public static byte[] write(Inventory inventory) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    root.put("app", inventory.app());
    ArrayNode resources = root.putArray("resources");
    for (Resource r : inventory.resources()) {
      ObjectNode node = resources.addObject().put("kind", r.kind()).put("id", r.id());
      if (r instanceof Resource.SharedDatabase db) {
        node.put("role", db.role());
      }
    }
    if (inventory.databaseEndpoint().isPresent() || inventory.databaseName().isPresent()) {
      ObjectNode database = root.putObject("database");
      inventory.databaseEndpoint().ifPresent(e -> database.put("endpoint", e));
      inventory.databaseName().ifPresent(n -> database.put("name", n));
    }
    ObjectNode release = root.putObject("release");
    inventory.migratedRelease().ifPresent(m -> release.put("migrated", m));
    release.put("seeded", inventory.seeded());
    ArrayNode allocations = root.putArray("allocations");
    for (Footprint f : inventory.allocations()) {
      allocations.addObject().put("cpu", f.cpuMhz()).put("memoryMB", f.memoryMb());
    }
    inventory.appliedSpec().ifPresent(spec -> root.put("appliedSpec", spec));
    inventory.teardown().ifPresent(t -> writeTeardown(root.putObject("teardown"), t));
    SleepState sleep = inventory.sleep();
    if (!sleep.equals(SleepState.AWAKE)) {
      ObjectNode node = root.putObject("sleep");
      sleep.asleepSince().ifPresent(t -> node.put("asleepSince", t.toString()));
      sleep.activeSince().ifPresent(t -> node.put("activeSince", t.toString()));
      sleep.wakeRequested().ifPresent(t -> node.put("wakeRequested", t.toString()));
    }
    inventory
        .cost()
        .ifPresent(
            c ->
                root.putObject("cost")
                    .put("dollars", c.dollars())
                    .put("since", c.since().toString())
                    .put("perHour", c.perHour()));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode inventory of " + inventory.app(), e);
    }
  }

  /** Reads an inventory; a document it cannot fully understand is an error. */
  public static Inventory read(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("inventory is not JSON", e);
    }
    if (root == null || root.path("version").asInt() != 1 || !root.path("app").isTextual()) {
      throw new IllegalArgumentException("inventory is not a version 1 inventory");
    }
    String app = root.get("app").asText();
    List<Resource> resources = new ArrayList<>();
    for (JsonNode node : root.path("resources")) {
      String id = node.path("id").asText();
      resources.add(
          switch (node.path("kind").asText()) {
            case "credentials" -> new Resource.Credentials(id);
            case "shared-database" -> new Resource.SharedDatabase(id, node.path("role").asText());
            case "rds-instance" -> new Resource.RdsInstance(id);
            case "nomad-job" -> new Resource.NomadJob(id);
            case "route" -> new Resource.Route(id);
            // A kind a deployment added: its resource kind deletes it (or, if that kind is gone
            // from the list, the teardown keeps the inventory and says so: never a leak).
            default -> customKind(app, node.path("kind").asText(), id);
          });
    }
    JsonNode database = root.path("database");
    JsonNode release = root.path("release");
    List<Footprint> allocations = new ArrayList<>();
    for (JsonNode node : root.path("allocations")) {
      allocations.add(new Footprint(node.path("cpu").asInt(), node.path("memoryMB").asInt()));
    }
    return new Inventory(
        app,
        resources,
        text(database, "endpoint"),
        text(database, "name"),
        text(release, "migrated"),
        release.path("seeded").asBoolean(false),
        allocations,
        text(root, "appliedSpec"),
        root.hasNonNull("teardown")
            ? Optional.of(readTeardown(root.get("teardown")))
            : Optional.empty(),
        readSleep(root.path("sleep")),
        readCost(root.path("cost")));
  }

  private static Resource customKind(String app, String kind, String id) {
    if (!Resource.Custom.KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException(
          "inventory of " + app + " has a resource kind that is no kind name: " + kind);
    }
    return new Resource.Custom(kind, id);
  }

  private static Optional<CostLedger> readCost(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new CostLedger(
              node.path("dollars").asDouble(),
              Instant.parse(node.path("since").asText()),
              node.path("perHour").asDouble()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("inventory has an unreadable cost time", e);
    }
  }

  private static SleepState readSleep(JsonNode node) {
    try {
      return new SleepState(
          text(node, "asleepSince").map(Instant::parse),
          text(node, "activeSince").map(Instant::parse),
          text(node, "wakeRequested").map(Instant::parse));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("inventory has an unreadable sleep time", e);
    }
  }

  private static void writeTeardown(ObjectNode node, TeardownProgress t) {
    node.put("since", t.since().toString());
    ObjectNode predestroy = node.putObject("predestroy");
    predestroy.put("attempts", t.predestroyAttempts());
    t.predestroyStarted().ifPresent(s -> predestroy.put("started", s.toString()));
    t.predestroy().ifPresent(o -> predestroy.put("outcome", o.json()));
  }

  private static TeardownProgress readTeardown(JsonNode node) {
    JsonNode predestroy = node.path("predestroy");
    try {
      return new TeardownProgress(
          Instant.parse(node.path("since").asText()),
          predestroy.path("attempts").asInt(0),
          text(predestroy, "started").map(Instant::parse),
          text(predestroy, "outcome").map(TeardownProgress.PredestroyOutcome::ofJson));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("inventory has an unreadable teardown time", e);
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
  }
}
