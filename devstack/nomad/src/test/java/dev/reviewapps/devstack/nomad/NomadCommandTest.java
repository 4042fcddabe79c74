package dev.reviewapps.devstack.nomad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.devstack.nomad.exec.ImageCommand;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NomadCommandTest {
  @Test
  void readsEveryOptionInBothSpellings() {
    NomadConfig config =
        NomadCommand.parse(
            List.of(
                "--port",
                "4747",
                "--cpu=2000",
                "--memory",
                "1024",
                "--ports",
                "21000-21100",
                "--data-dir",
                "/tmp/n",
                "--map-image",
                "redis:*=exec redis-server --port $NOMAD_PORT_db"));

    assertThat(config.port()).isEqualTo(4747);
    assertThat(config.cpuMhz()).isEqualTo(2000);
    assertThat(config.memoryMb()).isEqualTo(1024);
    assertThat(config.minDynamicPort()).isEqualTo(21000);
    assertThat(config.maxDynamicPort()).isEqualTo(21100);
    assertThat(config.dataDir()).contains(Path.of("/tmp/n"));
    assertThat(config.images())
        .containsExactly(new ImageCommand("redis:*", "exec redis-server --port $NOMAD_PORT_db"));
  }

  @Test
  void defaultsToNomadsPortAndRefusesUnknownOptions() {
    assertThat(NomadCommand.parse(List.of()).port()).isEqualTo(4646);
    assertThat(NomadCommand.parse(List.of("--help"))).isNull();
    assertThatThrownBy(() -> NomadCommand.parse(List.of("--gpu", "1")))
        .hasMessageContaining("unknown option --gpu");
    assertThatThrownBy(() -> NomadCommand.parse(List.of("--ports", "9-")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void imageMappingMatchesExactNamesAndPrefixes() {
    assertThat(new ImageCommand("redis:*", "x").matches("redis:7")).isTrue();
    assertThat(new ImageCommand("redis:7", "x").matches("redis:7.2")).isFalse();
    assertThatThrownBy(() -> ImageCommand.parse("redis:7")).hasMessageContaining("IMAGE=COMMAND");
  }
}
