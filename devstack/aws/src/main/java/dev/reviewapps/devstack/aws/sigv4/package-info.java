/**
 * AWS Signature Version 4 checking for the strict mode: the canonical request is rebuilt from what
 * arrived and signed with the configured secret, as AWS does.
 */
package dev.reviewapps.devstack.aws.sigv4;
