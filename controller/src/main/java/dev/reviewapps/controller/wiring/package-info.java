/**
 * Guice wiring, one module per outside system and concern, and {@link
 * dev.reviewapps.controller.wiring.ControllerProcess}, which ties leader election to the engine: an
 * engine runs exactly while this process leads.
 */
package dev.reviewapps.controller.wiring;
