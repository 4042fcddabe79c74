package dev.reviewapps.devstack.nomad.cluster;

import java.util.Map;

/**
 * Why allocations of a task group were not placed, as Nomad's {@code AllocationMetric}.
 *
 * @param nodesEvaluated nodes looked at (0 when none is in the job's datacenters)
 * @param nodesFiltered nodes removed by a constraint
 * @param constraintFiltered per constraint, how many nodes it removed ({@code missing drivers})
 * @param nodesExhausted nodes without room
 * @param dimensionExhausted per resource ({@code cpu}, {@code memory}, a port), how often it ran
 *     out
 * @param coalescedFailures further allocations that failed for the same reasons
 */
public record PlacementFailure(
    int nodesEvaluated,
    int nodesFiltered,
    Map<String, Integer> constraintFiltered,
    int nodesExhausted,
    Map<String, Integer> dimensionExhausted,
    int coalescedFailures) {

  public PlacementFailure {
    constraintFiltered = Map.copyOf(constraintFiltered);
    dimensionExhausted = Map.copyOf(dimensionExhausted);
  }

  PlacementFailure coalesced() {
    return new PlacementFailure(
        nodesEvaluated,
        nodesFiltered,
        constraintFiltered,
        nodesExhausted,
        dimensionExhausted,
        coalescedFailures + 1);
  }
}
