/**
 * Micrometer meters for materialized views, without Spring:
 *
 * <pre>{@code
 * RefreshMetrics refreshMetrics = new RefreshMetrics();
 * AybMatviews matviews = AybMatviews.builder().dataSource(dataSource).listener(refreshMetrics).build();
 * refreshMetrics.bindTo(registry);
 * new ViewMetrics(matviews).bindTo(registry);
 * new JobQueueMetrics(jobs).bindTo(registry);   // with ayb-matviews-jobs, whose builder also takes a JobMetrics
 * }</pre>
 *
 * <p>Every meter is named {@code ayb.matviews.*}. The only tags whose values vary with the data are the view's
 * name, and only registered views have meters, so the number of series is bounded by the number of views.
 */
@NullMarked
package dev.ayb.matviews.micrometer;

import org.jspecify.annotations.NullMarked;
