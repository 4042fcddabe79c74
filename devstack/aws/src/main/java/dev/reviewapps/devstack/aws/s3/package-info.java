/**
 * The S3 stand-in, path-style REST: buckets and objects in memory, ListObjectsV2 with prefix,
 * delimiter and continuation, DeleteObjects, S3's {@code <Error>} documents, and {@code
 * aws-chunked} request bodies decoded as the SDK sends them over plain HTTP.
 */
package dev.reviewapps.devstack.aws.s3;
