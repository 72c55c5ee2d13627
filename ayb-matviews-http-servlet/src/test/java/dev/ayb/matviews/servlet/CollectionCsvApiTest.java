package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CSV by Accept or ?format=csv: same rows, paging, filter and sort as JSON. */
class CollectionCsvApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Map<String, String> ACCEPT_CSV = Map.of("Accept", "text/csv");

    private static CollectionsApi api;

    @BeforeAll
    static void start() {
        CollectionSchema.create(PG);
        PG.execute("CREATE MATERIALIZED VIEW notes AS SELECT * FROM (VALUES"
                        + " (1, '=cmd|'' /C calc''!A0', -5::numeric),"
                        + " (2, 'a,b \"c\"' || chr(10) || 'd', 3.50),"
                        + " (3, NULL, NULL)) AS t(id, note, delta)",
                "CREATE UNIQUE INDEX notes_id ON notes (id)");
        api = CollectionsApi.start(PG);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void acceptTextCsvAnswersCsvWithAHeaderRow() {
        Reply reply = api.get("leaderboard", ACCEPT_CSV);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
        assertThat(reply.body()).isEqualTo("id,name,workout_count,total_minutes\r\n1,ann,2,75\r\n2,bob,1,20\r\n");
        assertThat(reply.header("X-Total-Items")).isEqualTo("2");
        assertThat(reply.header("Vary")).isEqualTo("Accept");
    }

    @Test
    void formatCsvAnswersCsvWhateverTheAcceptHeader() {
        Reply reply = api.get("leaderboard", Map.of("Accept", "application/json"), "format", "csv");

        assertThat(reply.header("Content-Type")).startsWith("text/csv");
        assertThat(reply.body()).startsWith("id,name,workout_count,total_minutes\r\n");
    }

    @Test
    void csvUsesTheSameFieldsFilterSortAndPaging() {
        Reply reply = api.get("scores", ACCEPT_CSV, "fields", "id,points", "filter", "id <= 30", "sort", "-points",
                "perPage", "2", "page", "2");

        assertThat(reply.body()).isEqualTo("id,points\r\n16,92\r\n24,88\r\n");
        assertThat(reply.header("X-Total-Items")).isEqualTo("30");
        assertThat(reply.header("X-Total-Pages")).isEqualTo("15");
        assertThat(reply.header("X-Next-Cursor")).isNotBlank();
    }

    @Test
    void csvQuotesPerRfc4180AndDefusesSpreadsheetFormulas() {
        Reply reply = api.get("notes", ACCEPT_CSV);

        assertThat(reply.body()).isEqualTo("id,note,delta\r\n"
                + "1,'=cmd|' /C calc'!A0,-5\r\n"
                + "2,\"a,b \"\"c\"\"\nd\",3.50\r\n"
                + "3,,\r\n");
    }

    @Test
    void headOfCsvHasItsLengthButNoBody() {
        Reply get = api.get("notes", ACCEPT_CSV);
        Reply head = api.send(api.request(CollectionsApi.path("notes")).header("Accept", "text/csv")
                .method("HEAD", BodyPublishers.noBody()).build());

        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Type")).startsWith("text/csv");
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.body().getBytes(
                StandardCharsets.UTF_8).length));
    }

    @Test
    void errorsStayJsonWhenCsvWasAsked() {
        Reply reply = api.get("scores", ACCEPT_CSV, "sort", "nope");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.message()).isEqualTo("sort: unknown column \"nope\" in public.scores");
    }
}
