package dev.reviewapps.devstack.nomad.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void fillsTheDefaultsNomadCanonicalisationFills() throws Exception {
    JobParser.Parsed parsed =
        JobParser.parse(
            json(
                "{'ID':'web','TaskGroups':[{'Name':'g','Tasks':[{'Name':'t','Driver':'raw_exec',"
                    + "'Config':{'command':'sleep','args':['5']}}]}]}"));

    JsonNode job = parsed.canonical();
    assertThat(job.path("Name").asText()).isEqualTo("web");
    assertThat(job.path("Region").asText()).isEqualTo("global");
    assertThat(job.path("Namespace").asText()).isEqualTo("default");
    assertThat(job.path("Type").asText()).isEqualTo("service");
    assertThat(job.path("Priority").asInt()).isEqualTo(50);
    JsonNode group = job.path("TaskGroups").get(0);
    assertThat(group.path("Count").asInt()).isEqualTo(1);
    assertThat(group.path("RestartPolicy").path("Attempts").asInt()).isEqualTo(2);
    JsonNode task = group.path("Tasks").get(0);
    assertThat(task.path("Resources").path("CPU").asInt()).isEqualTo(100);
    assertThat(task.path("Resources").path("MemoryMB").asInt()).isEqualTo(300);
    assertThat(task.path("KillTimeout").asLong()).isEqualTo(Duration.ofSeconds(5).toNanos());

    TaskSpec spec = parsed.spec().groups().get(0).tasks().get(0);
    assertThat(spec.config().command()).contains("sleep");
    assertThat(spec.config().args()).containsExactly("5");
    assertThat(spec.killSignal()).isEqualTo("SIGTERM");
  }

  @Test
  void batchJobsGetNomadsBatchRestartPolicy() throws Exception {
    JobSpec spec =
        JobParser.parse(
                json(
                    "{'ID':'m','Type':'batch','TaskGroups':[{'Name':'g','Tasks':[{'Name':'t',"
                        + "'Driver':'raw_exec','Config':{'command':'true'}}]}]}"))
            .spec();

    assertThat(spec.groups().get(0).restart()).isEqualTo(RestartPolicy.batchDefault());
    assertThat(spec.runsToCompletion()).isTrue();
  }

  @Test
  void readsGroupAndTaskPortsAndServiceChecks() throws Exception {
    GroupSpec group =
        JobParser.parse(
                json(
                    "{'ID':'w','TaskGroups':[{'Name':'g',"
                        + "'Networks':[{'DynamicPorts':[{'Label':'http','To':8080}],"
                        + "'ReservedPorts':[{'Label':'admin','Value':9000}]}],"
                        + "'Services':[{'Name':'web','PortLabel':'http','Checks':[{'Type':'http',"
                        + "'Path':'/health','Interval':1000000000,'Timeout':500000000}]}],"
                        + "'Tasks':[{'Name':'t','Driver':'raw_exec','Config':{'command':'true'},"
                        + "'Resources':{'Networks':[{'DynamicPorts':[{'Label':'metrics'}]}]}}]}]}"))
            .spec()
            .groups()
            .get(0);

    assertThat(group.allPorts())
        .containsExactlyInAnyOrder(
            new PortSpec("http", 0, 8080),
            new PortSpec("admin", 9000, 0),
            new PortSpec("metrics", 0, 0));
    ServiceSpec.CheckSpec check = group.services().get(0).checks().get(0);
    assertThat(check.portLabel()).isEqualTo("http");
    assertThat(check.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(check.method()).isEqualTo("GET");
  }

  @Test
  void listsEveryProblemOfAnInvalidJobInNomadsFormat() throws Exception {
    assertThatThrownBy(
            () ->
                JobParser.parse(
                    json(
                        "{'Type':'cron','TaskGroups':[{'Name':'g','Tasks':[{'Name':'t',"
                            + "'Driver':'raw_exec','Config':{}}]}]}")))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith("3 errors occurred:\n")
        .hasMessageContaining("\t* Missing job ID\n")
        .hasMessageContaining("Invalid job type: \"cron\"")
        .hasMessageContaining("missing required field \"command\"");
  }

  @Test
  void refusesAJobWithoutTaskGroups() {
    assertThatThrownBy(() -> JobParser.parse(json("{'ID':'x'}")))
        .hasMessage("1 error occurred:\n\t* Missing job task groups\n\n");
  }
}
