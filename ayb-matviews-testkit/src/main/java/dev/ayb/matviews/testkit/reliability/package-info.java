/**
 * Support for reliability suites: adversarial inputs, a data source that records every statement's text,
 * and a JUnit extension that tallies inputs tried, faults injected and operations lost.
 */
@NullMarked
package dev.ayb.matviews.testkit.reliability;

import org.jspecify.annotations.NullMarked;
