package dev.ayb.matviews.servlet.reliability;

import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.RawHttp;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.CapturedOutput;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
 * Every admin route, and the collections route, without the admin token or with a wrong one: 401
 * {@code admin authentication required} with a Bearer challenge, before anything is looked up, and nothing
 * changed. The token is compared as a fixed-length digest, and it is never printed: not in a log line (all of
 * the test's output is captured, through a 500 that logs a stack trace), not in an answer.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class AuthTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);
    @RegisterExtension
    @Order(3)
    final CapturedOutput output = new CapturedOutput();

    private Api api;
    private Job job;
    private final List<String> answers = new ArrayList<>();

    @BeforeEach
    void start() {
        SampleSchema.createMinimal(PG);
        SampleSchema.createSentinel(PG);
        AybJobs jobs = AybJobs.builder(AybMatviews.builder().dataSource(HYGIENE.pool("auth", 3)).build())
                .jobsEnabled(true).build();
        AybMatviews matviews = jobs.matviews();
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        matviews.refreshes().refresh("public.leaderboard");
        jobs.schedules().create(ScheduleSpec.of("nightly", "materialized_view_refresh", "0 3 * * *")
                .withPayload(Map.of("view_name", "leaderboard")));
        job = jobs.schedules().runNow("nightly");
        api = Api.start(jobs);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Every route the servlet serves, with a body where it reads one. */
    private List<String[]> routes() {
        String schedule = "{\"name\": \"x\", \"jobType\": \"materialized_view_refresh\", \"cronExpr\": \"@daily\","
                + " \"payload\": {\"view_name\": \"leaderboard\"}}";
        String jobPath = "/api/admin/jobs/" + job.id();
        return List.of(
                new String[] {"GET", "/api/admin/matviews", null},
                new String[] {"POST", "/api/admin/matviews", "{\"viewName\": \"leaderboard\"}"},
                new String[] {"GET", "/api/admin/matviews/discovered", null},
                new String[] {"GET", "/api/admin/matviews/public.leaderboard", null},
                new String[] {"PUT", "/api/admin/matviews/public.leaderboard", "{\"refreshMode\": \"concurrent\"}"},
                new String[] {"PATCH", "/api/admin/matviews/public.leaderboard", "{\"refreshMode\": \"concurrent\"}"},
                new String[] {"DELETE", "/api/admin/matviews/public.leaderboard", null},
                new String[] {"POST", "/api/admin/matviews/public.leaderboard/refresh", null},
                new String[] {"POST", "/api/admin/matviews/public.leaderboard/refresh?cascade=both", null},
                new String[] {"GET", "/api/admin/matviews/public.leaderboard/history", null},
                new String[] {"GET", "/api/admin/matviews/public.leaderboard/dependencies", null},
                new String[] {"GET", "/api/admin/schedules", null},
                new String[] {"POST", "/api/admin/schedules", schedule},
                new String[] {"GET", "/api/admin/schedules/preview?cronExpr=%40daily", null},
                new String[] {"GET", "/api/admin/schedules/nightly", null},
                new String[] {"PUT", "/api/admin/schedules/nightly", "{\"enabled\": false}"},
                new String[] {"PATCH", "/api/admin/schedules/nightly", "{\"enabled\": false}"},
                new String[] {"DELETE", "/api/admin/schedules/nightly", null},
                new String[] {"POST", "/api/admin/schedules/nightly/enable", null},
                new String[] {"POST", "/api/admin/schedules/nightly/disable", null},
                new String[] {"POST", "/api/admin/schedules/nightly/run", null},
                new String[] {"GET", "/api/admin/jobs", null},
                new String[] {"GET", "/api/admin/jobs?state=queued", null},
                new String[] {"GET", jobPath, null},
                new String[] {"POST", jobPath + "/retry", null},
                new String[] {"POST", jobPath + "/cancel", null},
                new String[] {"GET", "/api/admin/no-such-route", null},
                new String[] {"DELETE", "/api/admin/matviews", null},
                new String[] {"GET", "/api/collections/leaderboard", null},
                new String[] {"HEAD", "/api/collections/leaderboard", null},
                new String[] {"GET", "/api/collections/public.leaderboard?sort=-id&perPage=1", null},
                new String[] {"GET", "/api/collections/no_such_view", null});
    }

    @Test
    void everyRouteWithoutTheTokenOrWithAWrongOneAnswers401AndChangesNothing() {
        String token = api.token();
        List<List<String>> credentials = List.of(
                List.of(),
                List.of("Authorization: Bearer wrong"),
                List.of("Authorization: Bearer " + token.substring(0, token.length() - 1)),
                List.of("Authorization: Bearer " + token + "x"),
                List.of("Authorization: Bearer " + token.toUpperCase(Locale.ROOT)),
                List.of("Authorization: Basic " + Base64.getEncoder().encodeToString(("admin:" + token)
                        .getBytes(StandardCharsets.UTF_8))),
                List.of("Authorization: " + token),
                List.of("Authorization: Bearer"),
                List.of("Authorization: Bearer "),
                List.of("Authorization: Token " + token),
                List.of("Authorization: Bearer " + token.substring(1) + token.charAt(0)),
                List.of("Authorization: Bearer\t" + token),
                List.of("Authorization: Bearer wrong", "Authorization: Bearer " + token),
                List.of("X-Authorization: Bearer " + token),
                List.of("Proxy-Authorization: Bearer " + token),
                List.of("Cookie: Authorization=Bearer%20" + token));
        String before = DatabaseState.fingerprint(PG);
        List<String> violations = new ArrayList<>();
        for (String[] route : routes()) {
            for (int i = 0; i < credentials.size(); i++) {
                Reply reply = raw(route, route[1], credentials.get(i));
                Figures.inputs(1);
                if (!isUnauthorized(reply, route[0])) {
                    violations.add(route[0] + " " + route[1] + " with " + credentials.get(i) + ": " + reply);
                }
            }
            // The token in the query string is not a credential either.
            Reply inQuery = raw(route, route[1] + (route[1].contains("?") ? "&" : "?") + "access_token=" + token,
                    List.of());
            if (!isUnauthorized(inQuery, route[0])) {
                violations.add(route[0] + " " + route[1] + " with the token in the query: " + inQuery);
            }
        }

        assertThat(violations).isEmpty();
        assertThat(DatabaseState.fingerprint(PG)).isEqualTo(before);
        assertTokenNeverPrinted(token);
    }

    /**
     * Writes to a collection are refused for everyone, without looking anything up (so they cannot probe which
     * views exist): 405 with the methods that exist, token or not, and nothing written.
     */
    @Test
    void writesToACollectionAreRefusedWithoutTheTokenAsWithItAndChangeNothing() {
        String before = DatabaseState.fingerprint(PG);
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            for (String path : List.of("/api/collections/leaderboard", "/api/collections/no_such_view")) {
                for (List<String> headers : List.of(List.<String>of(), List.of("Authorization: Bearer wrong"))) {
                    Reply reply = raw(new String[] {method, path, "{\"name\": \"mallory\"}"}, path, headers);
                    Figures.inputs(1);
                    assertThat(reply.status()).as(method + " " + path).isEqualTo(405);
                    assertThat(reply.header("Allow")).isEqualTo("GET, HEAD");
                }
            }
        }
        assertThat(DatabaseState.fingerprint(PG)).isEqualTo(before);
    }

    @Test
    void randomAndNearMissTokensAreRefusedAndTheRightOneIsAccepted() {
        String token = api.token();
        SplittableRandom random = new SplittableRandom(HostileStrings.seed());
        List<String> violations = new ArrayList<>();
        int tries = HostileStrings.tries(300);
        String[] list = {"GET", "/api/admin/matviews", null};
        for (int i = 0; i < tries; i++) {
            String wrong = i % 2 == 0 ? randomToken(random) : mutated(token, random);
            if (wrong.equals(token)) {
                continue;
            }
            Reply reply = raw(list, list[1], List.of("Authorization: Bearer " + wrong));
            Figures.inputs(1);
            if (!isUnauthorized(reply, "GET")) {
                violations.add(HostileStrings.show(wrong) + ": " + reply);
            }
        }
        assertThat(violations).isEmpty();
        for (String[] route : routes()) {
            if (route[0].equals("GET") && !route[1].contains("no-such") && !route[1].contains("no_such")) {
                assertThat(raw(route, route[1], List.of("Authorization: Bearer " + token)).status()).as(route[1])
                        .isEqualTo(200);
            }
        }
        assertThat(raw(list, list[1], List.of("Authorization: bearer " + token)).status())
                .as("the scheme is case-insensitive").isEqualTo(200);
        assertTokenNeverPrinted(token);
    }

    /**
     * The comparison cannot be timed reliably on a shared machine, so its shape is checked: the authenticator keeps
     * only the token's SHA-256 digest (no String, nothing of the token's length), which it compares with the
     * presented token's digest, a fixed-length comparison whatever the presented token.
     */
    @Test
    void theAuthenticatorKeepsOnlyAFixedLengthDigestOfTheToken() throws Exception {
        String token = Api.randomToken();
        AdminAuthenticator authenticator = AdminAuthenticator.bearerToken(token);
        List<Field> state = new ArrayList<>();
        for (Field field : authenticator.getClass().getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                state.add(field);
            }
        }

        assertThat(state).singleElement().satisfies(field -> assertThat(field.getType()).isEqualTo(byte[].class));
        state.get(0).setAccessible(true);
        byte[] kept = (byte[]) state.get(0).get(authenticator);
        assertThat(kept).hasSize(32)
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        assertThat(authenticator.toString()).doesNotContain(token);
    }

    @Test
    void theTokenIsNeverPrintedEvenWhenARequestFailsWithALoggedStackTrace() {
        String token = api.token();
        assertThat(api.get("/api/admin/matviews").status()).isEqualTo(200);
        assertThat(api.get("/api/admin/matviews/" + token).status()).isBetween(400, 499);
        // A failure the servlet logs with its stack trace: the library's tables are gone.
        PG.execute("DROP SCHEMA ayb CASCADE");
        Reply failed = api.get("/api/admin/matviews");
        answers.add(failed.toString() + failed.headers().map());

        assertThat(failed.status()).isEqualTo(500);
        assertThat(output.text()).contains("database error");
        assertTokenNeverPrinted(token);
    }

    /** One request on its own connection (see {@link RawHttp} for why). */
    private Reply raw(String[] route, String pathAndQuery, List<String> headers) {
        Reply reply = RawHttp.send(api.port(), route[0], pathAndQuery, headers, route[2]);
        answers.add(reply.toString() + reply.headers().map());
        return reply;
    }

    private static boolean isUnauthorized(Reply reply, String method) {
        boolean challenged = "Bearer realm=\"ayb-matviews\"".equals(reply.header("WWW-Authenticate"));
        if (method.equals("HEAD")) {
            return reply.status() == 401 && challenged;
        }
        return reply.status() == 401 && challenged && reply.message().equals("admin authentication required")
                && reply.error().equals("unauthorized");
    }

    private void assertTokenNeverPrinted(String token) {
        String digest = HexFormat.of().formatHex(sha256(token));
        assertThat(output.text()).doesNotContain(token).doesNotContain(digest);
        assertThat(answers).noneMatch(answer -> answer.contains(token) || answer.contains(digest));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomToken(SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        int length = 1 + random.nextInt(80);
        for (int i = 0; i < length; i++) {
            out.append((char) ('!' + random.nextInt('~' - '!' + 1)));
        }
        return out.toString();
    }

    /** The token with one character changed, dropped or added: the near misses a timing attack walks through. */
    private static String mutated(String token, SplittableRandom random) {
        int at = random.nextInt(token.length());
        char other = (char) ('!' + random.nextInt('~' - '!' + 1));
        return switch (random.nextInt(3)) {
            case 0 -> token.substring(0, at) + other + token.substring(at + 1);
            case 1 -> token.substring(0, at) + token.substring(at + 1);
            default -> token.substring(0, at) + other + token.substring(at);
        };
    }
}
