package dev.reviewapps.devstack.aws.protocol;

import java.util.Map;

/**
 * An error as AWS answers it: a code the SDK maps to an exception class ({@code DBInstanceNotFound}
 * becomes {@code DbInstanceNotFoundException}), an HTTP status and a message. Thrown by service
 * code; each protocol renders it in its own XML shape.
 */
public final class AwsError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final int status;
  private final transient Map<String, String> extra;

  /**
   * @param status the HTTP status AWS uses for this code
   * @param code the error code, e.g. {@code InvalidDBInstanceState}
   * @param message the message, worded as AWS words it where known
   */
  public AwsError(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  /**
   * An error with extra elements in its XML, such as S3's {@code <Key>} or {@code <BucketName>}.
   */
  public AwsError(int status, String code, String message, Map<String, String> extra) {
    super(code + ": " + message, null, false, false);
    this.code = code;
    this.status = status;
    this.extra = Map.copyOf(extra);
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** The message without the code. */
  public String awsMessage() {
    return getMessage().substring(code.length() + 2);
  }

  /** Elements S3 adds to its error document after {@code <Message>}. */
  public Map<String, String> extra() {
    return extra;
  }

  /** Whether AWS blames the caller ({@code Sender}) or itself ({@code Receiver}). */
  public String faultType() {
    return status >= 500 ? "Receiver" : "Sender";
  }

  /** A 400 {@code InvalidParameterValue}, the commonest complaint about a request. */
  public static AwsError invalidParameter(String message) {
    return new AwsError(400, "InvalidParameterValue", message);
  }

  /** A 400 {@code MissingParameter} for a required parameter that was not sent. */
  public static AwsError missingParameter(String name) {
    return new AwsError(
        400, "MissingParameter", "The request must contain the parameter " + name + ".");
  }
}
