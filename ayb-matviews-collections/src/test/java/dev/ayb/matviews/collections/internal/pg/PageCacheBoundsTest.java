package dev.ayb.matviews.collections.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionPage;
import dev.ayb.matviews.collections.DataVersion;
import dev.ayb.matviews.collections.ValueKind;
import dev.ayb.matviews.collections.VersionedPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The page cache's memory bound: least recently used pages go first, and no page takes much of it. */
class PageCacheBoundsTest {
    private static final QualifiedName VIEW = QualifiedName.parse("public.cached");
    private static final Instant REFRESHED = Instant.parse("2026-02-22T10:00:00Z");

    private static VersionedPage page(String queryKey, int rows, Instant lastSuccessAt) {
        List<List<Object>> values = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            values.add(List.of("a value of some length " + i));
        }
        CollectionPage page = new CollectionPage(1, rows, rows, 1,
                List.of(new CollectionColumn("name", "text", ValueKind.TEXT)), values, null, true);
        DataVersion version = new DataVersion(UUID.randomUUID(), lastSuccessAt, 1, 2, "1:name:25/", queryKey);
        return new VersionedPage(page, version, lastSuccessAt, false);
    }

    @Test
    void theLeastRecentlyUsedPagesAreDroppedFirstToStayWithinTheBound() {
        PageCache cache = new PageCache(64 * 1024);
        for (int i = 0; i < 200; i++) {
            cache.keep(VIEW, page("page=" + i, 10, REFRESHED));
            // Page 0 is read between every two keeps, so it stays.
            assertThat(cache.kept(VIEW, "page=0")).isNotNull();
        }

        assertThat(cache.kept(VIEW, "page=0")).isNotNull();
        assertThat(cache.kept(VIEW, "page=199")).isNotNull();
        assertThat(cache.kept(VIEW, "page=1")).isNull();
    }

    @Test
    void aPageLargerThanAnEighthOfTheBoundIsNotKept() {
        PageCache cache = new PageCache(16 * 1024);

        cache.keep(VIEW, page("page=1", 100, REFRESHED));

        assertThat(cache.kept(VIEW, "page=1")).isNull();
    }

    @Test
    void aNewerVersionReplacesTheOlderAndAPageWithoutOneIsNotKept() {
        PageCache cache = new PageCache(64 * 1024);
        cache.keep(VIEW, page("page=1", 2, REFRESHED));
        VersionedPage newer = page("page=1", 2, REFRESHED.plusSeconds(60));

        cache.keep(VIEW, newer);
        VersionedPage unversioned = page("page=2", 2, REFRESHED);
        cache.keep(VIEW, new VersionedPage(unversioned.page(), null, REFRESHED, false));

        assertThat(cache.kept(VIEW, "page=1")).isSameAs(newer);
        assertThat(cache.kept(VIEW, "page=2")).isNull();
    }

    @Test
    void noBytesKeepsNothingAndLessIsRefused() {
        PageCache none = new PageCache(0);
        none.keep(VIEW, page("page=1", 1, REFRESHED));

        assertThat(none.kept(VIEW, "page=1")).isNull();
        assertThatThrownBy(() -> new PageCache(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
