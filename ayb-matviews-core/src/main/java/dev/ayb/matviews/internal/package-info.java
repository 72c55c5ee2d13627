/**
 * The core's own helpers, public only because the classes that use them live in another package. Not API:
 * anything here may change in any release.
 */
@NullMarked
package dev.ayb.matviews.internal;

import org.jspecify.annotations.NullMarked;
