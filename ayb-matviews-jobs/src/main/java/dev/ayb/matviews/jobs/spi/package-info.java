/**
 * The job queue's storage, as a service provider interface: {@link dev.ayb.matviews.jobs.spi.JobStore} says
 * what the job runner needs from it and what each operation guarantees, without naming how it is stored.
 */
@NullMarked
package dev.ayb.matviews.jobs.spi;

import org.jspecify.annotations.NullMarked;
