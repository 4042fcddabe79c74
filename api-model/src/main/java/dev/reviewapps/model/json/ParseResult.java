package dev.reviewapps.model.json;

import dev.reviewapps.model.validation.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What reading a JSON document gave: the value, valid in every rule, or the complete list of
 * violations (never empty).
 */
public sealed interface ParseResult<T> {

  /** The value when the document was valid. */
  Optional<T> toOptional();

  /** Every violation found; empty for {@link Parsed}. */
  List<Violation> violations();

  /** A valid document. */
  record Parsed<T>(T value) implements ParseResult<T> {
    public Parsed {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public Optional<T> toOptional() {
      return Optional.of(value);
    }

    @Override
    public List<Violation> violations() {
      return List.of();
    }
  }

  /** A document that broke at least one rule. */
  record Invalid<T>(List<Violation> violations) implements ParseResult<T> {
    public Invalid {
      violations = List.copyOf(violations);
      if (violations.isEmpty()) {
        throw new IllegalArgumentException("an invalid document has at least one violation");
      }
    }

    @Override
    public Optional<T> toOptional() {
      return Optional.empty();
    }
  }
}
