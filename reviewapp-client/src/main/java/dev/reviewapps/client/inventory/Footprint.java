package dev.reviewapps.client.inventory;

/**
 * CPU in MHz and memory in MB: what one allocation asks for, or what one node offers. The units are
 * those of Nomad's resources block, so a spec's numbers can be used as they are.
 */
public record Footprint(int cpuMhz, int memoryMb) {

  /** Nothing at all. */
  public static final Footprint ZERO = new Footprint(0, 0);

  public Footprint {
    if (cpuMhz < 0 || memoryMb < 0) {
      throw new IllegalArgumentException(
          "a footprint cannot be negative: " + cpuMhz + "/" + memoryMb);
    }
  }

  /** The sum of both. */
  public Footprint plus(Footprint other) {
    return new Footprint(cpuMhz + other.cpuMhz, memoryMb + other.memoryMb);
  }

  /** True when this fits into {@code room} in both dimensions. */
  public boolean fitsIn(Footprint room) {
    return cpuMhz <= room.cpuMhz && memoryMb <= room.memoryMb;
  }

  /** What is left of this after taking {@code used}; callers check {@link #fitsIn} first. */
  public Footprint minus(Footprint used) {
    return new Footprint(cpuMhz - used.cpuMhz, memoryMb - used.memoryMb);
  }

  /** This scaled by {@code factor}, rounded down: a node's usable share after headroom. */
  public Footprint scaled(double factor) {
    return new Footprint((int) Math.floor(cpuMhz * factor), (int) Math.floor(memoryMb * factor));
  }
}
