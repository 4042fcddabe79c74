package dev.reviewapps.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The spec files the tests read: the valid examples of the repository and the broken ones. */
public final class SpecFiles {
  private SpecFiles() {}

  /** Tests run in the module directory; the examples live at the top of the repository. */
  public static final Path EXAMPLES = Path.of("..", "examples", "specs");

  public static final Path BROKEN = Path.of("src", "test", "resources", "broken-specs");

  public static List<Path> examples() {
    return jsonFiles(EXAMPLES);
  }

  public static List<Path> broken() {
    return jsonFiles(BROKEN);
  }

  /** File name to the JSON path its first expected violation names. */
  public static Map<String, String> expectedBrokenPaths() {
    Map<String, String> expected = new LinkedHashMap<>();
    for (String line : lines(BROKEN.resolve("expected-paths.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] parts = line.split("\t", 2);
        expected.put(parts[0], parts[1]);
      }
    }
    return expected;
  }

  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> jsonFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
