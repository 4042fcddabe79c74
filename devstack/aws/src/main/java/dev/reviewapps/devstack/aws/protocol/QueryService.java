package dev.reviewapps.devstack.aws.protocol;

import dev.reviewapps.devstack.http.Reply;

/** A service spoken in the Query protocol (RDS, Auto Scaling), told apart by its API version. */
public interface QueryService {
  /** The {@code Version=} parameter of its requests, e.g. {@code 2014-10-31}. */
  String apiVersion();

  /** The service name in SigV4 credential scopes and ARNs, e.g. {@code rds}. */
  String signingName();

  /** The XML namespace of its answers. */
  String namespace();

  /**
   * Performs one action.
   *
   * @throws AwsError for every failure AWS reports as an error document
   */
  Reply handle(String action, QueryParams params, String requestId);

  /** The answer to an action this stand-in does not know, as AWS words it. */
  static AwsError unknownAction(String action) {
    return new AwsError(
        400, "InvalidAction", "The action " + action + " is not valid for this web service.");
  }
}
