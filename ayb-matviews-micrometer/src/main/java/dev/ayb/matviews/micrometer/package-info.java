/**
 * Micrometer meters for materialized views, without Spring:
 *
 * <pre>{@code
 * RefreshMetrics refreshMetrics = new RefreshMetrics();
 * JobMetrics jobMetrics = new JobMetrics();
 * AybMatviews matviews = AybMatviews.builder().dataSource(dataSource).listener(refreshMetrics).build();
 * AybJobs jobs = AybJobs.builder(matviews).jobsEnabled(true).listener(jobMetrics).build();
 * refreshMetrics.bindTo(registry);
 * jobMetrics.bindTo(registry);
 * new ViewMetrics(matviews).bindTo(registry);
 * new JobQueueMetrics(jobs).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter is named {@code ayb.matviews.*}. The only tags whose values vary with the data are the view's
 * name, and only registered views have meters, so the number of series is bounded by the number of views.
 */
@NullMarked
package dev.ayb.matviews.micrometer;

import org.jspecify.annotations.NullMarked;
