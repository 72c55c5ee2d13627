/**
 * Testing with the scheduler: {@link dev.ayb.matviews.testkit.jobs.ManualJobRunner} runs the queue pass by pass
 * on the test's thread and clock, {@link dev.ayb.matviews.testkit.jobs.JobStoreContract} is what every
 * {@link dev.ayb.matviews.jobs.spi.JobStore} must do, and {@link dev.ayb.matviews.testkit.jobs.InMemoryJobStore}
 * is a store that keeps those promises without a database.
 */
@NullMarked
package dev.ayb.matviews.testkit.jobs;

import org.jspecify.annotations.NullMarked;
