/**
 * AWS stand-ins for tests and the demo: RDS, Auto Scaling and S3 on one HTTP endpoint that the AWS
 * SDK for Java v2 talks to through {@code endpointOverride}. {@link
 * dev.reviewapps.devstack.aws.AwsStandIn} embeds it in tests; {@link
 * dev.reviewapps.devstack.aws.AwsCommand} runs it as {@code java -jar devstack.jar aws}.
 */
package dev.reviewapps.devstack.aws;
