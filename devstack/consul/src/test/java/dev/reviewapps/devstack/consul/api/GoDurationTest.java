package dev.reviewapps.devstack.consul.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Go's duration syntax, as Consul parses {@code ?wait=} and session TTLs. */
class GoDurationTest {
  @Test
  void parsesUnitsFractionsAndSums() {
    assertThat(GoDuration.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(GoDuration.parse("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("2h45m")).isEqualTo(Duration.ofMinutes(165));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void refusesABareNumberWithGosMessage() {
    assertThatThrownBy(() -> GoDuration.parse("10")).hasMessage("time: invalid duration \"10\"");
    assertThatThrownBy(() -> GoDuration.parse("soon")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsLikeGo() {
    assertThat(GoDuration.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(GoDuration.format(Duration.ofHours(24))).isEqualTo("24h0m0s");
  }
}
