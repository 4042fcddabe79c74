package dev.reviewapps.controller.reviewapp.aws;

import dev.reviewapps.client.inventory.Footprint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Works out how many instances the review apps need, by packing every allocation (each copy of each
 * task group of each app) onto instances of one size, first-fit decreasing in two dimensions. The
 * original design added one instance per app; packing instead lets many small apps share one.
 *
 * <p>Headroom is kept twice: a share of every instance stays unused (room for a task's burst and
 * for the Nomad client itself) and a number of whole spare instances is added, so that a new app
 * starts without waiting for an instance to boot. The result is clamped to the group's min..max.
 */
public final class CapacityPlanner {

  private final Footprint instanceSize;
  private final double headroomShare;
  private final int spareInstances;

  /**
   * @param instanceSize what one instance offers to Nomad allocations
   * @param headroomShare the share of each instance left unused, from 0 (inclusive) to 1
   * @param spareInstances whole instances added on top of what the packing needs
   */
  public CapacityPlanner(Footprint instanceSize, double headroomShare, int spareInstances) {
    if (headroomShare < 0 || headroomShare >= 1) {
      throw new IllegalArgumentException("headroom share must be in [0, 1): " + headroomShare);
    }
    if (spareInstances < 0) {
      throw new IllegalArgumentException("spare instances cannot be negative: " + spareInstances);
    }
    this.instanceSize = instanceSize;
    this.headroomShare = headroomShare;
    this.spareInstances = spareInstances;
  }

  /**
   * The plan for {@code allocations} on a group that may have between {@code min} and {@code max}
   * instances.
   */
  public CapacityPlan plan(List<Footprint> allocations, int min, int max) {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("bad group bounds " + min + ".." + max);
    }
    Footprint usable = instanceSize.scaled(1 - headroomShare);
    List<Footprint> sorted = new ArrayList<>(allocations);
    // Largest first (by the dimension in which it is largest): the classic FFD order, which keeps
    // the count within 11/9 of the optimum in one dimension and does well in two.
    sorted.sort(Comparator.comparingDouble((Footprint f) -> dominantShare(f, usable)).reversed());
    List<Footprint> freeRoom = new ArrayList<>();
    List<Footprint> oversized = new ArrayList<>();
    for (Footprint allocation : sorted) {
      if (!allocation.fitsIn(usable)) {
        oversized.add(allocation);
        continue;
      }
      int bin = 0;
      while (bin < freeRoom.size() && !allocation.fitsIn(freeRoom.get(bin))) {
        bin++;
      }
      if (bin == freeRoom.size()) {
        freeRoom.add(usable);
      }
      freeRoom.set(bin, freeRoom.get(bin).minus(allocation));
    }
    int needed = allocations.isEmpty() ? 0 : freeRoom.size() + spareInstances;
    int desired = Math.max(min, Math.min(max, needed));
    return new CapacityPlan(needed, desired, List.copyOf(oversized));
  }

  private static double dominantShare(Footprint f, Footprint of) {
    return Math.max(
        of.cpuMhz() == 0 ? 0 : (double) f.cpuMhz() / of.cpuMhz(),
        of.memoryMb() == 0 ? 0 : (double) f.memoryMb() / of.memoryMb());
  }

  /**
   * The outcome of a packing.
   *
   * @param neededInstances instances the allocations need, spares included (0 when there is none)
   * @param desiredInstances the needed count clamped to the group's bounds
   * @param oversized allocations larger than one instance's usable share: they fit nowhere
   */
  public record CapacityPlan(int neededInstances, int desiredInstances, List<Footprint> oversized) {

    /** True when every allocation can be placed within the group's maximum. */
    public boolean fits() {
      return oversized.isEmpty() && neededInstances <= desiredInstances;
    }
  }
}
