/**
 * The review apps' AWS resources: RDS instances for the {@code instance} and {@code snapshot}
 * database modes, the Auto Scaling Group sized by packing every app's allocations (or a static
 * cluster), and the S3 assets prefix that teardown removes. Each sits behind a small interface the
 * reconcile steps use, with the AWS SDK v2 implementation next to it.
 */
package dev.reviewapps.controller.reviewapp.aws;
