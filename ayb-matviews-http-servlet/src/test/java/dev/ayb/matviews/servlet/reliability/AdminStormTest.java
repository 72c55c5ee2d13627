package dev.ayb.matviews.servlet.reliability;

import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two hundred admin calls at once, of every kind, racing on the same views and schedules: registrations and
 * unregistrations, refreshes, reads, mode changes, schedule creation with colliding names, runs and deletes of
 * the same schedule. Every call is answered, none with a 5xx, and afterwards what the callers were told adds
 * up with what is stored: one registration per view however many raced to create it, one history row per
 * refresh answered 200, one schedule per name, one job per run answered 202.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class AdminStormTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    private static final int VIEWS = 8;
    private static final int CALLS = 200;

    private Api api;

    @BeforeEach
    void start() {
        PG.execute("DROP SCHEMA IF EXISTS ayb CASCADE", "DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public",
                "CREATE TABLE points (id int PRIMARY KEY, v int NOT NULL)",
                "INSERT INTO points SELECT g, g % 7 FROM generate_series(1, 500) g");
        for (int i = 0; i < VIEWS; i++) {
            PG.execute("CREATE MATERIALIZED VIEW v" + i + " AS SELECT v, count(*) AS n FROM points GROUP BY v",
                    "CREATE UNIQUE INDEX v" + i + "_v ON v" + i + " (v)");
        }
        SampleSchema.createSentinel(PG);
        AybJobs jobs = AybJobs.builder(AybMatviews.builder().dataSource(HYGIENE.pool("storm", 6)).build())
                .jobsEnabled(true).build();
        AybMatviews matviews = jobs.matviews();
        api = Api.start(jobs);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void twoHundredMixedAdminCallsAtOnceAreAllAnsweredAndAddUp() throws Exception {
        String sentinel = DatabaseState.untouchable(PG);
        List<Call> calls = plan();
        Collections.shuffle(calls, new Random(HostileStrings.seed()));

        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (Call call : calls) {
            replies.add(api.sendAsync(call.request(api)));
        }
        List<String> problems = new ArrayList<>();
        Map<String, Map<Integer, Integer>> told = new HashMap<>();
        long answered = 0;
        for (int i = 0; i < calls.size(); i++) {
            Reply reply;
            try {
                reply = replies.get(i).get(Api.TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
                answered++;
            } catch (Exception e) {
                problems.add(calls.get(i) + ": no answer: " + e);
                continue;
            }
            if (reply.status() >= 500 || (reply.status() >= 400 && reply.refusalProblem() != null)) {
                problems.add(calls.get(i) + ": " + reply);
            }
            told.computeIfAbsent(calls.get(i).key(), key -> new HashMap<>()).merge(reply.status(), 1, Integer::sum);
        }
        Figures.operations(calls.size());

        List<String> inconsistencies = new ArrayList<>();
        for (int i = 0; i < VIEWS; i++) {
            String view = "v" + i;
            int registered = told(told, "register " + view, 201);
            int unregistered = told(told, "unregister " + view, 204);
            long rows = count("ayb.matview_registrations WHERE view_name = '" + view + "'");
            if (rows != registered - unregistered || rows > 1) {
                inconsistencies.add(view + ": " + registered + " registered, " + unregistered + " unregistered, "
                        + rows + " row(s)");
            }
            if (i < VIEWS / 2) {
                // Never unregistered: each refresh answered 200 is one history row, nothing more or less.
                long history = count("ayb.matview_refresh_runs WHERE view_name = '" + view + "'");
                if (history != told(told, "refresh " + view, 200)) {
                    inconsistencies.add(view + ": " + told(told, "refresh " + view, 200) + " refreshes answered 200, "
                            + history + " history row(s)");
                }
            }
        }
        for (int s = 0; s < 4; s++) {
            String name = "schedule_" + s;
            // A create may win again after a delete won: what exists is creates answered 201 minus deletes
            // answered 204, and never more than one.
            long rows = count("ayb.job_schedules WHERE name = '" + name + "'");
            if (rows != told(told, "create " + name, 201) - told(told, "delete " + name, 204) || rows > 1) {
                inconsistencies.add(name + ": told " + told.get("create " + name) + " / " + told.get("delete " + name));
            }
        }
        long runs = told.entrySet().stream().filter(e -> e.getKey().startsWith("run "))
                .mapToLong(e -> e.getValue().getOrDefault(202, 0)).sum();
        if (count("ayb.jobs") != runs) {
            inconsistencies.add(runs + " runs answered 202, " + count("ayb.jobs") + " job(s)");
        }
        Figures.lost(calls.size() - answered + inconsistencies.size());

        assertThat(problems).isEmpty();
        assertThat(inconsistencies).as("answers: %s", told).isEmpty();
        assertThat(DatabaseState.untouchable(PG)).isEqualTo(sentinel);
        assertThat(overlappingRuns()).isZero();
    }

    /** 200 calls: per view registrations racing (and for half of them unregistrations), refreshes, reads; schedules. */
    private static List<Call> plan() {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < VIEWS; i++) {
            String view = "v" + i;
            String ref = "/api/admin/matviews/public." + view;
            for (int k = 0; k < 3; k++) {
                calls.add(new Call("register " + view, "POST", "/api/admin/matviews",
                        "{\"viewName\": \"" + view + "\", \"refreshMode\": \"" + (k == 0 ? "standard" : "concurrent")
                                + "\"}"));
            }
            for (int k = 0; k < 7; k++) {
                calls.add(new Call("refresh " + view, "POST", ref + "/refresh", null));
            }
            calls.add(new Call("get " + view, "GET", ref, null));
            calls.add(new Call("history " + view, "GET", ref + "/history", null));
            calls.add(new Call("mode " + view, "PATCH", ref, "{\"refreshMode\": \"standard\"}"));
            calls.add(new Call("timeouts " + view, "PATCH", ref,
                    "{\"lockTimeoutMs\": 5000, \"statementTimeoutMs\": 60000}"));
            if (i >= VIEWS / 2) {
                calls.add(new Call("unregister " + view, "DELETE", ref, null));
                calls.add(new Call("unregister " + view, "DELETE", ref, null));
            } else {
                calls.add(new Call("dependencies " + view, "GET", ref + "/dependencies", null));
                calls.add(new Call("history " + view, "GET", ref + "/history?limit=5", null));
            }
        }
        for (int s = 0; s < 4; s++) {
            String name = "schedule_" + s;
            String body = "{\"name\": \"" + name + "\", \"jobType\": \"materialized_view_refresh\", \"cronExpr\":"
                    + " \"@daily\", \"payload\": {\"view_name\": \"v" + s + "\"}}";
            calls.add(new Call("create " + name, "POST", "/api/admin/schedules", body));
            calls.add(new Call("create " + name, "POST", "/api/admin/schedules", body));
            calls.add(new Call("run " + name, "POST", "/api/admin/schedules/" + name + "/run", null));
            calls.add(new Call("run " + name, "POST", "/api/admin/schedules/" + name + "/run", null));
            calls.add(new Call("disable " + name, "POST", "/api/admin/schedules/" + name + "/disable", null));
            calls.add(new Call("delete " + name, "DELETE", "/api/admin/schedules/" + name, null));
        }
        List<String> reads = List.of("/api/admin/matviews", "/api/admin/matviews/discovered", "/api/admin/schedules",
                "/api/admin/jobs", "/api/collections/v0", "/api/collections/public.v1?sort=-n&perPage=3");
        for (int k = 0; calls.size() < CALLS; k++) {
            calls.add(new Call("read", "GET", reads.get(k % reads.size()), null));
        }
        return calls;
    }

    private static int told(Map<String, Map<Integer, Integer>> told, String key, int status) {
        return told.getOrDefault(key, Map.of()).getOrDefault(status, 0);
    }

    /** Runs of one view whose time spans overlap: never, since each runs under the view's lock. */
    private static long overlappingRuns() {
        return count("ayb.matview_refresh_runs a JOIN ayb.matview_refresh_runs b ON a.view_name = b.view_name"
                + " AND a.id < b.id AND a.started_at < b.finished_at AND b.started_at < a.finished_at");
    }

    private static long count(String from) {
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM " + from)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(from, e);
        }
    }

    /** One planned call; {@code key} groups the calls whose answers must add up. */
    private record Call(String key, String method, String path, String body) {
        HttpRequest request(Api api) {
            HttpRequest.Builder builder = api.request(path);
            return body == null ? builder.method(method, BodyPublishers.noBody()).build()
                    : builder.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body))
                    .build();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

}
