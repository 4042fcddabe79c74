package dev.reviewapps.reviewctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.consul.KvEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code guard status|confirm}: the operator's side of the mass-deletion guard. The controller
 * writes {@code <prefix>/guard/held} ({@code {"reason","apps","since"}}) when it holds deletions
 * back; {@code confirm} writes {@code <prefix>/guard/confirm} ({@code {"apps","at"}}), the contract
 * in {@code KeyLayout}'s javadoc.
 */
@Command(
    name = "guard",
    description = "The mass-deletion guard: see what it holds back, confirm the deletions.",
    subcommands = {GuardCommand.Status.class, GuardCommand.Confirm.class})
final class GuardCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void run() {
    throw new CliError(
        "guard: say status or confirm (see: reviewctl guard --help)", ExitCode.USAGE);
  }

  /** The held record as the controller wrote it. */
  record Held(String reason, List<String> apps, String since) {}

  static Optional<Held> held(Optional<KvEntry> entry) {
    return entry.map(
        e -> {
          JsonNode root = readJson(e, "guard/held");
          List<String> apps = new ArrayList<>();
          root.path("apps").forEach(a -> apps.add(a.asText()));
          return new Held(root.path("reason").asText(""), apps, root.path("since").asText(""));
        });
  }

  static List<String> confirmedApps(Optional<KvEntry> entry) {
    List<String> apps = new ArrayList<>();
    entry.ifPresent(
        e -> readJson(e, "guard/confirm").path("apps").forEach(a -> apps.add(a.asText())));
    return apps;
  }

  private static JsonNode readJson(KvEntry e, String what) {
    try {
      JsonNode root = JSON.readTree(e.value());
      if (root == null || !root.isObject()) {
        throw new CliError("guard: " + what + " is not a JSON object");
      }
      return root;
    } catch (IOException ex) {
      throw new CliError("guard: " + what + " is not JSON (" + ex.getClass().getSimpleName() + ")");
    }
  }

  @Command(name = "status", description = "Show what the guard holds back and what is confirmed.")
  static final class Status extends AppCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      Optional<Held> held = held(store().get(keys().guardHeld()));
      Optional<KvEntry> confirm = store().get(keys().guardConfirm());
      if (held.isEmpty()) {
        out().println("nothing held");
      } else {
        Held h = held.get();
        out().println("held since " + h.since() + ": " + h.reason());
        h.apps().forEach(a -> out().println("  " + a));
      }
      if (confirm.isPresent()) {
        out().println("confirmed for deletion: " + String.join(", ", confirmedApps(confirm)));
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "confirm",
      description = {
        "Confirm that the held apps (or only those named) may be deleted.",
        "Asks first unless --yes is given."
      })
  static final class Confirm extends AppCommand implements Callable<Integer> {
    @Parameters(
        arity = "0..*",
        paramLabel = "APP",
        description = "Held apps to confirm (default: all).")
    List<String> names = new ArrayList<>();

    @Option(names = "--yes", description = "Do not ask.")
    boolean yes;

    @Override
    public Integer call() throws IOException {
      String heldKey = keys().guardHeld();
      Held held =
          held(store().get(heldKey))
              .orElseThrow(() -> new CliError("guard confirm: nothing is held (" + heldKey + ")"));
      List<String> chosen = names.isEmpty() ? held.apps() : names;
      for (String n : chosen) {
        if (!held.apps().contains(n)) {
          throw new CliError("guard confirm: " + n + " is not held by the guard");
        }
      }
      if (!yes && !askedYes(chosen)) {
        throw new CliError("guard confirm: not confirmed; nothing written");
      }
      Optional<KvEntry> existing = store().get(keys().guardConfirm());
      // An earlier confirmation the controller has not acted on yet still stands.
      TreeSet<String> apps = new TreeSet<>(confirmedApps(existing));
      apps.addAll(chosen);
      ObjectNode doc = JSON.createObjectNode();
      doc.putArray("apps").addAll(apps.stream().map(JSON.getNodeFactory()::textNode).toList());
      doc.put("at", terminal().clock().instant().toString());
      if (!store()
          .compareAndSet(
              keys().guardConfirm(),
              JSON.writeValueAsBytes(doc),
              existing.map(KvEntry::modifyIndex).orElse(0L))) {
        throw new CliError("guard confirm: the confirmation changed meanwhile; run it again");
      }
      out().println("confirmed for deletion: " + String.join(", ", apps));
      return ExitCode.OK;
    }

    private boolean askedYes(List<String> chosen) throws IOException {
      terminal().err().println("The guard holds back the deletion of:");
      chosen.forEach(a -> terminal().err().println("  " + a));
      terminal().err().print("Delete these " + chosen.size() + " apps? [y/N] ");
      terminal().err().flush();
      String answer =
          new BufferedReader(new InputStreamReader(terminal().in(), StandardCharsets.UTF_8))
              .readLine();
      return answer != null
          && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
    }
  }
}
