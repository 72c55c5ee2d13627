/**
 * The job queue's and the schedules' SQL, cron parsing, payload JSON, retry back-off and the built-in refresh
 * job. Not API: anything here may change in any release.
 */
@NullMarked
package dev.ayb.matviews.jobs.internal;

import org.jspecify.annotations.NullMarked;
