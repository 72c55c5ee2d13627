/**
 * The job queue in PostgreSQL: {@link dev.ayb.matviews.jobs.postgres.PostgresJobStore}, the
 * {@link dev.ayb.matviews.jobs.spi.JobStore} the job runner uses unless given another.
 */
@NullMarked
package dev.ayb.matviews.jobs.postgres;

import org.jspecify.annotations.NullMarked;
