package dev.ayb.matviews.servlet.reliability;

import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bodies that are not what a route reads, sent to every route that reads one: random bytes and cut-off JSON
 * (400), fields of the wrong JSON type (400), nesting a hundred thousand levels deep (400, not a stack overflow),
 * bodies over the 1 MiB limit whether declared or chunked (413), and well-formed JSON under a content type that
 * is not JSON (415). Each answer is the API's error shape with a clear message, and afterwards every row of the
 * library, the sentinel table and the set of relations are exactly as before.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class MalformedBodyTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    private static final int ONE_MIB = 1024 * 1024;
    /** Route, and a body it would accept, to cut off and to send under other content types. */
    private static final List<String[]> WRITES = List.of(
            new String[] {"POST", "/api/admin/matviews",
                "{\"viewName\": \"unregistered\", \"refreshMode\": \"standard\"}"},
            new String[] {"PUT", "/api/admin/matviews/public.leaderboard", "{\"refreshMode\": \"concurrent\"}"},
            new String[] {"PATCH", "/api/admin/matviews/public.leaderboard", "{\"lockTimeoutMs\": 5000}"},
            new String[] {"POST", "/api/admin/schedules", "{\"name\": \"other\", \"jobType\":"
                    + " \"materialized_view_refresh\", \"cronExpr\": \"@daily\","
                    + " \"payload\": {\"view_name\": \"leaderboard\"}}"},
            new String[] {"PUT", "/api/admin/schedules/nightly", "{\"cronExpr\": \"@hourly\", \"maxAttempts\": 5}"},
            new String[] {"PATCH", "/api/admin/schedules/nightly", "{\"enabled\": false}"});
    /** Per route, the fields it reads; each gets every wrong JSON type in turn. */
    private static final List<List<String>> FIELDS = List.of(
            List.of("viewName", "schema", "schemaName", "refreshMode", "lockTimeoutMs", "statementTimeoutMs"),
            List.of("refreshMode", "lockTimeoutMs", "statementTimeoutMs"),
            List.of("refreshMode", "lockTimeoutMs", "statementTimeoutMs"),
            List.of("name", "jobType", "cronExpr", "timezone", "payload", "enabled", "maxAttempts"),
            List.of("name", "jobType", "cronExpr", "timezone", "payload", "enabled", "maxAttempts"),
            List.of("name", "jobType", "cronExpr", "timezone", "payload", "enabled", "maxAttempts"));

    private Api api;
    private String before;
    private final List<String> violations = new ArrayList<>();

    @BeforeEach
    void start() {
        SampleSchema.createMinimal(PG);
        PG.execute("CREATE MATERIALIZED VIEW unregistered AS SELECT id FROM users");
        SampleSchema.createSentinel(PG);
        AybJobs jobs = AybJobs.builder(AybMatviews.builder().dataSource(HYGIENE.pool("malformed", 3)).build())
                .jobsEnabled(true).build();
        AybMatviews matviews = jobs.matviews();
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        jobs.schedules().create(ScheduleSpec.of("nightly", "materialized_view_refresh", "0 3 * * *")
                .withPayload(Map.of("view_name", "leaderboard")));
        api = Api.start(jobs);
        before = DatabaseState.fingerprint(PG);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void randomBytesAndCutOffJsonAnswer400() {
        SplittableRandom random = new SplittableRandom(HostileStrings.seed());
        int tries = HostileStrings.tries(60);
        for (String[] write : WRITES) {
            byte[] valid = write[2].getBytes(StandardCharsets.UTF_8);
            for (int cut = 0; cut < valid.length; cut++) {
                expect(400, write, "application/json", BodyPublishers.ofByteArray(valid, 0, cut), "cut at " + cut);
            }
            for (int i = 0; i < tries; i++) {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                if (random.nextBoolean() && bytes.length > 0) {
                    bytes[0] = '{';
                }
                expect(400, write, "application/json", BodyPublishers.ofByteArray(bytes), "random bytes #" + i);
            }
            // Not one JSON object: other JSON values, two objects, duplicate keys, invalid UTF-8 in a string.
            for (String body : List.of("[]", "\"x\"", "1", "null", "true", "{} {}", "{\"a\": 1, \"a\": 2}", "{,}",
                    "{\"a\" 1}", "{'a': 1}", "{\"a\": NaN}", "{\"a\": 01}", "{\"a\": .5}", "/* */ {}",
                    "{\"a\": \"\\x\"}")) {
                expect(400, write, "application/json", BodyPublishers.ofString(body), body);
            }
            expect(400, write, "application/json", BodyPublishers.ofByteArray(new byte[] {'{', '"', 'a', '"', ':', '"',
                (byte) 0xC3, (byte) 0x28, '"', '}'}), "invalid UTF-8");
        }
        assertNothingChanged();
    }

    @Test
    void fieldsOfTheWrongJsonTypeAnswer400() {
        List<String> wrongValues = List.of("123", "-1", "0", "1.5", "true", "false", "[]", "[\"x\"]", "{}",
                "{\"a\": 1}", "\"5000\"", "1e400", "9223372036854775808", "-9223372036854775809",
                "1" + "0".repeat(2000), "[[[[[[[[[[]]]]]]]]]]");
        for (int route = 0; route < WRITES.size(); route++) {
            String[] write = WRITES.get(route);
            for (String field : FIELDS.get(route)) {
                for (String value : wrongValues) {
                    if (acceptsAsRightType(field, value)) {
                        continue;
                    }
                    String body = "{\"" + field + "\": " + value + "}";
                    expect(400, write, "application/json", BodyPublishers.ofString(body), body);
                }
            }
        }
        assertNothingChanged();
    }

    @Test
    void deeplyNestedBodiesAnswer400() {
        int depth = 100_000;
        List<String> bodies = List.of("[".repeat(depth) + "]".repeat(depth),
                "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth),
                "{\"viewName\": " + "[".repeat(depth) + "]".repeat(depth) + "}",
                "{\"payload\": " + "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth + 1),
                "[".repeat(depth));
        for (String[] write : WRITES) {
            for (String body : bodies) {
                expect(400, write, "application/json", BodyPublishers.ofString(body),
                        "nested " + body.substring(0, 12));
            }
        }
        assertNothingChanged();
    }

    @Test
    void bodiesOverOneMebibyteAnswer413DeclaredOrChunked() {
        for (String[] write : WRITES) {
            byte[] big = padded(write[2], ONE_MIB + 1);
            expect(413, write, "application/json", BodyPublishers.ofByteArray(big), "declared");
            expect(413, write, "application/json", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)),
                    "chunked");
        }
        assertNothingChanged();
    }

    @Test
    void wellFormedJsonUnderAnotherContentTypeAnswers415() {
        List<String> types = List.of("text/plain", "text/json", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonp", "application/json-patch+json",
                "application/javascript", "application/octet-stream", "application/jsonx", "json", "*/*",
                "application/json\u00e9");
        for (String[] write : WRITES) {
            for (String type : types) {
                expect(415, write, type, BodyPublishers.ofString(write[2]), type);
            }
        }
        assertNothingChanged();
    }

    /** A value of the right type for the field (so not a case of this test). */
    private static boolean acceptsAsRightType(String field, String value) {
        boolean isInteger = value.matches("-?[0-9]+") && value.length() < 19;
        return switch (field) {
            case "lockTimeoutMs", "statementTimeoutMs" -> isInteger && Long.parseLong(value) > 0;
            case "maxAttempts" -> isInteger;
            case "enabled" -> value.equals("true") || value.equals("false");
            case "payload" -> value.startsWith("{");
            default -> value.startsWith("\"");
        };
    }

    private void expect(int status, String[] write, String contentType, BodyPublisher body, String what) {
        HttpRequest request = api.request(write[1]).header("Content-Type", contentType).method(write[0], body).build();
        Reply reply;
        try {
            reply = api.send(request);
        } catch (RuntimeException e) {
            // A 413 answered without reading the body makes Jetty close that connection; a request the client
            // had just put on it is lost in transit. Sent once more.
            try {
                reply = api.send(request);
            } catch (RuntimeException again) {
                violations.add(write[0] + " " + write[1] + " " + what + ": no answer: " + again + " caused by "
                        + again.getCause());
                return;
            }
        }
        Figures.inputs(1);
        String problem = reply.status() != status ? "expected " + status : reply.refusalProblem();
        if (problem != null) {
            violations.add(write[0] + " " + write[1] + " " + what + ": " + problem + " -- " + reply);
        }
    }

    private void assertNothingChanged() {
        assertThat(violations).as("%d violations", violations.size()).isEmpty();
        assertThat(DatabaseState.fingerprint(PG)).isEqualTo(before);
    }

    /** The body with an ignored field that pads it to {@code size} bytes. */
    private static byte[] padded(String body, int size) {
        String prefix = body.substring(0, body.length() - 1) + ", \"padding\": \"";
        return (prefix + "x".repeat(size - prefix.length() - 2) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }
}
