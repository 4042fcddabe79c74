/**
 * What Consul and Nomad hold about each app, joined for people to read: {@link
 * dev.reviewapps.client.view.AppView} (spec, status, inventory, last request), the app's Nomad
 * allocations, ages. reviewctl and the dashboard show the same things the same way.
 */
package dev.reviewapps.client.view;
