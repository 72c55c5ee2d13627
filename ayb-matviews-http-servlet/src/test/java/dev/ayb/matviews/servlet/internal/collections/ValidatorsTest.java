package dev.ayb.matviews.servlet.internal.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.ayb.matviews.collections.DataVersion;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The HTTP side of a read's version; when a read has one is the engine's rule (DataVersionsTest there). */
class ValidatorsTest {
    private static final UUID ID = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    private static final Instant REFRESHED = Instant.parse("2026-02-22T10:00:00.250Z");
    private static final String QUERY = "page=1\nperPage=20\norder=+id\nfields=id,name\nfilter=\nskipTotal=false\nafter=";
    private static final String SHAPE = "1:id:20,2:name:25/16402";
    private static final DataVersion VERSION = new DataVersion(ID, REFRESHED, 16400, 16401, SHAPE, QUERY);

    private static Validators validators() {
        return Validators.of(VERSION, ResponseFormat.JSON);
    }

    @Test
    void theEtagNamesTheRegistrationAndItsLastSuccessfulRefresh() {
        assertThat(validators().etag()).matches("W/\"" + ID + "-" + REFRESHED.toEpochMilli() + "-[0-9a-f]{16}\"");
        assertThat(validators().headers()).containsEntry("Last-Modified", "Sun, 22 Feb 2026 10:00:00 GMT");
    }

    @Test
    void theDataIsAsOfTheRefreshsStartToTheMillisecondAlwaysWithThreeDigits() {
        DataVersion onTheSecond = new DataVersion(ID, Instant.parse("2026-02-22T10:00:00.000999Z"), 16400, 16401, SHAPE, QUERY);

        assertThat(validators().headers()).containsExactly(entry("ETag", validators().etag()),
                entry("Last-Modified", "Sun, 22 Feb 2026 10:00:00 GMT"),
                entry("X-Data-As-Of", "2026-02-22T10:00:00.250Z"));
        assertThat(Validators.of(onTheSecond, ResponseFormat.CSV).headers())
                .containsEntry("X-Data-As-Of", "2026-02-22T10:00:00.000Z");
    }

    @Test
    void theEtagChangesWithTheRequestTheFormatTheShapeAndWithAStandardRefreshOutsideTheLibrary() {
        DataVersion otherPage = new DataVersion(ID, REFRESHED, 16400, 16401, SHAPE, QUERY.replace("page=1", "page=2"));
        DataVersion rewritten = new DataVersion(ID, REFRESHED, 16400, 99999, SHAPE, QUERY);
        DataVersion recreated = new DataVersion(ID, REFRESHED, 99999, 16401, SHAPE, QUERY);
        DataVersion renamed = new DataVersion(ID, REFRESHED, 16400, 16401, "1:name:20,2:id:25/16402", QUERY);

        assertThat(Validators.of(otherPage, ResponseFormat.JSON).etag()).isNotEqualTo(validators().etag());
        assertThat(Validators.of(rewritten, ResponseFormat.JSON).etag()).isNotEqualTo(validators().etag());
        assertThat(Validators.of(recreated, ResponseFormat.JSON).etag()).isNotEqualTo(validators().etag());
        assertThat(Validators.of(renamed, ResponseFormat.JSON).etag()).isNotEqualTo(validators().etag());
        assertThat(Validators.of(VERSION, ResponseFormat.CSV).etag()).isNotEqualTo(validators().etag());
        assertThat(Validators.of(VERSION, ResponseFormat.JSON)).isEqualTo(validators());
    }

    @Test
    void ifNoneMatchComparesWeaklyAndAcceptsListsAndStar() {
        String etag = validators().etag();

        assertThat(validators().notModified(etag, null)).isTrue();
        assertThat(validators().notModified(etag.substring(2), null)).isTrue();
        assertThat(validators().notModified("\"other\", " + etag, null)).isTrue();
        assertThat(validators().notModified("*", null)).isTrue();
        assertThat(validators().notModified("\"other\"", null)).isFalse();
        // If-None-Match decides when present, even if If-Modified-Since would match.
        assertThat(validators().notModified("\"other\"", "Sun, 22 Feb 2026 11:00:00 GMT")).isFalse();
    }

    @Test
    void ifModifiedSinceMatchesFromTheRefreshsSecondOn() {
        assertThat(validators().notModified(null, "Sun, 22 Feb 2026 10:00:00 GMT")).isTrue();
        assertThat(validators().notModified(null, "Mon, 23 Feb 2026 00:00:00 GMT")).isTrue();
        assertThat(validators().notModified(null, "Sun, 22 Feb 2026 09:59:59 GMT")).isFalse();
        assertThat(validators().notModified(null, "yesterday")).isFalse();
        assertThat(validators().notModified(null, null)).isFalse();
    }
}
