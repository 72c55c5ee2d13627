package dev.ayb.matviews.jobs.reliability;

import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.testkit.reliability.HostileStrings.Hostile;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of adversarial strings through every door of the Java API that takes text — names, references,
 * modes, schedule fields, payloads, job filters, the library's schema — on a data source that records the text
 * of every statement. Properties, for every input and every door:
 * <ul>
 *   <li>the call succeeds (the text was a legitimate value, stored as data) or throws a {@link MatviewException}
 *       whose status is 4xx, with a clear one-line message: never a 5xx, never another exception;</li>
 *   <li>no executed statement's text contains the input's marker (or a distinctive corpus value): caller text
 *       reaches PostgreSQL only as a bound parameter;</li>
 *   <li>a sentinel table and the set of relations are untouched.</li>
 * </ul>
 * The HTTP API and the CLI are thin layers over these calls; their own suites feed the same kind of input. It lives
 * with the scheduler because it covers both entry points, {@code AybMatviews} and {@code AybJobs}.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
// One call per hostile value and field: about 25 s on 2 busy cores, too close to the suite default.
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HostileJavaApiTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    private static final String SENTINEL = "SELECT count(*) || ':' || md5(string_agg(id || '=' || note, ','"
            + " ORDER BY id)) FROM sentinel";
    private static final String RELATIONS = "SELECT count(*) || ':' || md5(string_agg(c.oid::text || c.relname, ','"
            + " ORDER BY c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
    private static final int MAX_MESSAGE_LENGTH = 1000;
    private static final String REFRESH_JOB = "materialized_view_refresh";

    private final List<String> violations = new ArrayList<>();
    private RecordingDataSource recorder;
    private AybMatviews matviews;
    private AybJobs jobs;
    private String sentinelBefore;
    private String relationsBefore;
    private long tried;

    @BeforeEach
    void schemaWithSentinel() {
        SampleSchema.create(PG);
        PG.execute("CREATE TABLE sentinel (id int PRIMARY KEY, note text NOT NULL)",
                "INSERT INTO sentinel SELECT g, 'row ' || g FROM generate_series(1, 5) g");
        recorder = new RecordingDataSource(HYGIENE.pool("hostile", 3));
        matviews = AybMatviews.builder().dataSource(recorder).build();
        jobs = AybJobs.builder(matviews).jobsEnabled(true).build();
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        sentinelBefore = PG.queryString(SENTINEL);
        relationsBefore = PG.queryString(RELATIONS);
    }

    @Test
    void hostileNamesAndReferencesAreRefusedOrLookedUpAsDataNeverRunAsSql() {
        for (Hostile input : new HostileStrings(HostileStrings.seed()).inputs(HostileStrings.tries(600))) {
            String text = input.text();
            door("QualifiedName.parse + register", input, () -> {
                QualifiedName name = QualifiedName.parse(text);
                matviews.registry().register(name);
            }, e -> {
                if (!parses(text)) {
                    expect(e, ErrorCode.INVALID_IDENTIFIER, input);
                    assertThat(e.getMessage()).startsWith("invalid identifier: \"");
                }
            });
            door("QualifiedName.of(schema, view)", input, () -> matviews.registry().register(
                    QualifiedName.of(text, "leaderboard")), e -> { });
            door("registry.get", input, () -> matviews.registry().get(text), e -> { });
            door("registry.history", input, () -> matviews.registry().history(ViewRef.parse(text), 5), e -> { });
            door("registry.updateMode", input, () -> matviews.registry().updateMode(text, RefreshMode.STANDARD),
                    e -> { });
            door("registry.dependencies", input, () -> matviews.registry().dependencies(ViewRef.parse(text)),
                    e -> { });
            door("refreshes.refresh", input, () -> matviews.refreshes().refresh(text), e -> { });
            door("RefreshMode.fromWire", input, () -> RefreshMode.fromWire(text),
                    e -> expect(e, ErrorCode.INVALID_REFRESH_MODE, input));
            door("Cascade.fromWire", input, () -> Cascade.fromWire(text), e -> { });
            door("builder.schema", input, () -> AybMatviews.builder().schema(text),
                    e -> expect(e, ErrorCode.INVALID_IDENTIFIER, input));
        }
        cleanUpAndAssert();
    }

    @Test
    void hostileScheduleFieldsPayloadsAndJobFiltersAreRefusedOrStoredVerbatim() {
        SplittableRandom random = new SplittableRandom(HostileStrings.seed());
        for (Hostile input : new HostileStrings(HostileStrings.seed() + 1).inputs(HostileStrings.tries(600))) {
            String text = input.text();
            door("schedules.create name", input, () -> {
                Schedule created = jobs.schedules().create(ScheduleSpec.of(text, REFRESH_JOB, "@daily")
                        .withPayload(Map.of("view_name", "leaderboard")));
                // Stored as data: read back exactly as written, found by it, then removed by it.
                assertThat(jobs.schedules().get(created.id().toString()).name()).isEqualTo(text);
                jobs.schedules().delete(created.id().toString());
            }, e -> { });
            door("schedules.create jobType", input, () -> jobs.schedules().create(
                    ScheduleSpec.of("s", text, "@daily")), e -> { });
            door("schedules.create cronExpr", input, () -> jobs.schedules().delete(jobs.schedules().create(
                    ScheduleSpec.of("s", REFRESH_JOB, text).withPayload(Map.of("view_name", "leaderboard"))).name()),
                    e -> { });
            door("schedules.create cron-like", input, () -> jobs.schedules().delete(jobs.schedules().create(
                    ScheduleSpec.of("s", REFRESH_JOB, cronLike(random, input.forbiddenInSql()))
                            .withPayload(Map.of("view_name", "leaderboard"))).name()), e -> { });
            door("schedules.create timezone", input, () -> jobs.schedules().delete(jobs.schedules().create(
                    ScheduleSpec.of("s", REFRESH_JOB, "@daily").withTimezone(text)
                            .withPayload(Map.of("view_name", "leaderboard"))).name()), e -> { });
            door("schedules.create payload view_name", input, () -> jobs.schedules().delete(
                    jobs.schedules().create(ScheduleSpec.of("s", REFRESH_JOB, "@daily")
                            .withPayload(Map.of("view_name", text))).name()), e -> { });
            door("schedules.create payload schema", input, () -> jobs.schedules().delete(
                    jobs.schedules().create(ScheduleSpec.of("s", REFRESH_JOB, "@daily")
                            .withPayload(Map.of("view_name", "leaderboard", "schema", text))).name()), e -> { });
            door("schedules.create payload cascade", input, () -> jobs.schedules().delete(
                    jobs.schedules().create(ScheduleSpec.of("s", REFRESH_JOB, "@daily")
                            .withPayload(Map.of("view_name", "leaderboard", "cascade", text))).name()), e -> { });
            door("schedules.create payload extra value", input, () -> jobs.schedules().delete(
                    jobs.schedules().create(ScheduleSpec.of("s", REFRESH_JOB, "@daily")
                            .withPayload(Map.of("view_name", "leaderboard", "note", text))).name()), e -> { });
            door("schedules.create payload key", input, () -> jobs.schedules().delete(
                    jobs.schedules().create(ScheduleSpec.of("s", REFRESH_JOB, "@daily")
                            .withPayload(Map.of("view_name", "leaderboard", text + "k", 1))).name()), e -> { });
            door("schedules.get", input, () -> jobs.schedules().get(text), e -> { });
            door("schedules.preview", input, () -> jobs.schedules().preview(text, text, 3), e -> { });
            door("schedules.jobs type", input, () -> jobs.schedules().jobs(null, text, 10), e -> { });
        }
        cleanUpAndAssert();
    }

    /** Calls one door with one input and checks the properties; a violation is collected, not thrown. */
    private void door(String name, Hostile input, Runnable call, Consumer<MatviewException> refusalCheck) {
        tried++;
        recorder.clear();
        try {
            call.run();
        } catch (MatviewException e) {
            try {
                assertThat(e.httpStatus()).as("status").isBetween(400, 499);
                assertThat(e.getMessage()).as("message").isNotBlank().hasSizeLessThanOrEqualTo(MAX_MESSAGE_LENGTH)
                        .doesNotContainPattern("[\\p{Cntrl}]");
                refusalCheck.accept(e);
            } catch (AssertionError failure) {
                violations.add(name + " " + input + ": " + e.code() + " " + e.getMessage() + " -- "
                        + failure.getMessage().strip());
            }
        } catch (AssertionError | RuntimeException e) {
            violations.add(name + " " + input + ": " + e);
        }
        if (input.forbiddenInSql() != null) {
            String leaked = recorder.firstContaining(input.forbiddenInSql());
            if (leaked != null) {
                violations.add(name + " " + input + ": reached SQL text: " + leaked);
            }
        }
    }

    private void cleanUpAndAssert() {
        Figures.inputs(tried);
        assertThat(PG.queryString(SENTINEL)).as("sentinel").isEqualTo(sentinelBefore);
        assertThat(PG.queryString(RELATIONS)).as("relations").isEqualTo(relationsBefore);
        assertThat(violations).as("%d violations, the first ones", violations.size())
                .isEmpty();
    }

    private static void expect(MatviewException e, ErrorCode code, Hostile input) {
        assertThat(e.code()).as("code for %s", input).isEqualTo(code);
    }

    private static boolean parses(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? IdentifierValidator.isValid(text)
                : IdentifierValidator.isValid(text.substring(0, dot))
                        && IdentifierValidator.isValid(text.substring(dot + 1));
    }

    /** Five or six cron-ish fields, to push past the field count into the cron parser itself. */
    private static String cronLike(SplittableRandom random, String marker) {
        String[] tokens = {"*", "*/0", "*/", "1-", "-1", "L", "W", "LW", "#", "1#9", "?", "99999999999", ",", "MON-",
            "JAN/", "0", "59", "60", "1-0", "5/0", "*/1000000", "SUN-SAT", "L-3", "15W", "2L", "1,2,,3", "%", "'",
            "\u0000", "\u0661", "\uff11", marker == null ? "x" : marker};
        int fields = random.nextBoolean() ? 5 : 6;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < fields; i++) {
            parts.add(tokens[random.nextInt(tokens.length)]);
        }
        return String.join(" ", parts);
    }
}
