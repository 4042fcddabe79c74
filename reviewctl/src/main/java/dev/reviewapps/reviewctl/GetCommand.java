package dev.reviewapps.reviewctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.client.view.Ages;
import dev.reviewapps.client.view.AppView;
import dev.reviewapps.consul.KvEntry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code get [NAME]}: a table of apps (name, phase, URL, age, commit, cost per hour, last request
 * through the router), their JSON, or only their URLs (what a CI script prints).
 */
@Command(
    name = "get",
    description = {
      "List review apps, or show one: NAME, PHASE, URL, AGE, COMMIT, COST/H, LAST REQUEST.",
      "AGE counts from the oldest condition's lastTransitionTime (Consul keeps no write time);"
          + " an app whose spec is gone shows as Deleting."
    })
final class GetCommand extends AppCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  enum Output {
    table,
    json,
    url
  }

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "One app (default: all).")
  String name;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default), json, or url (only the URLs, one per line).")
  Output output;

  @Override
  public Integer call() throws IOException {
    List<AppView> shown = name == null ? apps().all() : List.of(apps().existing(name, "get"));
    Instant now = terminal().clock().instant();
    switch (output) {
      case json -> {
        if (name != null) {
          out().println(JSON.writeValueAsString(json(shown.get(0), now)));
        } else {
          ArrayNode all = JSON.createArrayNode();
          shown.forEach(a -> all.add(json(a, now)));
          out().println(JSON.writeValueAsString(all));
        }
      }
      case url -> {
        for (AppView a : shown) {
          Optional<String> url = a.parsedStatus().flatMap(s -> s.url());
          if (url.isEmpty() && name != null) {
            throw new CliError("get " + name + ": no URL yet (phase " + a.phase() + ")");
          }
          url.ifPresent(out()::println);
        }
      }
      case table -> table(shown, now);
    }
    return ExitCode.OK;
  }

  private void table(List<AppView> shown, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "PHASE", "URL", "AGE", "COMMIT", "COST/H", "LAST REQUEST"});
    for (AppView a : shown) {
      rows.add(
          new String[] {
            a.name(),
            a.phase(),
            a.parsedStatus().flatMap(s -> s.url()).orElse("-"),
            a.since().map(t -> Ages.of(Duration.between(t, now))).orElse("-"),
            a.commit().map(c -> c.substring(0, Math.min(8, c.length()))).orElse("-"),
            a.parsedStatus()
                .flatMap(s -> s.cost())
                .map(c -> String.format(java.util.Locale.ROOT, "$%.4f", c.dollarsPerHour()))
                .orElse("-"),
            a.lastRequest().map(t -> Ages.of(Duration.between(t, now)) + " ago").orElse("-")
          });
    }
    Table.print(out(), rows);
  }

  private static ObjectNode json(AppView a, Instant now) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", a.name());
    node.put("phase", a.phase());
    node.put("url", a.parsedStatus().flatMap(s -> s.url()).orElse(null));
    node.put("commit", a.commit().orElse(null));
    node.put("since", a.since().map(Instant::toString).orElse(null));
    node.put("ageSeconds", a.since().map(t -> Duration.between(t, now).toSeconds()).orElse(null));
    node.put("specIndex", a.spec().map(KvEntry::modifyIndex).orElse(null));
    node.put("lastRequest", a.lastRequest().map(Instant::toString).orElse(null));
    node.set("spec", tree(a.spec()));
    node.set("status", tree(a.status()));
    return node;
  }

  /** The stored JSON as it is; text that is not JSON (a hand edit) as a string. */
  private static JsonNode tree(Optional<KvEntry> entry) {
    if (entry.isEmpty()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(entry.get().value());
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(entry.get().text());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
