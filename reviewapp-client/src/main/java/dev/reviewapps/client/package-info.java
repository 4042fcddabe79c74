/**
 * What both the controller and reviewctl need to read and address review apps: the domain's Consul
 * keys ({@link dev.reviewapps.client.ReviewAppKeys}), the inventory format, the Nomad connection
 * and the views of an app. Job IDs and the assets folder come from the API model's {@code
 * ResourceNames}. Nothing here reconciles or creates anything.
 */
package dev.reviewapps.client;
