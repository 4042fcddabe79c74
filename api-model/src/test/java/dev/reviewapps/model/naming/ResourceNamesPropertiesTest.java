package dev.reviewapps.model.naming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Every identifier derived from an app name is one-to-one, and the kinds never meet: two apps can
 * never share a database, a role, an RDS instance, a Nomad job, an assets folder or a host.
 */
class ResourceNamesPropertiesTest {

  /** Each identifier function, by kind. Jobs of every kind share one Nomad namespace. */
  private static final Map<String, Function<ResourceNames, List<String>>> KINDS =
      Map.of(
          "database",
          n -> List.of(n.database()),
          "role",
          n -> List.of(n.role()),
          "rds",
          n -> List.of(n.rdsInstance()),
          "job",
          n ->
              List.of(
                  n.serviceJob(),
                  n.migrateJob("0123456789"),
                  n.seedJob("0123456789"),
                  n.predestroyJob()),
          "assets",
          n -> List.of(n.assetsFolder("assets/")),
          "host",
          n -> List.of(new HostTemplate("{name}.review.example.com").host(n.app())));

  /** Valid app names, biased to the edges: hyphens, digits, the longest length. */
  @Provide
  Arbitrary<String> appNames() {
    Arbitrary<String> any =
        Arbitraries.strings().withChars("ab0-").ofMinLength(1).ofMaxLength(AppName.MAX_LENGTH);
    Arbitrary<String> longest =
        Arbitraries.strings()
            .withChars("a-")
            .ofLength(AppName.MAX_LENGTH)
            .map(s -> "x" + s.substring(1, s.length() - 1) + "y");
    return Arbitraries.oneOf(any, longest).filter(s -> AppName.parse(s).isPresent());
  }

  @Property(tries = 2000)
  void differentNamesNeverShareAnIdentifierOfAnyKind(
      @ForAll("appNames") String one, @ForAll("appNames") String two) {
    if (one.equals(two)) {
      return;
    }
    ResourceNames a = ResourceNames.of(one);
    ResourceNames b = ResourceNames.of(two);
    KINDS.forEach(
        (kind, ids) -> assertThat(ids.apply(a)).as(kind).doesNotContainAnyElementsOf(ids.apply(b)));
  }

  @Property(tries = 2000)
  void everyIdentifierIsValidForItsSystemWithoutCuttingOrCleaning(@ForAll("appNames") String name) {
    ResourceNames n = ResourceNames.of(name);
    // PostgreSQL: 63 bytes; letters, digits and '_'.
    assertThat(n.database()).hasSizeLessThanOrEqualTo(63).matches("ra_[a-z0-9_]+");
    // RDS: a letter first, letters, digits and single hyphens, no trailing hyphen, 63 at most.
    assertThat(n.rdsInstance())
        .hasSizeLessThanOrEqualTo(63)
        .matches("[a-z][a-z0-9-]*[a-z0-9]")
        .doesNotContain("--");
    // A batch job says whose it is; a service job is the name.
    assertThat(ResourceNames.ownerOfJob(n.seedJob("0123456789"))).contains(n.app());
    assertThat(ResourceNames.ownerOfJob(n.migrateJob("abcdefabcd"))).contains(n.app());
    assertThat(ResourceNames.ownerOfJob(n.predestroyJob())).contains(n.app());
    assertThat(ResourceNames.ownerOfJob(n.serviceJob())).contains(n.app());
  }

  @Property(tries = 500)
  void branchesMapToNamesWhoseIdentifiersAreValid(@ForAll @Size(max = 120) String branch) {
    AppName name = AppName.fromBranch(branch);
    assertThat(name.value()).hasSizeLessThanOrEqualTo(AppName.MAX_LENGTH).doesNotContain("--");
    assertThat(ResourceNames.of(name.value()).rdsInstance()).hasSizeLessThanOrEqualTo(63);
  }

  @Example
  void theKnownCollisionsOfEarlierSchemesAreApartOrRefused() {
    // A 62-character name was cut and hashed into what a second name could be called exactly.
    assertThat(AppName.parse("deploy-" + "x".repeat(55))).isEmpty();
    // shop--api was cleaned into shop-api plus a hash: '--' is refused now.
    assertThat(AppName.parse("shop--api")).isEmpty();
    // The service job of "<x>-seed" was the seed job of "<x>"; "-predestroy" and "-migrate-" too.
    List<String> ids = new ArrayList<>();
    for (String app : List.of("x", "x-seed", "x-predestroy", "x-migrate-0123456789")) {
      ResourceNames n = ResourceNames.of(app);
      ids.addAll(
          List.of(n.serviceJob(), n.seedJob("0123456789"), n.predestroyJob(), n.migrateJob("0")));
    }
    assertThat(ids).doesNotHaveDuplicates();
    // Anything without a dot that is not an app's name belongs to nobody (the controller's job).
    assertThat(ResourceNames.ownerOfJob("review-apps-controller"))
        .contains(new AppName("review-apps-controller"));
    assertThat(ResourceNames.ownerOfJob("Review_Apps")).isEqualTo(Optional.empty());
  }

  @Example
  void tenThousandGeneratedNamesHaveTenThousandOfEveryIdentifier() {
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      String name = "deploy-" + Integer.toString(i, 3).replace('2', '-') + "a";
      if (AppName.parse(name).isEmpty()) {
        continue;
      }
      ResourceNames n = ResourceNames.of(name);
      for (var kind : KINDS.entrySet()) {
        for (String id : kind.getValue().apply(n)) {
          String earlier = seen.put(kind.getKey() + ":" + id, name);
          assertThat(earlier).as("%s %s", kind.getKey(), id).isNull();
        }
      }
    }
  }
}
