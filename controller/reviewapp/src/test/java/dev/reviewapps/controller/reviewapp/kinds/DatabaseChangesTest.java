package dev.reviewapps.controller.reviewapp.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which database changes an update may ask for: any before the database is recorded, none after.
 * The refusal through the engine (the app keeps running, status says why) is in {@code
 * StatusThroughTheEngineTest}.
 */
class DatabaseChangesTest {
  private static final Database SHARED = new Database.Shared(Optional.empty());
  private static final Database FROM_SEED = new Database.Shared(Optional.of("shop_seed"));
  private static final Database SMALL = new Database.Instance("db.t3.micro", 20, Optional.empty());
  private static final Database LARGER = new Database.Instance("db.t3.large", 20, Optional.empty());
  private static final Database PROD =
      new Database.Snapshot("review-base-2026-11", Optional.empty());
  private static final Database OTHER_SNAPSHOT =
      new Database.Snapshot("review-base-2026-12", Optional.empty());

  private static final Inventory NOTHING_YET = Inventory.empty("deploy-x");
  private static final Inventory SHARED_MADE =
      NOTHING_YET.with(new Resource.SharedDatabase("ra_deploy_x", "ra_deploy_x"));
  private static final Inventory INSTANCE_MADE =
      NOTHING_YET.with(new Resource.RdsInstance("ra-deploy-x"));

  @Test
  void beforeTheDatabaseIsRecordedAnyChangeGoes() {
    assertThat(DatabaseKind.refusedChanges(NOTHING_YET, SHARED, SMALL)).isEmpty();
    assertThat(DatabaseKind.refusedChanges(NOTHING_YET, PROD, FROM_SEED)).isEmpty();
  }

  @Test
  void theSameDatabaseIsNoChange() {
    assertThat(DatabaseKind.refusedChanges(SHARED_MADE, FROM_SEED, FROM_SEED)).isEmpty();
    assertThat(DatabaseKind.refusedChanges(INSTANCE_MADE, SMALL, SMALL)).isEmpty();
  }

  @Test
  void onceRecordedEveryChangeIsRefusedNamingBoth() {
    assertThat(DatabaseKind.refusedChanges(SHARED_MADE, SHARED, SMALL))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("$.spec.database");
              assertThat(v.rule()).isEqualTo(Rule.IMMUTABLE);
              assertThat(v.message())
                  .contains("it is shared, the update asks for instance db.t3.micro, 20 GB");
            });
    assertThat(messages(DatabaseKind.refusedChanges(SHARED_MADE, SHARED, FROM_SEED)))
        .containsExactly(
            "cannot change once the app's database exists (it is shared, the update asks for"
                + " shared from template shop_seed): delete the app and apply it again for a new"
                + " database");
    assertThat(messages(DatabaseKind.refusedChanges(INSTANCE_MADE, SMALL, LARGER)))
        .singleElement()
        .asString()
        .contains("instance db.t3.micro, 20 GB, the update asks for instance db.t3.large");
    assertThat(messages(DatabaseKind.refusedChanges(INSTANCE_MADE, PROD, OTHER_SNAPSHOT)))
        .singleElement()
        .asString()
        .contains("snapshot review-base-2026-11, the update asks for snapshot review-base-2026-12");
    assertThat(DatabaseKind.refusedChanges(INSTANCE_MADE, SMALL, SHARED)).hasSize(1);
  }

  private static List<String> messages(List<Violation> violations) {
    return violations.stream().map(Violation::message).toList();
  }
}
