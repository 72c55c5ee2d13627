package dev.ayb.matviews.servlet.reliability;

import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.testkit.reliability.HostileStrings.Hostile;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Adversarial text in every identifier and every free-text field of the admin API — registration bodies, the
 * {@code {ref}} of every matview route, schedule fields and payloads, schedule and job ids, query parameters —
 * over HTTP, on a data source that records the text of every statement. For every input at every door: never a
 * 5xx; a refusal is a 4xx with the API's error shape and a clear message; an acceptance only where the value
 * can be legitimate (and then it is stored verbatim, as data); the input never in a statement's text; and the
 * sentinel table, the set of relations and the library's own rows are as they were.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class HostileAdminInputTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    private static final String MATVIEWS = "/api/admin/matviews/";
    private static final String SCHEDULES = "/api/admin/schedules/";
    private static final String JOBS = "/api/admin/jobs";

    private RecordingDataSource recorder;
    private AybJobs jobs;
    private AybMatviews matviews;
    private Api api;

    @BeforeEach
    void start() {
        SampleSchema.createMinimal(PG);
        SampleSchema.createSentinel(PG);
        recorder = new RecordingDataSource(HYGIENE.pool("hostile-admin", 3));
        jobs = AybJobs.builder(AybMatviews.builder().dataSource(recorder).build()).jobsEnabled(true).build();
        matviews = jobs.matviews();
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        api = Api.start(jobs);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void hostileTextInEveryMatviewRouteIsRefusedWithA4xxOrTreatedAsData() {
        String before = DatabaseState.untouchable(PG);
        List<Door> doors = List.of(
                Door.refusing("register viewName", (api, x) -> post(api, MATVIEWS, Map.of("viewName", x))),
                Door.refusing("register schema", (api, x) -> post(api, MATVIEWS,
                        Map.of("viewName", "leaderboard", "schema", x))),
                Door.refusing("register schemaName", (api, x) -> post(api, MATVIEWS,
                        Map.of("viewName", "leaderboard", "schemaName", x))),
                Door.refusing("register refreshMode", (api, x) -> post(api, MATVIEWS,
                        Map.of("viewName", "not_a_view", "refreshMode", x))),
                Door.accepting("get {ref}", (api, x) -> api.request(MATVIEWS + Door.segment(x)).GET().build())
                        .inPath(),
                Door.accepting("patch {ref}", (api, x) -> api.request(MATVIEWS + Door.segment(x))
                        .header("Content-Type", "application/json")
                        .method("PATCH", BodyPublishers.ofString("{\"refreshMode\": \"standard\"}")).build()).inPath(),
                Door.accepting("patch refreshMode", (api, x) -> api.request(MATVIEWS + "public.leaderboard")
                        .header("Content-Type", "application/json")
                        .method("PATCH", BodyPublishers.ofString(Door.json(Map.of("refreshMode", x)))).build(),
                        (x, reply) -> restoreLeaderboard()),
                Door.accepting("delete {ref}", (api, x) -> api.request(MATVIEWS + Door.segment(x)).DELETE().build(),
                        (x, reply) -> restoreLeaderboard()).inPath().alone(),
                Door.accepting("refresh {ref}", (api, x) -> api.request(MATVIEWS + Door.segment(x) + "/refresh")
                        .POST(BodyPublishers.noBody()).build()).inPath(),
                Door.accepting("refresh ?cascade", (api, x) -> api.request(MATVIEWS + "public.leaderboard/refresh"
                        + "?cascade=" + Api.encode(x)).POST(BodyPublishers.noBody()).build()),
                Door.accepting("history {ref}", (api, x) -> api.request(MATVIEWS + Door.segment(x) + "/history")
                        .GET().build()).inPath(),
                Door.accepting("history ?limit", (api, x) -> api.request(MATVIEWS + "public.leaderboard/history"
                        + "?limit=" + Api.encode(x)).GET().build()),
                Door.accepting("dependencies {ref}", (api, x) -> api.request(MATVIEWS + Door.segment(x)
                        + "/dependencies").GET().build()).inPath());

        List<String> violations = Door.probe(api, recorder, inputs(0), doors, reply -> null);

        assertThat(violations).as("%d violations", violations.size()).isEmpty();
        assertThat(DatabaseState.untouchable(PG)).isEqualTo(before);
        assertThat(matviews.registry().list()).extracting(r -> r.qualifiedName().toString())
                .containsExactly("public.leaderboard");
    }

    @Test
    void hostileTextInEveryScheduleAndJobRouteIsRefusedWithA4xxOrStoredVerbatim() {
        String before = DatabaseState.fingerprint(PG);
        List<Door> doors = List.of(
                Door.accepting("create name", (api, x) -> post(api, SCHEDULES, schedule("name", x)),
                        (x, reply) -> storedVerbatimThenDeleted(x, reply)).alone(),
                Door.refusing("create jobType", (api, x) -> post(api, SCHEDULES, schedule("jobType", x))),
                Door.accepting("create cronExpr", (api, x) -> post(api, SCHEDULES, schedule("cronExpr", x)),
                        this::deleted),
                Door.accepting("create timezone", (api, x) -> post(api, SCHEDULES, schedule("timezone", x)),
                        this::deleted),
                Door.accepting("create payload view_name", (api, x) -> post(api, SCHEDULES,
                        schedule("payload", Map.of("view_name", x))), this::deleted),
                Door.accepting("create payload schema", (api, x) -> post(api, SCHEDULES,
                        schedule("payload", Map.of("view_name", "leaderboard", "schema", x))), this::deleted),
                Door.accepting("create payload cascade", (api, x) -> post(api, SCHEDULES,
                        schedule("payload", Map.of("view_name", "leaderboard", "cascade", x))), this::deleted),
                Door.accepting("create payload other value", (api, x) -> post(api, SCHEDULES,
                        schedule("payload", Map.of("view_name", "leaderboard", "note", x))), this::deleted),
                Door.accepting("create payload key", (api, x) -> post(api, SCHEDULES,
                        schedule("payload", Map.of("view_name", "leaderboard", "k" + x, 1))), this::deleted),
                Door.refusing("get {id}", (api, x) -> api.request(SCHEDULES + Door.segment(x)).GET().build())
                        .inPath(),
                Door.refusing("patch {id}", (api, x) -> api.request(SCHEDULES + Door.segment(x))
                        .header("Content-Type", "application/json")
                        .method("PATCH", BodyPublishers.ofString("{\"enabled\": false}")).build()).inPath(),
                Door.refusing("run {id}", (api, x) -> api.request(SCHEDULES + Door.segment(x) + "/run")
                        .POST(BodyPublishers.noBody()).build()).inPath(),
                Door.refusing("delete {id}", (api, x) -> api.request(SCHEDULES + Door.segment(x)).DELETE().build())
                        .inPath(),
                Door.accepting("preview ?cronExpr", (api, x) -> api.request(SCHEDULES + "preview?cronExpr="
                        + Api.encode(x)).GET().build()),
                Door.accepting("preview ?timezone", (api, x) -> api.request(SCHEDULES + "preview?cronExpr=%40daily"
                        + "&timezone=" + Api.encode(x)).GET().build()),
                Door.accepting("preview ?count", (api, x) -> api.request(SCHEDULES + "preview?cronExpr=%40daily"
                        + "&count=" + Api.encode(x)).GET().build()),
                Door.accepting("jobs ?state", (api, x) -> api.request(JOBS + "?state=" + Api.encode(x)).GET().build()),
                Door.accepting("jobs ?type", (api, x) -> api.request(JOBS + "?type=" + Api.encode(x)).GET().build()),
                Door.accepting("jobs ?limit", (api, x) -> api.request(JOBS + "?limit=" + Api.encode(x)).GET().build()),
                Door.refusing("job {id}", (api, x) -> api.request(JOBS + "/" + Door.segment(x)).GET().build())
                        .inPath(),
                Door.refusing("retry {id}", (api, x) -> api.request(JOBS + "/" + Door.segment(x) + "/retry")
                        .POST(BodyPublishers.noBody()).build()).inPath(),
                Door.refusing("cancel {id}", (api, x) -> api.request(JOBS + "/" + Door.segment(x) + "/cancel")
                        .POST(BodyPublishers.noBody()).build()).inPath());

        List<String> violations = Door.probe(api, recorder, inputs(1), doors, reply -> null);

        assertThat(violations).as("%d violations", violations.size()).isEmpty();
        assertThat(DatabaseState.fingerprint(PG)).isEqualTo(before);
    }

    private static List<Hostile> inputs(long salt) {
        return new HostileStrings(HostileStrings.seed() + salt).inputs(HostileStrings.tries(100));
    }

    private static java.net.http.HttpRequest post(Api api, String path, Map<String, ?> body) {
        return api.request(path).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(Door.json(body))).build();
    }

    /** A valid schedule body with one field replaced; named after the field, so doors run side by side. */
    private static Map<String, Object> schedule(String field, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "hostile " + field + (value instanceof Map<?, ?> map ? map.keySet() : ""));
        body.put("jobType", "materialized_view_refresh");
        body.put("cronExpr", "@daily");
        body.put("payload", Map.of("view_name", "leaderboard"));
        body.put(field, value);
        return body;
    }

    /** A name is data: read back byte for byte by its id, then the schedule is removed. */
    private String storedVerbatimThenDeleted(String name, Reply created) {
        String id = created.json().path("id").asText();
        Reply read = api.get(SCHEDULES + id);
        String deleted = deleted(name, created);
        if (!name.equals(read.json().path("name").asText())) {
            return "stored as " + HostileStrings.show(read.json().path("name").asText());
        }
        return deleted;
    }

    private String deleted(String input, Reply created) {
        Reply deleted = api.delete(SCHEDULES + created.json().path("id").asText());
        return deleted.status() == 204 ? null : "could not delete what was created: " + deleted;
    }

    /** Puts the registration back as the test began with it (a legitimate DELETE or PATCH changed it). */
    private String restoreLeaderboard() {
        QualifiedName leaderboard = QualifiedName.parse("public.leaderboard");
        matviews.registry().findOrRegister(leaderboard);
        matviews.registry().updateMode(ViewRef.of(leaderboard), RefreshMode.STANDARD);
        return null;
    }
}
