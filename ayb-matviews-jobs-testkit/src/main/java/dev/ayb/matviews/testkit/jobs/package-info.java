/**
 * Testing with the scheduler: {@link dev.ayb.matviews.testkit.jobs.ManualJobRunner} runs the queue pass by pass
 * on the test's thread and clock, and {@link dev.ayb.matviews.testkit.jobs.JobStoreContract} is what every
 * {@link dev.ayb.matviews.jobs.spi.JobStore} must do.
 */
package dev.ayb.matviews.testkit.jobs;
