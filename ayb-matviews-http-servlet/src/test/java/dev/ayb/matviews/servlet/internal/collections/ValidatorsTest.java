package dev.ayb.matviews.servlet.internal.collections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValidatorsTest {
    private static final UUID ID = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    private static final Instant REFRESHED = Instant.parse("2026-02-22T10:00:00.250Z");
    private static final PageRequest REQUEST = PageRequest.parse(name -> Optional.empty(), null, Views.LEADERBOARD);

    private static Registration registration(RefreshStatus status, Instant refreshedAt) {
        return new Registration(ID, "public", "leaderboard", RefreshMode.STANDARD, RefreshTimeouts.NONE, refreshedAt,
                status == null ? null : 12L, status, null, REFRESHED.minusSeconds(60), REFRESHED);
    }

    private static Validators validators() {
        return Validators.of(registration(RefreshStatus.SUCCESS, REFRESHED), Views.LEADERBOARD, REQUEST)
                .orElseThrow();
    }

    @Test
    void theEtagNamesTheRegistrationAndItsLastSuccessfulRefresh() {
        assertThat(validators().etag()).matches("W/\"" + ID + "-" + REFRESHED.toEpochMilli() + "-[0-9a-f]{16}\"");
        assertThat(validators().headers()).containsEntry("Last-Modified", "Sun, 22 Feb 2026 10:00:00 GMT");
    }

    @Test
    void withoutASuccessfulRefreshThereAreNoValidators() {
        assertThat(Validators.of(null, Views.LEADERBOARD, REQUEST)).isEmpty();
        assertThat(Validators.of(registration(null, null), Views.LEADERBOARD, REQUEST)).isEmpty();
        assertThat(Validators.of(registration(RefreshStatus.ERROR, REFRESHED), Views.LEADERBOARD, REQUEST)).isEmpty();
    }

    @Test
    void theEtagChangesWithTheRequestAndWithAStandardRefreshOutsideTheLibrary() {
        PageRequest other = PageRequest.parse(name -> Optional.ofNullable(Map.of("page", "2").get(name)), null,
                Views.LEADERBOARD);
        ViewShape rewritten = new ViewShape(Views.LEADERBOARD.name(), Views.LEADERBOARD.oid(), 99999, true,
                Views.LEADERBOARD.columns(), Views.LEADERBOARD.uniqueKey());
        Registration registration = registration(RefreshStatus.SUCCESS, REFRESHED);

        assertThat(Validators.of(registration, Views.LEADERBOARD, other).orElseThrow().etag())
                .isNotEqualTo(validators().etag());
        assertThat(Validators.of(registration, rewritten, REQUEST).orElseThrow().etag())
                .isNotEqualTo(validators().etag());
    }

    private static PageRequest filtered(String filter) {
        return PageRequest.parse(name -> Optional.ofNullable(Map.of("filter", filter).get(name)), null,
                Views.LEADERBOARD);
    }

    @Test
    void aFilterNamingATimeRelativeToNowHasNoValidatorsWhileTextMerelyContainingTheWordsKeepsThem() {
        Registration registration = registration(RefreshStatus.SUCCESS, REFRESHED);

        for (String filter : List.of("seen < 'now'", "seen >= ' ToDay '", "seen < 'tomorrow 10:00'",
                "seen IN ('2026-01-01', 'YESTERDAY')", "id > 0 && (seen = '2026-01-01' || seen > 'nOw')")) {
            assertThat(Validators.of(registration, Views.LEADERBOARD, filtered(filter))).as(filter).isEmpty();
        }
        for (String filter : List.of("seen < '2026-01-01 10:00'", "seen > 'epoch'", "name = 'snow'",
                "name ~ 'today'")) {
            assertThat(Validators.of(registration, Views.LEADERBOARD, filtered(filter))).as(filter).isPresent();
        }
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
