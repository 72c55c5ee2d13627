/**
 * Server-Sent Events: the open streams of one servlet, their non-blocking writes, heartbeats and limits. Not
 * API: anything here may change in any release.
 */
@NullMarked
package dev.ayb.matviews.servlet.internal.events;

import org.jspecify.annotations.NullMarked;
