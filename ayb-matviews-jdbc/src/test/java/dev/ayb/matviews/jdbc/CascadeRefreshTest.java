package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.ViewDependencies;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.ViewRefreshOutcome;
import dev.ayb.matviews.ViewRefreshOutcome.Status;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A diamond across two schemas with a plain view in between:
 * events → base → mid_a (public) and (plain view other.base_plain →) mid_b (other) → top; plus an
 * unrelated view that must never be touched.
 */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class CascadeRefreshTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The suite runs over pools with either setting; false is the Spring/JPA default. */
    @Parameter
    boolean autoCommit;

    private AybMatviews matviews;

    @BeforeEach
    void createDiamond() {
        SampleSchema.reset(PG);
        PG.execute("CREATE SCHEMA other",
                "CREATE TABLE events (id int PRIMARY KEY, grp int NOT NULL, amount int NOT NULL)",
                "INSERT INTO events SELECT g, g % 3, 10 FROM generate_series(1, 30) g",
                "CREATE MATERIALIZED VIEW base AS SELECT grp, sum(amount) AS total FROM events GROUP BY grp",
                "CREATE UNIQUE INDEX ON base (grp)",
                "CREATE MATERIALIZED VIEW mid_a AS SELECT grp, total * 2 AS doubled FROM base",
                "CREATE VIEW other.base_plain AS SELECT grp, total FROM public.base",
                "CREATE MATERIALIZED VIEW other.mid_b AS SELECT grp, total + 1 AS plus_one FROM other.base_plain",
                "CREATE MATERIALIZED VIEW top AS SELECT a.grp, a.doubled, b.plus_one"
                        + " FROM mid_a a JOIN other.mid_b b USING (grp)",
                "CREATE TABLE noise (id int)",
                "CREATE MATERIALIZED VIEW unrelated AS SELECT count(*) AS n FROM noise");
        matviews = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).build();
        matviews.registry().register(QualifiedName.parse("public.top"));
    }

    @Test
    void upstreamMakesTheTopCurrentAfterAChangeAtTheBaseAndTouchesNothingElse() {
        PG.execute("UPDATE events SET amount = 100", "INSERT INTO noise VALUES (1)");

        CascadeRefreshResult result = matviews.refreshes().refresh(ViewRef.parse("public.top"), Cascade.UPSTREAM,
                RefreshTrigger.MANUAL);

        assertThat(result.succeeded()).isTrue();
        assertThat(names(result)).containsExactly("public.base", "other.mid_b", "public.mid_a", "public.top");
        assertThat(result.views()).allSatisfy(v -> assertThat(v.status()).isEqualTo(Status.REFRESHED));
        assertThat(PG.queryLong("SELECT doubled FROM top WHERE grp = 1")).isEqualTo(2000);
        assertThat(PG.queryLong("SELECT plus_one FROM top WHERE grp = 1")).isEqualTo(1001);
        assertThat(PG.queryLong("SELECT n FROM unrelated")).isZero();
        assertThat(result.registration().viewName()).isEqualTo("top");
        assertThat(result.registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void viewsOfTheSetThatWereNotRegisteredAreRegisteredInStandardMode() {
        matviews.refreshes().refresh(ViewRef.parse("public.top"), Cascade.UPSTREAM, RefreshTrigger.MANUAL);

        assertThat(matviews.registry().list()).extracting(r -> r.qualifiedName().toString())
                .containsExactly("other.mid_b", "public.base", "public.mid_a", "public.top");
        assertThat(matviews.registry().get("public.base").refreshMode()).isEqualTo(RefreshMode.STANDARD);
        assertThat(matviews.registry().history(ViewRef.parse("public.base"), 1).get(0).trigger())
                .isEqualTo(RefreshTrigger.CASCADE);
        assertThat(matviews.registry().find("public.unrelated")).isEmpty();
    }

    @Test
    void downstreamRefreshesTheViewThenEverythingThatReadsIt() {
        matviews.registry().register(QualifiedName.parse("public.base"));

        CascadeRefreshResult result = matviews.refreshes().refresh(ViewRef.parse("public.base"), Cascade.DOWNSTREAM,
                RefreshTrigger.MANUAL);

        assertThat(names(result)).containsExactly("public.base", "other.mid_b", "public.mid_a", "public.top");
    }

    @Test
    void bothTakesTheMinimalSetAroundTheView() {
        matviews.registry().register(QualifiedName.parse("public.mid_a"));

        CascadeRefreshResult result = matviews.refreshes().refresh(ViewRef.parse("public.mid_a"), Cascade.BOTH,
                RefreshTrigger.MANUAL);

        // other.mid_b feeds top too, but it is neither upstream nor downstream of mid_a.
        assertThat(names(result)).containsExactly("public.base", "public.mid_a", "public.top");
    }

    @Test
    void noneRefreshesTheViewAlone() {
        CascadeRefreshResult result = matviews.refreshes().refresh(ViewRef.parse("public.top"), Cascade.NONE,
                RefreshTrigger.MANUAL);
        assertThat(names(result)).containsExactly("public.top");
        assertThat(result.durationMs()).isEqualTo(result.views().get(0).durationMs());
    }

    @Test
    void aFailureInTheMiddleStopsTheRunAndIsReported() {
        PG.execute("DROP MATERIALIZED VIEW top",
                "DROP MATERIALIZED VIEW mid_a",
                "CREATE MATERIALIZED VIEW mid_a AS SELECT grp, total / (grp - 1) AS broken FROM base WITH NO DATA",
                "CREATE MATERIALIZED VIEW top AS SELECT a.grp, a.broken, b.plus_one"
                        + " FROM mid_a a JOIN other.mid_b b USING (grp) WITH NO DATA");
        matviews.registry().unregister("public.top");
        matviews.registry().register(QualifiedName.parse("public.top"));

        CascadeRefreshResult result = matviews.refreshes().refresh(ViewRef.parse("public.top"), Cascade.UPSTREAM,
                RefreshTrigger.MANUAL);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.failure().code()).isEqualTo(ErrorCode.REFRESH_FAILED);
        assertThat(result.views()).extracting(v -> v.view() + " " + v.status()).containsExactly(
                "public.base REFRESHED", "other.mid_b REFRESHED", "public.mid_a FAILED", "public.top SKIPPED");
        ViewRefreshOutcome failed = result.views().get(2);
        assertThat(failed.error()).contains("division by zero");
        assertThat(result.views().get(3).error()).isEqualTo("not refreshed: public.mid_a failed first");
        assertThat(result.registration().lastRefreshAt()).isNull();
    }

    @Test
    void dependenciesSeeThroughPlainViewsAcrossSchemas() {
        ViewDependencies top = matviews.registry().dependencies(ViewRef.parse("public.top"));
        assertThat(top.upstream()).extracting(QualifiedName::toString)
                .containsExactly("public.base", "other.mid_b", "public.mid_a");
        assertThat(top.downstream()).isEmpty();

        ViewDependencies base = matviews.registry().dependencies(ViewRef.parse("public.base"));
        assertThat(base.upstream()).isEmpty();
        assertThat(base.downstream()).extracting(QualifiedName::toString)
                .containsExactly("other.mid_b", "public.mid_a", "public.top");
        assertThat(matviews.registry().dependencies(ViewRef.parse("public.unrelated")).upstream()).isEmpty();
    }

    private static List<String> names(CascadeRefreshResult result) {
        return result.views().stream().map(v -> v.view().toString()).toList();
    }
}
