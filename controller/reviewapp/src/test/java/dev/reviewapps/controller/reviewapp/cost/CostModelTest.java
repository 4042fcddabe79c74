package dev.reviewapps.controller.reviewapp.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.reviewapps.client.inventory.CostLedger;
import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.model.spec.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cost model against figures worked out by hand. */
class CostModelTest {

  // Round numbers: an instance of 4000 MHz / 8000 MB at $0.10 an hour, 20% headroom, so 3200 MHz
  // and 6400 MB usable; RDS db.t3.micro $0.02, others $0.05; storage $0.146 per GB-month (0.0002
  // per GB-hour); a shared server of $0.08 for 20 apps ($0.004 each) and 1 GB each.
  private static final PriceTable PRICES =
      new PriceTable(0.10, Map.of("db.t3.micro", 0.02), 0.05, 0.146, 0.08, 20, 1);
  private static final CostModel MODEL = new CostModel(PRICES, new Footprint(4000, 8000), 0.2);

  @Test
  void eachAllocationPaysTheShareOfItsDominantResource() {
    // 800 MHz of 3200 = 0.25 (memory 640 of 6400 = 0.1): 0.25 x $0.10.
    assertThat(MODEL.compute(List.of(new Footprint(800, 640)))).isCloseTo(0.025, offset(1e-12));
    // Memory dominates: 3200 MB of 6400 = 0.5.
    assertThat(MODEL.compute(List.of(new Footprint(100, 3200)))).isCloseTo(0.05, offset(1e-12));
    // Two web copies and a worker: 0.25 + 0.25 + 0.125.
    assertThat(
            MODEL.compute(
                List.of(new Footprint(800, 64), new Footprint(800, 64), new Footprint(400, 64))))
        .isCloseTo(0.0625, offset(1e-12));
    // Asleep with nothing running: nothing.
    assertThat(MODEL.compute(List.of())).isZero();
  }

  @Test
  void theDatabaseIsItsInstanceAndStorageOrAShareOfTheSharedServer() {
    // db.t3.micro $0.02 + 20 GB x $0.0002.
    assertThat(MODEL.database(new Database.Instance("db.t3.micro", 20, Optional.empty())))
        .isCloseTo(0.024, offset(1e-12));
    // A class not in the table: the unknown price, $0.05 + 100 GB x $0.0002.
    assertThat(MODEL.database(new Database.Instance("db.x9.huge", 100, Optional.empty())))
        .isCloseTo(0.07, offset(1e-12));
    // A snapshot: its class and the default 20 GB.
    assertThat(MODEL.database(new Database.Snapshot("snap-1", Optional.of("db.t3.micro"))))
        .isCloseTo(0.024, offset(1e-12));
    // Shared: $0.08 / 20 + 1 GB x $0.0002.
    assertThat(MODEL.database(new Database.Shared(Optional.empty())))
        .isCloseTo(0.0042, offset(1e-12));
    assertThat(
            MODEL.perHour(List.of(new Footprint(800, 640)), new Database.Shared(Optional.empty())))
        .isCloseTo(0.0292, offset(1e-12));
  }

  @Test
  void theLedgerAddsTheRateOverTimeAndKeepsWhatWasSpentWhenTheRateChanges() {
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    CostLedger ledger = new CostLedger(0, t0, 0.06);
    assertThat(ledger.toDate(t0.plus(Duration.ofMinutes(90)))).isCloseTo(0.09, offset(1e-12));
    // Asleep after 2 h: $0.12 so far, then $0.004 an hour.
    CostLedger asleep = ledger.rate(0.004, t0.plus(Duration.ofHours(2)));
    assertThat(asleep.toDate(t0.plus(Duration.ofHours(12)))).isCloseTo(0.16, offset(1e-12));
    // A clock that went backwards adds nothing.
    assertThat(asleep.toDate(t0)).isCloseTo(0.12, offset(1e-12));
  }

  @Test
  void aPriceTableRefusesNegativeAndMissingNumbers() {
    assertThatThrownBy(() -> new PriceTable(-1, Map.of(), 0, 0, 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PriceTable(Double.NaN, Map.of(), 0, 0, 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PriceTable(0, Map.of("db.t3.micro", -0.1), 0, 0, 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PriceTable(0, Map.of(), 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultsAreUsEast1OnDemand() {
    // m5.large; a db.t3.medium shared by 20 apps and 1 GB of gp2 each.
    assertThat(PriceTable.US_EAST_1.instancePerHour()).isEqualTo(0.096);
    assertThat(CostModel.DEFAULT.database(new Database.Shared(Optional.empty())))
        .isCloseTo(0.072 / 20 + 0.115 / 730, offset(1e-12));
  }
}
