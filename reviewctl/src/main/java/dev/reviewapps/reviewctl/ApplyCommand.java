package dev.reviewapps.reviewctl;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.validation.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apply -f FILE}: validates the spec with api-model's rules (the controller's own), then
 * writes it to {@code <prefix>/specs/<metadata.name>} with check-and-set, so that two writers can
 * never silently overwrite each other.
 */
@Command(
    name = "apply",
    description = {
      "Validate a ReviewApp spec and write it to Consul (check-and-set).",
      "Prints reviewapp/NAME created, configured or unchanged."
    })
final class ApplyCommand extends AppCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE",
      description = "The spec file, or - for standard input.")
  String file;

  @Option(
      names = "--var",
      paramLabel = "KEY=VALUE",
      description =
          "Replace every $${KEY} in the file by VALUE, JSON-escaped (for templates in CI);"
              + " repeatable.")
  Map<String, String> vars = new LinkedHashMap<>();

  @Option(
      names = "--cas",
      paramLabel = "INDEX",
      description =
          "Write only if the spec's ModifyIndex is still INDEX (0: only if it does not exist)."
              + " Default: the index read just before writing.")
  Long cas;

  @Override
  public Integer call() {
    byte[] bytes = substitute(read());
    ParseResult<ReviewApp> result = ReviewAppJson.parse(bytes);
    if (!(result instanceof ParseResult.Parsed<ReviewApp> parsed)) {
      // The one place with more than one line: every violation, so one edit can fix them all.
      terminal()
          .err()
          .println(
              "reviewctl: apply "
                  + file
                  + ": invalid spec, "
                  + result.violations().size()
                  + (result.violations().size() == 1 ? " problem" : " problems")
                  + "; nothing written");
      for (Violation v : result.violations()) {
        terminal().err().println("  " + v.path() + ": " + v.message() + " [" + v.rule().id() + "]");
      }
      return ExitCode.ERROR;
    }
    ReviewApp app = parsed.value();
    String key = layout().spec(app.name());
    Optional<KvEntry> existing = store().get(key);
    if (cas == null
        && existing
            .flatMap(e -> ReviewAppJson.parse(e.value()).toOptional())
            .filter(app::equals)
            .isPresent()) {
      // Same spec: no write, so no new ModifyIndex and no needless reconcile.
      out().println("reviewapp/" + app.name() + " unchanged");
      return ExitCode.OK;
    }
    long index = cas != null ? cas : existing.map(KvEntry::modifyIndex).orElse(0L);
    if (!store().compareAndSet(key, ReviewAppJson.write(app), index)) {
      throw new CliError(
          "apply "
              + app.name()
              + ": check-and-set failed: the spec at "
              + key
              + (index == 0 ? " exists already" : " is no longer at index " + index)
              + "; someone else wrote it, read it again and retry");
    }
    out().println("reviewapp/" + app.name() + (index == 0 ? " created" : " configured"));
    return ExitCode.OK;
  }

  private byte[] read() {
    try {
      return "-".equals(file) ? terminal().in().readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new CliError("apply: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private byte[] substitute(byte[] bytes) {
    if (vars.isEmpty()) {
      return bytes;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    for (Map.Entry<String, String> v : vars.entrySet()) {
      // Placeholders sit inside JSON strings, so the value is escaped as string content.
      String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(v.getValue()));
      text = text.replace("${" + v.getKey() + "}", escaped);
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
