package dev.reviewapps.devstack.aws.s3;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An object as stored: its bytes and what S3 answers about it.
 *
 * @param etag the quoted MD5 of the bytes, as S3 gives it for single-part uploads
 * @param userMetadata {@code x-amz-meta-*} headers, names lower-cased and without the prefix
 */
record StoredObject(
    byte[] data,
    String contentType,
    Optional<String> contentEncoding,
    String etag,
    Instant lastModified,
    Map<String, String> userMetadata) {}
