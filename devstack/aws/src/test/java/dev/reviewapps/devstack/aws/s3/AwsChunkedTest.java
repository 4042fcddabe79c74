package dev.reviewapps.devstack.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.devstack.aws.protocol.AwsError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AwsChunkedTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void signedChunksWithTrailingChecksumDecodeAsCapturedFromTheSdk() {
    // The SDK's default PutObject over plain HTTP, from reference/wire/aws-s3-secrets-requests.txt.
    byte[] body =
        bytes(
            "7;chunk-signature=ab3f1bb03712a4c6b1a6161a57dbb785bf567e0ed94b3fa4164632543b0c4f68\r\n"
                + "{\"v\":1}\r\n"
                + "0;chunk-signature=844ca851f9d8e2f945388e2c7cd11243a3cad5870db12c2b180a061abce6308f\r\n"
                + "x-amz-checksum-crc32:hNvnPQ==\r\n"
                + "x-amz-trailer-signature:d6249c55b6563cd3c26b0026f1865fd879d203f0836c978496c6d1ed554ff372\r\n"
                + "\r\n");

    AwsChunked decoded = AwsChunked.decode(body);

    assertThat(new String(decoded.data(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");
    assertThat(decoded.trailers()).containsEntry("x-amz-checksum-crc32", "hNvnPQ==");
  }

  @Test
  void unsignedChunksAcrossSeveralPiecesAreJoined() {
    byte[] body = bytes("5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n");

    assertThat(new String(AwsChunked.decode(body).data(), StandardCharsets.UTF_8))
        .isEqualTo("hello world");
  }

  @Test
  void truncatedBodyIsAnIncompleteBodyError() {
    assertThatThrownBy(() -> AwsChunked.decode(bytes("a;chunk-signature=00\r\nshort\r\n")))
        .isInstanceOfSatisfying(
            AwsError.class, e -> assertThat(e.code()).isEqualTo("IncompleteBody"));
  }

  @Test
  void chunkedBodiesAreRecognisedByEncodingOrDeclaredHash() {
    assertThat(AwsChunked.isChunked("aws-chunked", "")).isTrue();
    assertThat(AwsChunked.isChunked("", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")).isTrue();
    assertThat(AwsChunked.isChunked("gzip", "UNSIGNED-PAYLOAD")).isFalse();
  }
}
