package dev.reviewapps.devstack.aws.protocol;

import dev.reviewapps.devstack.http.Reply;
import java.util.function.Consumer;

/**
 * Answers of AWS's Query protocol: {@code <ActionResponse><ActionResult>…</ActionResult>
 * <ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>} on success, {@code
 * <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>} on failure,
 * both with the service's namespace, as RDS and Auto Scaling answer.
 */
public final class QueryProtocol {
  private static final String CONTENT_TYPE = "text/xml";

  private QueryProtocol() {}

  /**
   * A successful answer.
   *
   * @param namespace e.g. {@code http://rds.amazonaws.com/doc/2014-10-31/}
   * @param action e.g. {@code CreateDBInstance}
   * @param result writes the content of {@code <ActionResult>}; null-free, may write nothing
   */
  public static Reply ok(String namespace, String action, String requestId, Consumer<Xml> result) {
    Xml xml = Xml.document(action + "Response", namespace);
    xml.open(action + "Result");
    result.accept(xml);
    xml.close();
    xml.open("ResponseMetadata").leaf("RequestId", requestId).close();
    return Reply.of(200, CONTENT_TYPE, xml.bytes()).withHeader("x-amzn-RequestId", requestId);
  }

  /** A successful answer without a result element (e.g. {@code SetDesiredCapacity}). */
  public static Reply okWithoutResult(String namespace, String action, String requestId) {
    Xml xml = Xml.document(action + "Response", namespace);
    xml.open("ResponseMetadata").leaf("RequestId", requestId).close();
    return Reply.of(200, CONTENT_TYPE, xml.bytes()).withHeader("x-amzn-RequestId", requestId);
  }

  /** An error in the {@code ErrorResponse} shape. */
  public static Reply error(String namespace, AwsError error, String requestId) {
    Xml xml = Xml.document("ErrorResponse", namespace);
    xml.open("Error")
        .leaf("Type", error.faultType())
        .leaf("Code", error.code())
        .leaf("Message", error.awsMessage())
        .close();
    xml.leaf("RequestId", requestId);
    return Reply.of(error.status(), CONTENT_TYPE, xml.bytes())
        .withHeader("x-amzn-RequestId", requestId);
  }
}
