/**
 * Refresh events across instances: the run history read by id, woken by {@code LISTEN} or by a poll interval.
 */
@NullMarked
package dev.ayb.matviews.jdbc.internal.events;

import org.jspecify.annotations.NullMarked;
