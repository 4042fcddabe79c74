package dev.reviewapps.model.status;

/**
 * What a review app costs, as the controller's price table puts it: dollars per hour at its current
 * size (awake or asleep) and dollars since it was created.
 */
public record Cost(double dollarsPerHour, double dollarsToDate) {

  public Cost {
    if (!(dollarsPerHour >= 0) || !(dollarsToDate >= 0)) {
      throw new IllegalArgumentException("a cost is a number >= 0");
    }
  }
}
