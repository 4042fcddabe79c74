package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseStepNamesTest {

  @Test
  void rdsIdentifiersAreValidAndOneToOne() {
    assertThat(DatabaseStep.rdsIdentifier("deploy-x")).isEqualTo("ra-deploy-x");
    String doubled = DatabaseStep.rdsIdentifier("deploy--x");
    assertThat(doubled).doesNotContain("--").isNotEqualTo("ra-deploy-x");
    String longName = DatabaseStep.rdsIdentifier("deploy-" + "a".repeat(56));
    assertThat(longName).hasSizeLessThanOrEqualTo(63).matches("[a-z][a-z0-9-]*[a-z0-9]");
    assertThat(longName).isNotEqualTo(DatabaseStep.rdsIdentifier("deploy-" + "a".repeat(55) + "b"));
  }
}
