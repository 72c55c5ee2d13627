/**
 * The servlet's parts: routing, request parsing, JSON mapping, error mapping. Not API: anything here may
 * change in any release.
 */
@NullMarked
package dev.ayb.matviews.servlet.internal;

import org.jspecify.annotations.NullMarked;
