package dev.reviewapps.controller;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reviewapps.controller.config.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine;

class MainTest {
  @TempDir Path dir;

  @Test
  void anInvalidConfigurationStopsTheControllerWithTheFieldNamed() throws Exception {
    Path config = dir.resolve("controller.json");
    Files.writeString(config, "{\"controller\": {\"workers\": -1}}");
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setErr(new PrintWriter(err));
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = cli.execute("controller", "--config", config.toString());
    } finally {
      System.setErr(originalErr);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains(
            "controller.workers (REVIEW_APPS_WORKERS): must be a whole number from 1 to 256, got '-1'");
  }

  @Test
  void theControllerCommandIsASubcommandWithRoomForMore() {
    CommandLine cli = new CommandLine(new Main());

    assertThat(cli.getSubcommands()).containsKey("controller");
    assertThat(cli.getSubcommands().get("controller").getCommandSpec().findOption("--config"))
        .isNotNull();
  }

  @Test
  void jsonLogLinesCarryTheAppNameFromTheReconcileContext() throws Exception {
    PrintStream originalOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Logging.use(LogFormat.JSON);
      MDC.put("app", "deploy-new-checkout");
      LoggerFactory.getLogger("reconcile-test").info("database created");
      MDC.remove("app");
    } finally {
      System.setOut(originalOut);
      restoreTestLogging();
    }

    String line =
        captured
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.contains("database created"))
            .findFirst()
            .orElseThrow();
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("formattedMessage").asText()).isEqualTo("database created");
    assertThat(json.path("mdc").path("app").asText()).isEqualTo("deploy-new-checkout");
  }

  private static void restoreTestLogging() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(MainTest.class.getResource("/logback-test.xml"));
  }
}
