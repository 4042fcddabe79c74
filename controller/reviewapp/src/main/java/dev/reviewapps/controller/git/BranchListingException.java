package dev.reviewapps.controller.git;

/** The branch listing failed; its message never contains credentials. */
public final class BranchListingException extends Exception {
  private static final long serialVersionUID = 1L;

  public BranchListingException(String message) {
    super(message);
  }

  public BranchListingException(String message, Throwable cause) {
    super(message, cause);
  }
}
