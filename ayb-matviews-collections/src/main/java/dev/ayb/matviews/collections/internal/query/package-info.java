/**
 * The query side of a read, in plain Java: the filter grammar (tokenizer, parser, the check against the view's
 * columns), cursors, and the parameters checked into a {@link dev.ayb.matviews.collections.internal.query.PageRequest}.
 * Nothing here knows SQL. Not API: anything here may change in any release.
 */
@NullMarked
package dev.ayb.matviews.collections.internal.query;

import org.jspecify.annotations.NullMarked;
