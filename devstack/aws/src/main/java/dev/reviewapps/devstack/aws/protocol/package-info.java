/**
 * The wire formats the three services share: AWS's Query protocol (form-encoded {@code Action=}
 * requests, XML answers and {@code ErrorResponse} errors), a small XML writer, and the error value
 * every service throws. S3's own REST error shape lives in the s3 package.
 */
package dev.reviewapps.devstack.aws.protocol;
