package dev.reviewapps.devstack.aws.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
  @Test
  void listsWithMemberNamesAndNestedListsAreReadInIndexOrder() {
    QueryParams p =
        QueryParams.parseForm(
            "Action=DescribeDBInstances&Tags.Tag.2.Key=b&Tags.Tag.1.Key=a&Tags.Tag.1.Value=x%20y"
                + "&Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=postgres"
                + "&Filters.Filter.1.Values.Value.2=mysql&Names.member.10=ten&Names.member.2=two");

    assertThat(p.list("Tags"))
        .extracting(t -> t.get("Key").orElseThrow())
        .containsExactly("a", "b");
    assertThat(p.list("Tags").get(0).get("Value")).contains("x y");
    assertThat(p.list("Filters").get(0).strings("Values")).containsExactly("postgres", "mysql");
    assertThat(p.strings("Names")).containsExactly("two", "ten");
    assertThat(p.strings("Absent")).isEqualTo(List.of());
  }

  @Test
  void missingAndMalformedParametersAreAwsErrors() {
    QueryParams p = QueryParams.parseForm("MinSize=one");

    assertThatThrownBy(() -> p.required("AutoScalingGroupName"))
        .isInstanceOfSatisfying(
            AwsError.class, e -> assertThat(e.code()).isEqualTo("MissingParameter"));
    assertThatThrownBy(() -> p.integer("MinSize"))
        .isInstanceOfSatisfying(
            AwsError.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
  }
}
