package dev.reviewapps.controller.reviewapp.nomad;

import com.hashicorp.nomad.apimodel.Allocation;

/** Lets tests outside this package print an allocation's addresses when diagnosing. */
public final class SdkNomadJobsAccess {
  private SdkNomadJobsAccess() {}

  public static String address(Allocation allocation) {
    return SdkNomadJobs.address(allocation, "http")
        .or(() -> SdkNomadJobs.address(allocation, "redis"))
        .orElse("-");
  }
}
