/**
 * The library's values in their wire JSON form: {@link dev.ayb.matviews.json.WireJson} maps registrations, runs,
 * refresh results, discovered views, schedules and jobs to the one shape the admin HTTP API and the command
 * line's {@code --json} share.
 */
@NullMarked
package dev.ayb.matviews.json;

import org.jspecify.annotations.NullMarked;
