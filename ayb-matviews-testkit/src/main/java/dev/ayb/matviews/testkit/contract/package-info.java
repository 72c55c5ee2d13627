/**
 * Contract tests for core's SPIs ({@code dev.ayb.matviews.spi}): abstract JUnit 5 classes that every
 * implementation runs by extending them and supplying the implementation. They test only what the SPI's
 * javadoc promises, so core's rules hold whichever implementation is plugged in.
 *
 * <ul>
 *   <li>{@link dev.ayb.matviews.testkit.contract.RegistrationStoreContract}</li>
 *   <li>{@link dev.ayb.matviews.testkit.contract.RefreshLocksContract}</li>
 * </ul>
 */
@NullMarked
package dev.ayb.matviews.testkit.contract;

import org.jspecify.annotations.NullMarked;
