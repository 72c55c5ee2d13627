package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.CollectionPage;
import dev.ayb.matviews.collections.DataVersion;
import dev.ayb.matviews.collections.RawJson;
import dev.ayb.matviews.collections.VersionedPage;
import dev.ayb.matviews.jdbc.support.BoundedCache;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Pages kept per version of a view's data, so that reading an unchanged page again reads only the view's
 * state (one statement without rows) instead of its rows. It reasons as the HTTP validators do: a page's
 * {@link DataVersion} names everything its rows depend on (the view's oid and relfilenode, the registration's
 * last successful refresh, the query's parameters), so a page read under the version a read finds now is the
 * page that read would fetch; a revalidating client is answered 304 on the same rule. Only pages with a
 * version are kept (a registered view refreshed successfully, a query naming no time relative to now), and
 * the limits are the version's: a {@code CONCURRENTLY} refresh run outside the library is seen only at the
 * next refresh through it.
 *
 * <p>Bounded by an estimate of the memory its pages hold ({@link BoundedCache}). Thread-safe; reads that miss
 * at once each read the rows.
 */
public final class PageCache {
    /** What a kept page's references, list and row objects cost beyond its values, roughly. */
    private static final long PAGE_OVERHEAD = 256;
    private static final long ROW_OVERHEAD = 64;
    private static final long VALUE_OVERHEAD = 24;

    private final BoundedCache<Key, VersionedPage> pages;

    /** @param maxBytes the memory the kept pages may hold, estimated; 0 keeps none */
    public PageCache(long maxBytes) {
        this.pages = new BoundedCache<>(maxBytes, PageCache::estimate);
    }

    /** The page kept for this query of this view, whatever its version; null when there is none. */
    public @Nullable VersionedPage kept(QualifiedName view, String queryKey) {
        return pages.get(new Key(view, queryKey));
    }

    /** Keeps a page under its version, replacing the page of an older one; a page without a version is not kept. */
    public void keep(QualifiedName view, VersionedPage page) {
        DataVersion version = page.version();
        if (version != null) {
            pages.put(new Key(view, version.queryKey()), page);
        }
    }

    private static long estimate(VersionedPage versioned) {
        CollectionPage page = versioned.page();
        long size = PAGE_OVERHEAD + 2L * Objects.requireNonNull(versioned.version()).queryKey().length()
                + (page.nextCursor() == null ? 0 : 2L * page.nextCursor().length());
        for (List<Object> row : page.rows()) {
            size += ROW_OVERHEAD;
            for (Object value : row) {
                size += VALUE_OVERHEAD + valueChars(value) * 2L;
            }
        }
        return size;
    }

    private static long valueChars(@Nullable Object value) {
        if (value instanceof String text) {
            return text.length();
        }
        if (value instanceof RawJson json) {
            return json.text().length();
        }
        // Numbers and booleans: a few words whatever their value (a BigDecimal's digits, roughly).
        return value == null ? 0 : 16;
    }

    private record Key(QualifiedName view, String queryKey) {
    }
}
