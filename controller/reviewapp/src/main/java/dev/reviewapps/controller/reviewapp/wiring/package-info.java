/**
 * Wires the ReviewApp reconciler into the controller process: its {@code reviewapp} section of the
 * configuration file ({@link dev.reviewapps.controller.reviewapp.wiring.ReviewAppConfigSection}),
 * and the Guice module that builds the real clients and binds the reconciler ({@link
 * dev.reviewapps.controller.reviewapp.wiring.ReviewAppModule}); both are found through {@code
 * META-INF/services}.
 */
package dev.reviewapps.controller.reviewapp.wiring;
