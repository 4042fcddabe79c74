package dev.reviewapps.model.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.model.status.Condition;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Cost;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import dev.reviewapps.model.status.Rollout;
import dev.reviewapps.model.validation.JsonPath;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Status as a JSON tree and back. Times are RFC 3339 UTC strings ({@code Instant.toString()}).
 * Reading is as strict as for specs: the controller is the only writer, so anything unexpected
 * means a bug or a hand edit worth hearing about.
 */
final class StatusCodec {
  private StatusCodec() {}

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  static ObjectNode write(ReviewAppStatus status) {
    ObjectNode node = JSON.objectNode();
    node.put("phase", status.phase().name());
    node.put("observedIndex", status.observedIndex());
    SpecWriter.putOptional(node, "url", status.url());
    ArrayNode conditions = node.putArray("conditions");
    for (Condition c : status.conditions()) {
      ObjectNode condition = conditions.addObject();
      condition.put("type", c.type().name());
      condition.put("status", c.status().name());
      condition.put("reason", c.reason());
      condition.put("message", c.message());
      condition.put("lastTransitionTime", c.lastTransitionTime().toString());
    }
    SpecWriter.putOptional(node, "lastError", status.lastError());
    SpecWriter.putOptional(node, "expiresAt", status.expiresAt().map(Instant::toString));
    SpecWriter.putOptional(node, "message", status.message());
    putTimings(node, status.timings());
    status
        .cost()
        .ifPresent(
            c ->
                node.putObject("cost")
                    .put("dollarsPerHour", c.dollarsPerHour())
                    .put("dollarsToDate", c.dollarsToDate()));
    if (!status.rollouts().isEmpty()) {
      ArrayNode rollouts = node.putArray("rollouts");
      for (Rollout r : status.rollouts()) {
        ObjectNode rollout = rollouts.addObject();
        rollout.put("revision", r.revision());
        rollout.put("commit", r.commit());
        rollout.put("startedAt", r.startedAt().toString());
        rollout.put("outcome", r.outcome().name());
        SpecWriter.putOptional(rollout, "finishedAt", r.finishedAt().map(Instant::toString));
        if (!r.message().isEmpty()) {
          rollout.put("message", r.message());
        }
        putTimings(rollout, r.timings());
      }
    }
    return node;
  }

  private static void putTimings(ObjectNode node, Map<ConditionType, Duration> timings) {
    if (!timings.isEmpty()) {
      ObjectNode out = node.putObject("timings");
      // Seconds with millisecond precision: what people read and Prometheus uses.
      timings.forEach((step, took) -> out.put(step.name(), took.toMillis() / 1000.0));
    }
  }

  static ReviewAppStatus read(JsonNode root, List<Violation> out) {
    ObjectFields doc = ObjectFields.of(root, JsonPath.ROOT, out);
    Phase phase = constant(doc, "phase", Phase.class).orElse(Phase.Pending);
    long observedIndex = doc.optionalLong("observedIndex", 0);
    if (observedIndex < 0) {
      doc.report("observedIndex", Rule.RANGE, "must not be negative");
    }
    Optional<String> url = doc.optionalString("url");
    List<Condition> conditions = new ArrayList<>();
    Set<ConditionType> seen = EnumSet.noneOf(ConditionType.class);
    List<JsonNode> elements = doc.array("conditions");
    for (int i = 0; i < elements.size(); i++) {
      ObjectFields fields =
          ObjectFields.of(elements.get(i), JsonPath.index(doc.pathOf("conditions"), i), out);
      Optional<ConditionType> type = constant(fields, "type", ConditionType.class);
      Optional<ConditionStatus> status = constant(fields, "status", ConditionStatus.class);
      String reason = fields.requiredString("reason");
      String message = fields.optionalString("message").orElse("");
      Optional<Instant> since = instant(fields, "lastTransitionTime", true);
      fields.rejectUnknown();
      if (type.isPresent() && !seen.add(type.get())) {
        fields.report("type", Rule.ONE_OF, "a second condition of type " + type.get());
      } else if (type.isPresent() && status.isPresent() && since.isPresent()) {
        conditions.add(new Condition(type.get(), status.get(), reason, message, since.get()));
      }
    }
    Optional<String> lastError = doc.optionalString("lastError");
    Optional<Instant> expiresAt = instant(doc, "expiresAt", false);
    Optional<String> message = doc.optionalString("message");
    Map<ConditionType, Duration> timings = timings(doc);
    Optional<Cost> cost = cost(doc);
    List<Rollout> rollouts = new ArrayList<>();
    List<JsonNode> history = doc.array("rollouts");
    for (int i = 0; i < history.size(); i++) {
      ObjectFields fields =
          ObjectFields.of(history.get(i), JsonPath.index(doc.pathOf("rollouts"), i), out);
      String revision = fields.requiredString("revision");
      String commit = fields.requiredString("commit");
      Optional<Instant> startedAt = instant(fields, "startedAt", true);
      Optional<Rollout.Outcome> outcome = constant(fields, "outcome", Rollout.Outcome.class);
      Optional<Instant> finishedAt = instant(fields, "finishedAt", false);
      String rolloutMessage = fields.optionalString("message").orElse("");
      Map<ConditionType, Duration> took = timings(fields);
      fields.rejectUnknown();
      if (startedAt.isPresent() && outcome.isPresent()) {
        rollouts.add(
            new Rollout(
                revision,
                commit,
                startedAt.get(),
                outcome.get(),
                finishedAt,
                rolloutMessage,
                took));
      }
    }
    if (rollouts.size() > ReviewAppStatus.ROLLOUTS_KEPT) {
      doc.report("rollouts", Rule.RANGE, "at most " + ReviewAppStatus.ROLLOUTS_KEPT + " entries");
    }
    doc.rejectUnknown();
    return new ReviewAppStatus(
        phase,
        observedIndex,
        url,
        conditions,
        lastError,
        expiresAt,
        message,
        timings,
        cost,
        rollouts);
  }

  private static Optional<Cost> cost(ObjectFields doc) {
    Optional<JsonNode> node = doc.field("cost");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    JsonNode perHour = node.get().path("dollarsPerHour");
    JsonNode toDate = node.get().path("dollarsToDate");
    if (!perHour.isNumber()
        || !toDate.isNumber()
        || perHour.asDouble() < 0
        || toDate.asDouble() < 0
        || node.get().size() != 2) {
      doc.report(
          "cost", Rule.TYPE, "must be {\"dollarsPerHour\": n, \"dollarsToDate\": n}, n >= 0");
      return Optional.empty();
    }
    return Optional.of(new Cost(perHour.asDouble(), toDate.asDouble()));
  }

  private static Map<ConditionType, Duration> timings(ObjectFields doc) {
    Map<ConditionType, Duration> timings = new EnumMap<>(ConditionType.class);
    Optional<JsonNode> node = doc.field("timings");
    if (node.isEmpty()) {
      return timings;
    }
    if (!node.get().isObject()) {
      doc.report("timings", Rule.TYPE, "must be an object of step names to seconds");
      return timings;
    }
    node.get()
        .fields()
        .forEachRemaining(
            e -> {
              Optional<ConditionType> step =
                  Arrays.stream(ConditionType.values())
                      .filter(t -> t.name().equals(e.getKey()))
                      .findFirst();
              if (step.isEmpty() || !e.getValue().isNumber() || e.getValue().asDouble() < 0) {
                doc.report("timings", Rule.TYPE, "each entry is a step name and seconds >= 0");
              } else {
                timings.put(
                    step.get(), Duration.ofMillis(Math.round(e.getValue().asDouble() * 1000)));
              }
            });
    return timings;
  }

  private static <E extends Enum<E>> Optional<E> constant(
      ObjectFields fields, String field, Class<E> type) {
    List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
    return fields.oneOf(field, names).map(name -> Enum.valueOf(type, name));
  }

  private static Optional<Instant> instant(ObjectFields fields, String field, boolean required) {
    if (required && fields.field(field).isEmpty()) {
      fields.required(field);
      return Optional.empty();
    }
    return fields
        .optionalString(field)
        .flatMap(
            text -> {
              try {
                return Optional.of(Instant.parse(text));
              } catch (DateTimeParseException e) {
                fields.report(
                    field, Rule.TYPE, "must be an RFC 3339 UTC time such as 2026-11-26T10:00:00Z");
                return Optional.empty();
              }
            });
  }
}
