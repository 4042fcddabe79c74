package dev.reviewapps.devstack.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.devstack.aws.rds.RdsTiming;
import dev.reviewapps.devstack.cli.StandInCommand;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AwsCommandTest {
  private static AwsConfig parse(String... args) {
    AwsCommand.Options options = new AwsCommand.Options();
    new CommandLine(options).parseArgs(args);
    return options.config();
  }

  @Test
  void launcherFindsTheAwsCommand() {
    assertThat(ServiceLoader.load(StandInCommand.class).stream().map(p -> p.get().name()))
        .contains("aws");
  }

  @Test
  void defaultsServeTheDemoOnPort4566WithAnySignature() {
    AwsConfig config = parse();
    assertThat(config.port()).isEqualTo(4566);
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.rdsTiming()).isEqualTo(RdsTiming.demo());
    assertThat(config.credentials()).isEmpty();
    assertThat(config.postgresUrl()).isEmpty();
  }

  @Test
  void optionsSetPortPostgresStrictCredentialsAndTiming() {
    AwsConfig config =
        parse(
            "--port",
            "0",
            "--postgres",
            "jdbc:postgresql://127.0.0.1:5432/postgres",
            "--credentials",
            "AKID:se:cret",
            "--timing",
            "fast");
    assertThat(config.port()).isZero();
    assertThat(config.postgresUrl()).contains("jdbc:postgresql://127.0.0.1:5432/postgres");
    assertThat(config.credentials()).isEqualTo(Map.of("AKID", "se:cret"));
    assertThat(config.rdsTiming()).isEqualTo(RdsTiming.fast());
    assertThat(config.toString()).doesNotContain("se:cret");
  }

  @Test
  void malformedOptionsAreRefused() {
    assertThatThrownBy(() -> parse("--credentials", "no-colon"))
        .isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("--timing", "slow"))
        .isInstanceOf(CommandLine.ParameterException.class);
  }
}
