package dev.reviewapps.controller.reviewapp.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.client.inventory.DatabaseCredentials;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordGeneratorTest {

  @Test
  void passwordsAreLongUrlSafeAndDifferent() {
    PasswordGenerator generator = new PasswordGenerator();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String password = generator.next();
      assertThat(password).hasSize(32).matches("[A-Za-z0-9]+");
      seen.add(password);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void credentialsNeverPrintTheirPassword() {
    DatabaseCredentials credentials = new DatabaseCredentials("ra_x", "s3cretPassw0rd");
    assertThat(credentials.toString()).contains("ra_x").doesNotContain("s3cretPassw0rd");
  }
}
