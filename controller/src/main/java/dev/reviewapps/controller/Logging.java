package dev.reviewapps.controller;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.reviewapps.controller.config.LogFormat;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Switches logback between its text and JSON appenders after the configuration is loaded: {@code
 * logback.xml} picks the appender named by {@code REVIEW_APPS_LOG_FORMAT}, and the config file's
 * {@code log.format} sets that property here and reloads.
 */
final class Logging {
  private Logging() {}

  static void use(LogFormat format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    URL xml = Logging.class.getResource("/logback.xml");
    if (xml == null) {
      return;
    }
    context.reset();
    context.putProperty("REVIEW_APPS_LOG_FORMAT", format.name().toLowerCase(Locale.ROOT));
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(xml);
    } catch (JoranException e) {
      System.err.println("logging configuration failed: " + e.getMessage());
    }
  }
}
