package dev.reviewapps.reviewctl;

import dev.reviewapps.model.naming.ResourceNames;
import java.io.IOException;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** {@code assets push NAME DIR}: static assets to {@code s3://BUCKET/<prefix><name>/...}. */
@Command(
    name = "assets",
    description = "Static assets of an app in S3.",
    subcommands = {AssetsCommand.Push.class})
final class AssetsCommand implements Runnable {

  @Override
  public void run() {
    throw new CliError("assets: say push (see: reviewctl assets --help)", ExitCode.USAGE);
  }

  @Command(
      name = "push",
      description = {
        "Upload every file under DIR to s3://BUCKET/<prefix><name>/, the prefix the controller"
            + " removes on teardown.",
        "Credentials: the AWS SDK's default chain (AWS_ACCESS_KEY_ID..., profiles, roles)."
      })
  static final class Push extends AppCommand implements Callable<Integer> {
    /** The stand-in checks no signature; a custom endpoint without credentials still works. */
    private static final AwsBasicCredentials ANONYMOUS_DEV =
        AwsBasicCredentials.create("reviewctl-devstack", "reviewctl-devstack");

    /** Types browsers are picky about; the JDK's table lacks some of them. */
    private static final Map<String, String> TYPES =
        Map.of(
            "css", "text/css",
            "js", "text/javascript",
            "mjs", "text/javascript",
            "json", "application/json",
            "svg", "image/svg+xml",
            "woff2", "font/woff2",
            "map", "application/json",
            "wasm", "application/wasm");

    @Parameters(index = "0", paramLabel = "NAME", description = "The app.")
    String name;

    @Parameters(index = "1", paramLabel = "DIR", description = "The directory to upload.")
    Path dir;

    @Option(
        names = "--bucket",
        paramLabel = "BUCKET",
        description = "The bucket (env REVIEW_APPS_ASSETS_BUCKET).")
    String bucket;

    @Option(
        names = "--assets-prefix",
        paramLabel = "PREFIX",
        defaultValue = "assets/",
        description = "Key prefix before NAME/ (default assets/, as the controller's).")
    String assetsPrefix;

    @Option(
        names = "--s3-endpoint",
        paramLabel = "URL",
        description = "S3 endpoint (env AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL); path-style.")
    String endpoint;

    @Option(
        names = "--region",
        paramLabel = "REGION",
        description =
            "AWS region (env AWS_REGION, AWS_DEFAULT_REGION; us-east-1 with a custom endpoint).")
    String region;

    @Override
    public Integer call() throws IOException {
      String target =
          Optional.ofNullable(bucket)
              .or(() -> terminal().variable("REVIEW_APPS_ASSETS_BUCKET"))
              .orElseThrow(
                  () ->
                      new CliError(
                          "assets push: no bucket: give --bucket or REVIEW_APPS_ASSETS_BUCKET",
                          ExitCode.USAGE));
      if (!Files.isDirectory(dir)) {
        throw new CliError("assets push " + name + ": " + dir + " is not a directory");
      }
      String keyPrefix = ResourceNames.of(name).assetsFolder(assetsPrefix);
      // Files.walk does not follow linked directories; a linked file is uploaded only when it
      // resolves inside DIR, so a link to /etc/passwd or ~/.aws/credentials never leaves the box.
      Path root = dir.toRealPath();
      List<Path> files = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
          if (file.toRealPath().startsWith(root)) {
            files.add(file);
          } else {
            skipped.add(dir.relativize(file).toString());
          }
        }
      }
      if (!skipped.isEmpty()) {
        terminal()
            .err()
            .println(
                "assets push: skipped "
                    + skipped.size()
                    + (skipped.size() == 1 ? " link" : " links")
                    + " pointing outside "
                    + dir
                    + ": "
                    + String.join(", ", skipped));
      }
      long bytes = 0;
      try (S3Client s3 = client()) {
        for (Path file : files) {
          String relative =
              dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
          s3.putObject(
              r -> r.bucket(target).key(keyPrefix + relative).contentType(contentType(file)),
              RequestBody.fromFile(file));
          bytes += Files.size(file);
        }
      }
      out()
          .println(
              "uploaded "
                  + files.size()
                  + " files ("
                  + bytes
                  + " bytes) to s3://"
                  + target
                  + "/"
                  + keyPrefix);
      return ExitCode.OK;
    }

    private S3Client client() {
      Optional<String> custom =
          Optional.ofNullable(endpoint)
              .or(() -> terminal().variable("AWS_ENDPOINT_URL_S3"))
              .or(() -> terminal().variable("AWS_ENDPOINT_URL"));
      S3ClientBuilder builder =
          S3Client.builder()
              // The JDK's HTTP client: enough for one upload run, and the SDK has deprecated
              // its Apache 4 client.
              .httpClientBuilder(UrlConnectionHttpClient.builder())
              .credentialsProvider(credentials(custom.isPresent()));
      Optional<String> named =
          Optional.ofNullable(region)
              .or(() -> terminal().variable("AWS_REGION"))
              .or(() -> terminal().variable("AWS_DEFAULT_REGION"));
      if (named.isPresent()) {
        builder.region(Region.of(named.get()));
      } else if (custom.isPresent()) {
        builder.region(Region.US_EAST_1);
      } else {
        try {
          builder.region(new DefaultAwsRegionProviderChain().getRegion());
        } catch (SdkClientException e) {
          throw new CliError("assets push: no AWS region: set AWS_REGION or --region");
        }
      }
      if (custom.isPresent()) {
        URI uri = URI.create(custom.get());
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new CliError("assets push: bad S3 endpoint (not a URL): " + custom.get());
        }
        // A custom endpoint (devstack, MinIO) has no per-bucket host names: path-style. Over
        // plain HTTP the SDK would send aws-chunked bodies with trailing checksums otherwise.
        builder
            .endpointOverride(uri)
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
      }
      return builder.build();
    }

    private AwsCredentialsProvider credentials(boolean customEndpoint) {
      Optional<String> key = terminal().variable("AWS_ACCESS_KEY_ID");
      Optional<String> secret = terminal().variable("AWS_SECRET_ACCESS_KEY");
      AwsCredentialsProvider fromEnvironment;
      if (key.isPresent() && secret.isPresent()) {
        Optional<String> session = terminal().variable("AWS_SESSION_TOKEN");
        fromEnvironment =
            StaticCredentialsProvider.create(
                session.isPresent()
                    ? AwsSessionCredentials.create(key.get(), secret.get(), session.get())
                    : AwsBasicCredentials.create(key.get(), secret.get()));
      } else {
        fromEnvironment = DefaultCredentialsProvider.builder().build();
      }
      if (!customEndpoint) {
        return fromEnvironment;
      }
      return AwsCredentialsProviderChain.builder()
          .credentialsProviders(fromEnvironment, StaticCredentialsProvider.create(ANONYMOUS_DEV))
          .build();
    }

    private static String contentType(Path file) {
      String fileName = file.getFileName().toString();
      int dot = fileName.lastIndexOf('.');
      String byExtension = dot < 0 ? null : TYPES.get(fileName.substring(dot + 1));
      if (byExtension != null) {
        return byExtension;
      }
      String guessed = URLConnection.guessContentTypeFromName(fileName);
      return guessed != null ? guessed : "application/octet-stream";
    }
  }
}
