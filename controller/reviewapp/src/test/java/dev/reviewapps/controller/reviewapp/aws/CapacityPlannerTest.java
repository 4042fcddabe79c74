package dev.reviewapps.controller.reviewapp.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.client.inventory.Footprint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityPlannerTest {

  // An m5.large-like node: 2 vCPU (about 4,600 MHz in Nomad's units) and 8 GB.
  private final Footprint node = new Footprint(4600, 8192);

  @Test
  void manySmallAppsShareInstancesInsteadOfOneInstanceEach() {
    // Ten apps, each redis 100/64 + web 500/1024 + worker 250/512.
    List<Footprint> allocations = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      allocations.add(new Footprint(100, 64));
      allocations.add(new Footprint(500, 1024));
      allocations.add(new Footprint(250, 512));
    }
    CapacityPlanner.CapacityPlan plan = new CapacityPlanner(node, 0.0, 0).plan(allocations, 0, 50);
    // 8,500 MHz and 16,000 MB in total: CPU is the binding dimension, two nodes are the minimum.
    assertThat(plan.neededInstances()).isEqualTo(2);
    assertThat(plan.desiredInstances()).isEqualTo(2);
    assertThat(plan.fits()).isTrue();
  }

  @Test
  void headroomKeepsAShareOfEveryInstanceFreeAndAddsSpares() {
    List<Footprint> allocations = Collections.nCopies(8, new Footprint(1000, 1000));
    // 4,600 * 0.8 = 3,680 MHz usable: three allocations per node, so three nodes, plus one spare.
    CapacityPlanner.CapacityPlan plan = new CapacityPlanner(node, 0.2, 1).plan(allocations, 0, 10);
    assertThat(plan.neededInstances()).isEqualTo(4);
    assertThat(plan.desiredInstances()).isEqualTo(4);
  }

  @Test
  void theDesiredCountStaysWithinTheGroupsBounds() {
    CapacityPlanner planner = new CapacityPlanner(node, 0.0, 0);
    assertThat(planner.plan(List.of(), 1, 5).desiredInstances()).isEqualTo(1);
    CapacityPlanner.CapacityPlan tooMany =
        planner.plan(Collections.nCopies(40, new Footprint(2000, 100)), 1, 5);
    assertThat(tooMany.neededInstances()).isEqualTo(20);
    assertThat(tooMany.desiredInstances()).isEqualTo(5);
    assertThat(tooMany.fits()).isFalse();
  }

  @Test
  void anAllocationLargerThanAnInstanceIsReportedAndNotCounted() {
    CapacityPlanner.CapacityPlan plan =
        new CapacityPlanner(node, 0.1, 0)
            .plan(List.of(new Footprint(100, 9000), new Footprint(100, 100)), 0, 10);
    assertThat(plan.oversized()).containsExactly(new Footprint(100, 9000));
    assertThat(plan.neededInstances()).isEqualTo(1);
    assertThat(plan.fits()).isFalse();
  }

  @Test
  void memoryCanBeTheBindingDimension() {
    List<Footprint> allocations = Collections.nCopies(6, new Footprint(100, 3000));
    assertThat(new CapacityPlanner(node, 0.0, 0).plan(allocations, 0, 10).neededInstances())
        .isEqualTo(3);
  }
}
