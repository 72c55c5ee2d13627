/**
 * Scheduled refresh: cron {@link dev.ayb.matviews.jobs.Schedule}s that enqueue {@link dev.ayb.matviews.jobs.Job}s,
 * and the {@link dev.ayb.matviews.jobs.JobRunner} that runs them with {@link dev.ayb.matviews.jobs.JobHandler}s.
 * Start at {@link dev.ayb.matviews.jobs.AybJobs}.
 *
 * <p>Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.ayb.matviews.jobs;

import org.jspecify.annotations.NullMarked;
