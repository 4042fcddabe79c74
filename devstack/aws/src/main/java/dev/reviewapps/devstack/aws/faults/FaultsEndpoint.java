package dev.reviewapps.devstack.aws.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The admin endpoint for faults, outside any AWS API:
 *
 * <ul>
 *   <li>{@code GET /_devstack/faults}: the rules in force, as JSON
 *   <li>{@code PUT /_devstack/faults/<target>} with {@code {"throttle":0.5, "error":0.1,
 *       "errorStatus":503, "latencyMs":200, "times":3}} (every field optional): sets a rule
 *   <li>{@code DELETE /_devstack/faults/<target>}, {@code DELETE /_devstack/faults}: removes one
 *       rule, or all
 * </ul>
 */
public final class FaultsEndpoint {
  /** The path prefix; S3 bucket names cannot start with an underscore, so it clashes with none. */
  public static final String PATH = "/_devstack/faults";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Faults faults;

  public FaultsEndpoint(Faults faults) {
    this.faults = faults;
  }

  /** Answers one admin request; {@code e.path()} starts with {@link #PATH}. */
  public Reply handle(Exchange e) throws IOException {
    String rest = e.path().substring(PATH.length());
    String target = rest.startsWith("/") ? rest.substring(1) : rest;
    switch (e.method()) {
      case "GET" -> {
        ArrayNode list = JSON.createArrayNode();
        faults.rules().forEach(r -> list.add(toJson(r)));
        return Reply.json(200, JSON.writeValueAsBytes(list));
      }
      case "PUT", "POST" -> {
        if (target.isEmpty()) {
          return Reply.text(400, "PUT " + PATH + "/<target>, e.g. rds:CreateDBInstance or *");
        }
        FaultRule rule;
        try {
          JsonNode body = e.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(e.body());
          rule = fromJson(target, body);
        } catch (IllegalArgumentException | IOException ex) {
          return Reply.text(400, "bad fault rule: " + ex.getMessage());
        }
        faults.set(rule);
        return Reply.json(200, JSON.writeValueAsBytes(toJson(rule)));
      }
      case "DELETE" -> {
        if (target.isEmpty()) {
          faults.clear();
        } else {
          faults.remove(target);
        }
        return Reply.empty(204);
      }
      default -> {
        return Reply.text(405, "method " + e.method() + " not allowed");
      }
    }
  }

  private static FaultRule fromJson(String target, JsonNode body) {
    FaultRule rule =
        new FaultRule(
            target,
            body.path("throttle").asDouble(0),
            body.path("error").asDouble(0),
            body.path("errorStatus").asInt(500),
            Duration.ofMillis(body.path("latencyMs").asLong(0)),
            OptionalLong.empty());
    return body.has("times") ? rule.times(body.get("times").asLong()) : rule;
  }

  private static ObjectNode toJson(FaultRule r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("target", r.target());
    node.put("throttle", r.throttleShare());
    node.put("error", r.errorShare());
    node.put("errorStatus", r.errorStatus());
    node.put("latencyMs", r.latency().toMillis());
    r.times().ifPresent(t -> node.put("times", t));
    return node;
  }
}
