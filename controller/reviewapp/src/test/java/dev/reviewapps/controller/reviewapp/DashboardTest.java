package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reviewapps.client.view.AppViews;
import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.dashboard.DashboardModel;
import dev.reviewapps.controller.reviewapp.dashboard.DashboardServer;
import dev.reviewapps.controller.reviewapp.dashboard.DashboardSettings;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.model.status.Phase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.http.HttpHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard over the whole engine (watch, queue, workers, status writer) and devstack Nomad
 * running real processes: what it lists and shows, that it escapes what a hostile spec brings, that
 * it never shows a secret (not even one the app prints in its own log), its token, and in a real
 * browser (Debian's chromium, headless, through chromedriver) that the page follows a phase change
 * without a reload.
 */
class DashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READY_APP = "deploy-dash-shop";
  private static final String HOSTILE_APP = "deploy-dash-hostile";
  private static final String HOSTILE_LABEL = "<script>document.title='pwned'</script>";
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static ReviewAppWorld world;
  private static Engine engine;
  private static DashboardServer dashboard;
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir static Path temp;

  @BeforeAll
  static void start() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
    engine = world.startEngine(new SimpleMeterRegistry(), 2);
    dashboard = dashboard(Optional.empty());
    dashboard.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (dashboard != null) {
      dashboard.close();
    }
    // Also stops the engine it started.
    world.close();
  }

  private static DashboardServer dashboard(Optional<String> token) {
    return new DashboardServer(
        new DashboardSettings(true, "127.0.0.1", 0, token, Optional.empty()),
        new DashboardModel(
            new AppViews(world.kv, world.layout),
            world.nomadClient,
            HttpHost.create(world.nomad.baseUrl()),
            Clock.systemUTC()));
  }

  private static String base() {
    return "http://127.0.0.1:" + dashboard.port();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An app whose web process prints its own DATABASE_URL, password included, on start. */
  private static String chattySpec(String name) throws IOException {
    Path web = temp.resolve("chatty-web");
    if (!Files.exists(web)) {
      Files.writeString(
          web,
          "#!/bin/sh\n"
              // Over 32 KB before the interesting lines: later reads start inside the log.
              + "i=0; while [ $i -lt 3000 ]; do echo \"filler line $i\"; i=$((i+1)); done\n"
              + "echo \"connecting to $DATABASE_URL\"\necho \"REDIS_URL=$REDIS_URL\"\nexec "
              + ReviewAppWorld.exampleApp().resolve("bin").resolve("web")
              + "\n");
      Files.setPosixFilePermissions(web, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return Apps.shared(name, "d45b0a11")
        .replace(
            "\"command\":\"" + ReviewAppWorld.exampleApp().resolve("bin").resolve("web") + "\"",
            "\"command\":\"" + web + "\"")
        .replace(
            "\"metadata\":{\"name\":\"" + name + "\"}",
            "\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"team\":\"checkout\"}}");
  }

  private static void readyApp() throws IOException {
    if (world.kv.get(world.layout.spec(READY_APP)).isEmpty()) {
      world.putSpec(READY_APP, chattySpec(READY_APP));
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> world.status(READY_APP).map(s -> s.phase() == Phase.Ready).orElse(false));
  }

  @Test
  void theListAndAnAppsPageShowWhatConsulAndNomadHoldAndNeverASecret() throws Exception {
    readyApp();
    HttpResponse<String> list = get("/");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'");
    assertThat(list.body())
        .contains("href=\"/apps/" + READY_APP + "\"")
        .contains("phase-ready")
        .contains("http://" + READY_APP + ".review.test")
        .contains("d45b0a11")
        .contains("team=checkout")
        .containsPattern("\\$0\\.\\d{4}");
    assertThat(get("/fragment/apps?q=checkout").body()).contains(READY_APP);
    assertThat(get("/fragment/apps?q=nothing-like-it").body())
        .contains("No review app matches")
        .doesNotContain(READY_APP);
    assertThat(get("/fragment/apps?phase=Failed").body()).doesNotContain(READY_APP);
    assertThat(get("/fragment/apps?phase=Ready").body()).contains(READY_APP);

    String password =
        JSON.readTree(
                world.kv.get(world.layout.prefix() + "secrets/" + READY_APP).orElseThrow().value())
            .get("password")
            .asText();
    // The web process printed its DATABASE_URL with the password: the page shows the line
    // redacted once Nomad has it.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/apps/" + READY_APP).body().contains("connecting to postgres"));
    // A second read starts near where the first ended, not at the beginning of the log.
    get("/apps/" + READY_APP);
    String page = get("/apps/" + READY_APP).body();
    assertThat(page).contains("filler line 2999").doesNotContain("filler line 0\n");
    assertThat(page)
        .contains("Conditions")
        .contains("WebReady")
        .contains("Rollouts")
        .contains("Ready</td>")
        .contains("web</td>")
        .contains("healthy")
        .contains("reviewctl delete " + READY_APP)
        .contains("reviewctl sleep " + READY_APP)
        .contains("reviewctl wake " + READY_APP)
        .contains("Database in use")
        .contains("***@")
        .contains("REDIS_URL=***")
        .doesNotContain(password)
        .doesNotContain("APP_GREETING");
  }

  @Test
  void aHostileSpecIsShownAsTextAndBadPathsAndMethodsAreRefused() throws Exception {
    world.putSpec(
        HOSTILE_APP,
        Apps.shared(HOSTILE_APP, "bad0c0de")
            .replace(
                "\"metadata\":{\"name\":\"" + HOSTILE_APP + "\"}",
                "\"metadata\":{\"name\":\""
                    + HOSTILE_APP
                    + "\",\"labels\":{\""
                    + HOSTILE_LABEL.replace("'", "\\u0027")
                    + "\":\"x\"}}"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> world.status(HOSTILE_APP).map(s -> s.phase() == Phase.Failed).orElse(false));
    String page = get("/apps/" + HOSTILE_APP).body();
    assertThat(page)
        .contains("&lt;script&gt;document.title=")
        .doesNotContain(HOSTILE_LABEL)
        .doesNotContain("<script>document");

    assertThat(get("/apps/no-such-app").statusCode()).isEqualTo(404);
    assertThat(get("/apps/..%2F..%2Fsecrets").statusCode()).isEqualTo(404);
    assertThat(get("/apps/%3Cscript%3E").statusCode()).isEqualTo(404);
    assertThat(get("/apps/" + HOSTILE_APP + "/../../secrets").statusCode()).isEqualTo(404);
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> reflected = get("/?q=%3Cscript%3Ex%3C/script%3E&phase=%3Cscript%3E");
    assertThat(reflected.statusCode()).isEqualTo(200);
    // In a quoted attribute jte escapes what could end it or start markup ("&<), '>' is harmless.
    assertThat(reflected.body())
        .contains("value=\"&lt;script>x&lt;/script>\"")
        .doesNotContain("<script>x");
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/apps/" + HOSTILE_APP))
                .POST(HttpRequest.BodyPublishers.ofString("delete"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(world.kv.get(world.layout.spec(HOSTILE_APP))).isPresent();
  }

  @Test
  void withATokenEveryRequestMustCarryIt() throws Exception {
    DashboardServer locked = dashboard(Optional.of("s3cret-dashboard-token"));
    locked.start();
    try {
      String root = "http://127.0.0.1:" + locked.port() + "/";
      HttpResponse<String> none =
          http.send(
              HttpRequest.newBuilder(URI.create(root)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .contains("Basic realm=\"review-apps\"");
      assertThat(none.body()).doesNotContain("s3cret");
      for (String header :
          List.of(
              "Bearer s3cret-dashboard-token",
              "Basic " + base64("anyone:s3cret-dashboard-token"))) {
        assertThat(
                http.send(
                        HttpRequest.newBuilder(URI.create(root))
                            .header("Authorization", header)
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode())
            .as(header)
            .isEqualTo(200);
      }
      for (String header :
          List.of(
              "Bearer s3cret-dashboard-toke",
              "Bearer s3cret-dashboard-token-and-more",
              "Basic " + base64("s3cret-dashboard-token:wrong"),
              "Basic not-base64!",
              "s3cret-dashboard-token")) {
        assertThat(
                http.send(
                        HttpRequest.newBuilder(URI.create(root + "static/dashboard.js"))
                            .header("Authorization", header)
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode())
            .as(header)
            .isEqualTo(401);
      }
    } finally {
      locked.close();
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void inARealBrowserThePageFollowsAPhaseChangeWithoutReloadingAndHostileTextStaysText()
      throws Exception {
    assertThat(CHROMIUM)
        .as("Debian's chromium (make deps installs chromium and chromium-driver)")
        .exists();
    assertThat(CHROMEDRIVER).as("Debian's chromedriver (make deps)").exists();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        "--user-data-dir=" + Files.createTempDirectory(temp, "chromium"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    WebDriver browser = new ChromeDriver(service, options);
    try {
      String name = "deploy-dash-browser";
      world.putSpec(name, Apps.shared(name, "b10b5e12"));
      browser.get(base() + "/apps/" + name);
      ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes';");
      // The phase moves from Pending/Provisioning to Ready in the open page: no navigation, the
      // script's refresh puts the new fragment in place.
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  "Ready"
                      .equals(
                          script(browser, "return document.getElementById('phase').textContent;")));
      assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument;"))
          .isEqualTo("yes");
      assertThat(browser.findElement(By.tagName("main")).getText())
          .contains("WebReady")
          .contains("reviewctl delete " + name);

      // The hostile spec's label is on the page as text; no script of it ran.
      aHostileSpecIsShownAsTextAndBadPathsAndMethodsAreRefused();
      browser.get(base() + "/apps/" + HOSTILE_APP);
      assertThat(browser.findElement(By.tagName("main")).getText())
          .contains("['<script>document.title=\\'pwned\\'</script>']: label key must be");
      assertThat(browser.getTitle()).isEqualTo(HOSTILE_APP + " · review-apps");
      assertThat(browser.findElements(By.cssSelector("#live script"))).isEmpty();

      // The list: every app, a filter by text and by phase that needs no reload.
      readyApp();
      browser.get(base() + "/");
      await().atMost(Duration.ofSeconds(10)).until(() -> appsShown(browser).size() >= 3);
      ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'list';");
      WebElement search = browser.findElement(By.name("q"));
      search.sendKeys("checkout");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> appsShown(browser).equals(List.of(READY_APP)));
      search.clear();
      search.sendKeys(" ");
      new Select(browser.findElement(By.name("phase"))).selectByValue("Failed");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> appsShown(browser).equals(List.of(HOSTILE_APP)));
      assertThat(browser.getCurrentUrl()).contains("phase=Failed");
      assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument;"))
          .isEqualTo("list");

      new Select(browser.findElement(By.name("phase"))).selectByValue("");
      await().atMost(Duration.ofSeconds(10)).until(() -> appsShown(browser).size() >= 3);
      // The README's picture of the list, as this test saw it.
      Path shot = Path.of("target", "dashboard.png");
      Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      assertThat(Files.size(shot)).isPositive();
      browser.get(base() + "/apps/" + READY_APP);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> browser.findElement(By.tagName("main")).getText().contains("connecting to"));
      Files.write(
          Path.of("target", "dashboard-app.png"),
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.quit();
    }
  }

  /** The apps in the list's rows, read in one script run (the refresh replaces the rows). */
  @SuppressWarnings("unchecked")
  private static List<String> appsShown(WebDriver browser) {
    return (List<String>)
        script(
            browser,
            "return Array.from(document.querySelectorAll('tr[data-app]'))"
                + ".map(function (r) { return r.getAttribute('data-app'); });");
  }

  private static Object script(WebDriver browser, String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }
}
