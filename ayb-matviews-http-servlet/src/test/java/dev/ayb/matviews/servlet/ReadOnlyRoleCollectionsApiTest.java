package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Pools;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The collections API served by an instance whose pool runs as a read-only role, with the privileges the
 * README's deployment notes list for reading: it starts (nothing to migrate) and reads what it may read.
 */
class ReadOnlyRoleCollectionsApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String READER = "ayb_reader_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

    private static HikariDataSource asReader;
    private static CollectionsApi api;

    @BeforeAll
    static void start() {
        CollectionSchema.create(PG);
        AybMatviews admin = AybMatviews.builder().dataSource(PG.dataSource()).build();
        admin.registry().register(QualifiedName.parse("public.scores"));
        admin.refreshes().refresh("public.scores");
        PG.execute("CREATE ROLE " + READER + " NOLOGIN",
                "GRANT USAGE ON SCHEMA ayb, public TO " + READER,
                "GRANT SELECT ON ALL TABLES IN SCHEMA ayb TO " + READER,
                "GRANT SELECT ON scores TO " + READER);
        asReader = Pools.pool(PG, 2, "SET ROLE " + READER);
        api = CollectionsApi.start(AybMatviews.builder().dataSource(asReader).build());
    }

    @AfterAll
    static void stop() {
        api.close();
        asReader.close();
        PG.execute("DROP OWNED BY " + READER, "DROP ROLE " + READER);
    }

    @Test
    void aReadOnlyRoleReadsARegisteredViewPageByPageAsPostgresOrdersIt() {
        Reply first = api.get("scores", "sort", "-points,id", "perPage", "7");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("totalItems").asLong()).isEqualTo(PG.queryLong("SELECT count(*) FROM scores"));
        assertThat(ids(first)).isEqualTo(PG.queryString(
                "SELECT string_agg(id::text, ',' ORDER BY points DESC, id) FROM"
                        + " (SELECT id, points FROM scores ORDER BY points DESC, id LIMIT 7) firsts"));
        assertThat(first.header("ETag")).as("a registered, refreshed view is validated").isNotBlank();
    }

    @Test
    void aViewTheRoleMayNotReadAnswers403NamingIt() {
        Reply reply = api.get("typed");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("permission_denied");
        assertThat(reply.message()).contains("public.typed");
    }

    private static String ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return String.join(",", ids);
    }
}
