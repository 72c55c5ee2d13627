package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile text in every parameter: each is a 400 (or a 404 for a name that is not a materialized view), and
 * afterwards every table is as it was.
 */
class CollectionInjectionApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String LONG = "x".repeat(3000);

    private static final String RELATIONS = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";

    private static CollectionsApi api;
    private static long relations;

    @BeforeAll
    static void start() {
        CollectionSchema.create(PG);
        api = CollectionsApi.start(PG);
        relations = PG.queryLong(RELATIONS);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(PG.queryLong("SELECT count(*) FROM sentinel")).isEqualTo(CollectionSchema.SENTINEL_ROWS);
        assertThat(PG.queryLong("SELECT count(*) FROM users")).isEqualTo(2);
        assertThat(PG.queryLong(RELATIONS)).isEqualTo(relations);
        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard")).isEqualTo(2);
    }

    private static void assertRefused(String parameter, List<String> values, String errorName) {
        for (String value : values) {
            Reply reply = api.get("leaderboard", parameter, value);

            assertThat(reply.status()).as(parameter + "=" + value + " → " + reply.body()).isEqualTo(400);
            assertThat(reply.error()).as(parameter + "=" + value).isEqualTo(errorName);
            assertThat(reply.message()).as(parameter + "=" + value).isNotBlank().doesNotContain("Exception");
        }
    }

    private static String cursor(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hostileSortsAre400s() {
        assertRefused("sort", List.of("name;DROP TABLE users", "name desc", "(SELECT 1)", "id--", "\"id\"", "id/*",
                "ｉd", "id\u0000", "1", "-", ",", "name,", "id COLLATE \"C\"", "random()", "users.id", LONG,
                "name' OR '1'='1", "id;", "-id,-id"), "invalid_sort");
    }

    @Test
    void hostileFieldsAre400s() {
        assertRefused("fields", List.of("*", "id,*", "count(*)", "id as x", "\"id\"", "id;SELECT 1", "id\u0000",
                "pg_sleep(1)", "users.name", "id,,name", "ｎame", LONG, "name FROM users--"), "invalid_fields");
    }

    @Test
    void hostileFiltersAre400s() {
        assertRefused("filter", List.of("id=1 OR 1=1--", "id=1; DROP TABLE users", "id = 1)", "(id = 1",
                "name = 'a'' OR ''1''=''1'", "id = 1 UNION SELECT 1", "pg_sleep(10) = 1", "id = 1 /* */",
                "id = $1", "ｉd = 1", "id = 1\u0000", "name = 'a\u0000'", "id = (SELECT max(id) FROM users)",
                "name = E'\\x41'", "id::text = '1'", "users.id = 1", "id = 1 -- comment", "x".repeat(2049),
                "(".repeat(40) + "id = 1" + ")".repeat(40), "nope = 1", "id = 'abc'",
                "name ~ 'a' ESCAPE '!'", "id IN (SELECT id FROM users)", "id = \"1\" OR \"1\" = \"1\"",
                "id > null"), "invalid_filter");
    }

    @Test
    void valuesThatPostgresqlRejectsAre400sToo() {
        assertRefused("filter", List.of("id = 99999999999999999999", "id = -9223372036854775809"), "invalid_value");
    }

    @Test
    void hostileNumbersAre400s() {
        assertRefused("page", List.of("-1", "0", "abc", "1.5", "1e3", "99999999999", "1;", "", "1 OR 1=1", "０"),
                "invalid_parameter");
        assertRefused("perPage", List.of("0", "501", "-5", "abc", "\u0000", "20;DROP TABLE users", LONG),
                "invalid_parameter");
        assertRefused("skipTotal", List.of("yes", "1;drop", "true'"), "invalid_parameter");
        assertRefused("format", List.of("xml", "csv;", "../../etc/passwd"), "invalid_parameter");
    }

    @Test
    void hostileCursorsAre400s() {
        assertRefused("after", List.of("garbage", "' OR 1=1--", LONG, cursor("{\"o\":\"+id; DROP TABLE users\","
                + "\"k\":[\"1\"],\"p\":2}"), cursor("{\"o\":\"+id\",\"k\":[\"1\", \"2\"],\"p\":2}")),
                "invalid_cursor");
    }

    @Test
    void aCursorKeyThatIsNotTheColumnsTypeIsA400FromPostgresqlsInputRules() {
        // Well-formed cursors whose key is not a bigint: the key is a bind value, so PostgreSQL refuses its text.
        assertRefused("after", List.of(cursor("{\"o\":\"+id\",\"k\":[\"1) OR (1=1\"],\"p\":2}"),
                cursor("{\"o\":\"+id\",\"k\":[\"1'; DROP TABLE users;--\"],\"p\":2}"),
                cursor("{\"o\":\"+id\",\"k\":[\"1\\u0000\"],\"p\":2}")), "invalid_value");
    }

    @Test
    void namesThatAreNotMaterializedViewsAre404sAndNamesThatAreNotIdentifiersAre400s() {
        for (String name : List.of("pg_catalog.pg_authid", "pg_catalog.pg_shadow", "public.users", "users",
                "sentinel", "plain_view", "information_schema.tables", "pg_toast.pg_toast_1255", "ayb.matview_registrations")) {
            assertThat(api.get(name).status()).as(name).isEqualTo(404);
        }
        for (String name : List.of("leaderboard%3BDROP%20TABLE%20users", "public.leaderboard.x", "public.%22users%22",
                "%E2%80%AEleaderboard", "l%C3%A9aderboard", "public.", ".leaderboard", LONG)) {
            Reply reply = api.getRaw(CollectionsApi.BASE + name);

            assertThat(reply.status()).as(name).isEqualTo(400);
            assertThat(reply.message()).as(name).startsWith("invalid identifier: ");
        }
        // Jetty itself refuses a NUL in the path, before any servlet sees it.
        assertThat(api.getRaw(CollectionsApi.BASE + "leaderboard%00").status()).isEqualTo(400);
    }

    @Test
    void aHostileParameterIsRefusedEvenWhenTheOthersAreValid() {
        Reply reply = api.get("leaderboard", "perPage", "5", "sort", "-total_minutes", "fields", "id,name",
                "filter", "id = 1 OR 1=1; DELETE FROM sentinel");

        assertThat(reply.status()).isEqualTo(400);
    }
}
