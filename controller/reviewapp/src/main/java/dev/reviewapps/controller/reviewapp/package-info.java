/** The ReviewApp reconciler and its steps: database, capacity, Nomad jobs, route, status. */
package dev.reviewapps.controller.reviewapp;
