package dev.reviewapps.devstack.consul.acl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rules of one token, in Consul's JSON rules syntax: {@code {"key_prefix": {"review-apps/":
 * {"policy": "write"}}, "key": {"x": {"policy": "deny"}}}}. An exact rule beats a prefix rule and
 * the longest prefix wins, as in Consul.
 */
public final class Rules {
  private final Map<Resource, Map<String, Access>> exact = new EnumMap<>(Resource.class);
  private final Map<Resource, TreeMap<String, Access>> prefixes = new EnumMap<>(Resource.class);

  private Rules() {
    for (Resource r : Resource.values()) {
      exact.put(r, new TreeMap<>());
      prefixes.put(r, new TreeMap<>());
    }
  }

  /** No rules at all: everything falls to the default policy. */
  public static Rules none() {
    return new Rules();
  }

  /** Parses a rules object; unknown rule kinds are refused so a typo does not go unnoticed. */
  public static Rules parse(JsonNode node) {
    Rules rules = new Rules();
    if (node == null || node.isNull()) {
      return rules;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("rules must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> kind = it.next();
      boolean prefix = kind.getKey().endsWith("_prefix");
      String word = prefix ? kind.getKey().substring(0, kind.getKey().length() - 7) : kind.getKey();
      Resource resource = resource(word, kind.getKey());
      Map<String, Access> target =
          prefix ? rules.prefixes.get(resource) : rules.exact.get(resource);
      for (Iterator<Map.Entry<String, JsonNode>> names = kind.getValue().fields();
          names.hasNext(); ) {
        Map.Entry<String, JsonNode> rule = names.next();
        JsonNode policy =
            rule.getValue().isObject() ? rule.getValue().get("policy") : rule.getValue();
        if (policy == null || !policy.isTextual()) {
          throw new IllegalArgumentException(
              "rule " + kind.getKey() + " \"" + rule.getKey() + "\" needs a policy");
        }
        target.put(rule.getKey(), Access.parse(policy.asText()));
      }
    }
    return rules;
  }

  private static Resource resource(String word, String keyword) {
    for (Resource r : Resource.values()) {
      if (r.wire().equals(word)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unsupported rule kind '" + keyword + "'");
  }

  /** The level the rules give {@code name}, if any rule covers it. */
  public Optional<Access> lookup(Resource resource, String name) {
    Access exactRule = exact.get(resource).get(name);
    if (exactRule != null) {
      return Optional.of(exactRule);
    }
    Access found = null;
    int longest = -1;
    for (Map.Entry<String, Access> rule : prefixes.get(resource).entrySet()) {
      if (name.startsWith(rule.getKey()) && rule.getKey().length() > longest) {
        longest = rule.getKey().length();
        found = rule.getValue();
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Consul's {@code KeyWritePrefix}, needed for a recursive delete: write on the prefix itself and
   * no rule below it that grants less than write.
   */
  public boolean writesWholePrefix(String prefix, Access fallback) {
    if (!lookup(Resource.KEY, prefix).orElse(fallback).grants(Access.WRITE)) {
      return false;
    }
    for (Map<String, Access> rules :
        java.util.List.of(exact.get(Resource.KEY), prefixes.get(Resource.KEY))) {
      for (Map.Entry<String, Access> rule : rules.entrySet()) {
        if (rule.getKey().startsWith(prefix) && !rule.getValue().grants(Access.WRITE)) {
          return false;
        }
      }
    }
    return true;
  }
}
