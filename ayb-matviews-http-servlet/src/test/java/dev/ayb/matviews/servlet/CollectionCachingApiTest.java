package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.FailedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ETag, Last-Modified and X-Data-As-Of from the last successful refresh, and the 304s they allow between
 * refreshes, failed ones included.
 */
class CollectionCachingApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private CollectionsApi api;

    @BeforeEach
    void start() {
        CollectionSchema.create(PG);
        api = CollectionsApi.start(PG);
        api.registerAndRefresh("public.leaderboard", RefreshMode.STANDARD);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aFilterOnTheCurrentTimeIsAnsweredAfreshAndCountedAgainOnceTheClockHasMovedPastRows() {
        // Three rows an hour old, three a second after the refresh: 'now' selects three, then all six.
        PG.execute("CREATE MATERIALIZED VIEW moments AS SELECT g AS id, statement_timestamp()"
                        + " + CASE WHEN g <= 3 THEN interval '-1 hour' ELSE interval '1 second' END AS at"
                        + " FROM generate_series(1, 6) g",
                "CREATE UNIQUE INDEX moments_id ON moments (id)");
        api.registerAndRefresh("public.moments", RefreshMode.STANDARD);
        String[] params = {"filter", "at < ' Now '", "perPage", "2"};
        Reply before = api.get("moments", params);
        Await.until("the database's clock to pass every row of moments",
                () -> PG.queryLong("SELECT count(*) FROM moments WHERE at >= now()") == 0);

        Reply after = api.get("moments", Map.of("If-None-Match", String.valueOf(before.header("ETag")),
                "If-Modified-Since", "Fri, 31 Dec 9999 23:59:59 GMT"), params);

        assertThat(before.json().get("totalItems").asInt()).isEqualTo(3);
        assertThat(before.header("ETag")).isNull();
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("totalItems").asInt()).isEqualTo(6);
    }

    @Test
    void aRefreshedRegisteredViewAnswersWithAnEtagAndLastModified() {
        Reply reply = api.get("leaderboard");

        Registration registration = api.matviews().registry().get("public.leaderboard");
        long asOf = registration.lastSuccessAt().toEpochMilli();
        assertThat(reply.header("ETag")).matches("W/\"" + registration.id() + "-" + asOf + "-[0-9a-f]{16}\"");
        assertThat(reply.header("Last-Modified")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(reply.header("Cache-Control")).isEqualTo("private, no-cache");
    }

    /** The start of the last successful refresh, not its end: rows committed by it are at least that new. */
    @Test
    void theDataIsAsOfTheStartOfTheLastSuccessfulRefresh() {
        Reply reply = api.get("leaderboard");

        Registration registration = api.matviews().registry().get("public.leaderboard");
        Instant asOf = registration.lastSuccessAt();
        assertThat(asOf).isEqualTo(api.matviews().registry().history("public.leaderboard", 1).get(0).startedAt());
        assertThat(reply.header("X-Data-As-Of")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(Instant.parse(reply.header("X-Data-As-Of"))).isEqualTo(asOf.truncatedTo(ChronoUnit.MILLIS));
        assertThat(DateTimeFormatter.RFC_1123_DATE_TIME.parse(reply.header("Last-Modified"), Instant::from))
                .isEqualTo(asOf.truncatedTo(ChronoUnit.SECONDS));
        assertThat(api.get("leaderboard", "format", "csv").header("X-Data-As-Of"))
                .isEqualTo(reply.header("X-Data-As-Of"));
    }

    /** PostgreSQL rolls a failed refresh back: the rows are the last success's, so they are still not modified. */
    @Test
    void aFailedRefreshKeepsTheValidatorsSoTheClientsCopyIsStillCurrent() {
        Reply before = api.get("leaderboard");
        Reply csvBefore = api.get("leaderboard", "format", "csv");
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

        FailedRefresh.run(PG, api.matviews().registry(), api.matviews().refreshes(), "public.leaderboard",
                "public.workouts");

        Reply again = api.get("leaderboard", Map.of("If-None-Match", before.header("ETag")));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.header("ETag")).isEqualTo(before.header("ETag"));
        assertThat(again.header("Last-Modified")).isEqualTo(before.header("Last-Modified"));
        assertThat(again.header("X-Data-As-Of")).isEqualTo(before.header("X-Data-As-Of"));
        assertThat(api.get("leaderboard", Map.of("If-Modified-Since", before.header("Last-Modified"))).status())
                .isEqualTo(304);
        Reply csv = api.get("leaderboard", Map.of("If-None-Match", csvBefore.header("ETag")), "format", "csv");
        assertThat(csv.status()).isEqualTo(304);
        assertThat(csv.header("X-Data-As-Of")).isEqualTo(before.header("X-Data-As-Of"));
        Reply rows = api.get("leaderboard");
        assertThat(rows.status()).isEqualTo(200);
        assertThat(rows.header("ETag")).isEqualTo(before.header("ETag"));
        assertThat(rows.body()).doesNotContain("\"total_minutes\":120");
    }

    @Test
    void ifNoneMatchWithTheCurrentEtagAnswers304WithoutABody() {
        Reply first = api.get("leaderboard");

        Reply again = api.get("leaderboard", Map.of("If-None-Match", first.header("ETag")));

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(again.header("Last-Modified")).isEqualTo(first.header("Last-Modified"));
        assertThat(again.header("X-Data-As-Of")).isNotNull().isEqualTo(first.header("X-Data-As-Of"));
        assertThat(again.header("Cache-Control")).isEqualTo("private, no-cache");
    }

    @Test
    void ifModifiedSinceTheLastRefreshAnswers304AndBeforeItTheRows() {
        String lastModified = api.get("leaderboard").header("Last-Modified");

        assertThat(api.get("leaderboard", Map.of("If-Modified-Since", lastModified)).status()).isEqualTo(304);
        assertThat(api.get("leaderboard", Map.of("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")).status())
                .isEqualTo(200);
    }

    @Test
    void aRefreshThroughTheLibraryChangesTheEtagSoTheNewRowsAreServed() {
        Reply before = api.get("leaderboard");
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        api.matviews().refreshes().refresh("public.leaderboard");

        Reply after = api.get("leaderboard", Map.of("If-None-Match", before.header("ETag")));

        assertThat(after.status()).isEqualTo(200);
        assertThat(after.header("ETag")).isNotEqualTo(before.header("ETag"));
        assertThat(after.body()).contains("\"total_minutes\":120");
    }

    @Test
    void aStandardRefreshOutsideTheLibraryAlsoChangesTheEtag() {
        Reply before = api.get("leaderboard");
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)", "REFRESH MATERIALIZED VIEW leaderboard");

        Reply after = api.get("leaderboard", Map.of("If-None-Match", before.header("ETag")));

        assertThat(after.status()).isEqualTo(200);
        assertThat(after.body()).contains("\"total_minutes\":120");
    }

    @Test
    void eachQueryHasItsOwnEtag() {
        String all = api.get("leaderboard").header("ETag");
        String filtered = api.get("leaderboard", "filter", "id = 1").header("ETag");
        String csv = api.get("leaderboard", "format", "csv").header("ETag");

        assertThat(filtered).isNotEqualTo(all);
        assertThat(csv).isNotEqualTo(all);
        assertThat(api.get("leaderboard", "filter", "id = 1").header("ETag")).isEqualTo(filtered);
        assertThat(api.get("leaderboard", Map.of("If-None-Match", all), "filter", "id = 1").status()).isEqualTo(200);
    }

    @Test
    void headAnswers304Too() {
        String etag = api.get("leaderboard").header("ETag");

        Reply head = api.send(api.request(CollectionsApi.path("leaderboard")).header("If-None-Match", etag)
                .method("HEAD", BodyPublishers.noBody()).build());

        assertThat(head.status()).isEqualTo(304);
    }

    @Test
    void aViewThatIsNotRegisteredHasNoValidatorsAndIsAlwaysServed() {
        Reply reply = api.get("scores");

        assertThat(reply.header("ETag")).isNull();
        assertThat(reply.header("Last-Modified")).isNull();
        assertThat(reply.header("X-Data-As-Of")).isNull();
        assertThat(api.get("scores", Map.of("If-None-Match", "*")).status()).isEqualTo(200);
        assertThat(reply.header("Cache-Control")).isEqualTo("private, no-cache");
    }

    @Test
    void aViewNeverRefreshedSuccessfullyHasNoValidators() {
        api.matviews().registry().register(QualifiedName.parse("public.unindexed"),
                RefreshMode.CONCURRENT);
        // Concurrent refresh without a unique index fails and is recorded as an error.
        assertThatThrownBy(() -> api.matviews().refreshes().refresh("public.unindexed"))
                .isInstanceOf(MatviewException.class);
        assertThat(api.matviews().registry().get("public.unindexed").lastRefreshStatus())
                .isEqualTo(RefreshStatus.ERROR);

        Reply reply = api.get("unindexed");
        assertThat(reply.header("ETag")).isNull();
        assertThat(reply.header("Last-Modified")).isNull();
        assertThat(reply.header("X-Data-As-Of")).isNull();
    }
}
