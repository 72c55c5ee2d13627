package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class MatviewRegistryTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The suite runs over pools with either setting; false is the Spring/JPA default. */
    @Parameter
    boolean autoCommit;

    private static final Instant NOW = Instant.parse("2026-02-22T08:00:00Z");

    private MatviewRegistry registry;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        registry = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build().registry();
    }

    @Test
    void registeredViewCanBeReadByIdAndByNameWithEmptyRefreshFields() {
        Registration registered = registry.register(QualifiedName.parse("public.leaderboard"), RefreshMode.STANDARD);

        assertThat(registered.schemaName()).isEqualTo("public");
        assertThat(registered.viewName()).isEqualTo("leaderboard");
        assertThat(registered.refreshMode()).isEqualTo(RefreshMode.STANDARD);
        assertThat(registered.createdAt()).isEqualTo(NOW);
        assertThat(registered.updatedAt()).isEqualTo(NOW);
        assertThat(registered.lastRefreshAt()).isNull();
        assertThat(registered.lastRefreshDurationMs()).isNull();
        assertThat(registered.lastRefreshStatus()).isNull();
        assertThat(registered.lastRefreshError()).isNull();
        assertThat(registry.get(ViewRef.of(registered.id()))).isEqualTo(registered);
        assertThat(registry.get("public.leaderboard")).isEqualTo(registered);
        assertThat(registry.get("leaderboard")).isEqualTo(registered);
        assertThat(registry.get(registered.id().toString())).isEqualTo(registered);
    }

    @Test
    void registrationKeepsPerViewTimeouts() {
        RefreshTimeouts timeouts = RefreshTimeouts.of(Duration.ofSeconds(2), Duration.ofMinutes(5));
        Registration registered = registry.register(QualifiedName.parse("leaderboard"), RefreshMode.CONCURRENT, timeouts);

        assertThat(registry.get(ViewRef.of(registered.id())).timeouts()).isEqualTo(timeouts);
    }

    @Test
    void aPlainTableIsNotAMaterializedView() {
        assertCode(() -> registry.register(QualifiedName.parse("public.users")), ErrorCode.VIEW_NOT_FOUND);
    }

    @Test
    void aPlainViewIsNotAMaterializedView() {
        PG.execute("CREATE VIEW user_names AS SELECT name FROM users");
        assertCode(() -> registry.register(QualifiedName.parse("public.user_names")), ErrorCode.VIEW_NOT_FOUND);
    }

    @Test
    void aMissingViewCannotBeRegistered() {
        assertCode(() -> registry.register(QualifiedName.parse("public.nothing_here")), ErrorCode.VIEW_NOT_FOUND);
        assertCode(() -> registry.register(QualifiedName.parse("other.leaderboard")), ErrorCode.VIEW_NOT_FOUND);
    }

    @Test
    void namesAreMatchedCaseSensitively() {
        assertCode(() -> registry.register(QualifiedName.parse("public.Leaderboard")), ErrorCode.VIEW_NOT_FOUND);
    }

    @Test
    void aDuplicateRegistrationIsRejected() {
        registry.register(QualifiedName.parse("public.leaderboard"));
        assertCode(() -> registry.register(QualifiedName.parse("public.leaderboard"), RefreshMode.CONCURRENT),
                ErrorCode.ALREADY_REGISTERED);
        assertThat(registry.list()).hasSize(1);
    }

    @Test
    void updateModeChangesTheModeOnly() {
        Registration registered = registry.register(QualifiedName.parse("public.leaderboard"));
        Registration updated = registry.updateMode(ViewRef.of(registered.id()), RefreshMode.CONCURRENT);

        assertThat(updated.refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
        assertThat(updated.id()).isEqualTo(registered.id());
        assertThat(updated.createdAt()).isEqualTo(registered.createdAt());
        assertThat(registry.get("public.leaderboard").refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
    }

    @Test
    void updatingAnUnknownRegistrationIsNotFound() {
        assertCode(() -> registry.updateMode(ViewRef.of(UUID.randomUUID()), RefreshMode.CONCURRENT),
                ErrorCode.REGISTRATION_NOT_FOUND);
        assertCode(() -> registry.updateMode("public.leaderboard", RefreshMode.CONCURRENT),
                ErrorCode.REGISTRATION_NOT_FOUND);
    }

    @Test
    void unregisterRemovesTheRegistrationButNeverTheView() {
        Registration registered = registry.register(QualifiedName.parse("public.leaderboard"));
        registry.unregister(ViewRef.of(registered.id()));

        assertThat(registry.find(ViewRef.of(registered.id()))).isEmpty();
        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard")).isEqualTo(2);
    }

    @Test
    void unregisteringAnUnknownRegistrationIsNotFound() {
        assertCode(() -> registry.unregister(ViewRef.of(UUID.randomUUID())), ErrorCode.REGISTRATION_NOT_FOUND);
        assertCode(() -> registry.unregister("public.leaderboard"), ErrorCode.REGISTRATION_NOT_FOUND);
    }

    @Test
    void getOfAnUnknownRegistrationIsNotFound() {
        assertCode(() -> registry.get(ViewRef.of(UUID.randomUUID())), ErrorCode.REGISTRATION_NOT_FOUND);
        assertCode(() -> registry.get("not-a-uuid"), ErrorCode.INVALID_ID_FORMAT);
    }

    @Test
    void listIsOrderedBySchemaThenView() {
        PG.execute("CREATE SCHEMA other",
                "CREATE MATERIALIZED VIEW other.a_view AS SELECT 1 AS x",
                "CREATE MATERIALIZED VIEW public.b_view AS SELECT 1 AS x",
                "CREATE MATERIALIZED VIEW public.a_view AS SELECT 1 AS x");
        for (String name : List.of("public.leaderboard", "other.a_view", "public.b_view", "public.a_view")) {
            registry.register(QualifiedName.parse(name));
        }

        assertThat(registry.list()).extracting(r -> r.qualifiedName().toString())
                .containsExactly("other.a_view", "public.a_view", "public.b_view", "public.leaderboard");
    }

    @Test
    void listIsEmptyWithoutRegistrations() {
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void discoverShowsEveryMaterializedViewWithWhatConcurrentModeNeeds() {
        PG.execute("CREATE MATERIALIZED VIEW empty_view AS SELECT 1 AS x WITH NO DATA",
                "CREATE MATERIALIZED VIEW no_index AS SELECT 1 AS x");
        Registration registered = registry.register(QualifiedName.parse("public.leaderboard"));

        assertThat(registry.discover()).containsExactly(
                new DiscoveredView("public", "empty_view", false, false, null),
                new DiscoveredView("public", "leaderboard", true, true, registered.id()),
                new DiscoveredView("public", "no_index", true, false, null));
    }

    @Test
    void findOrRegisterRacingInstancesEndWithOneRegistration() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Registration>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                // Each racer is its own app instance, with its own pool.
                MatviewRegistry instance = AybMatviews.builder().dataSource(PG.newDataSource(2, autoCommit)).build().registry();
                Callable<Registration> race = () -> {
                    start.await();
                    return instance.findOrRegister(QualifiedName.parse("public.leaderboard"));
                };
                results.add(pool.submit(race));
            }
            start.countDown();
            Set<UUID> ids = ConcurrentHashMap.newKeySet();
            for (Future<Registration> result : results) {
                ids.add(result.get().id());
            }
            assertThat(ids).hasSize(1);
            assertThat(registry.list()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void findOrRegisterStillReportsAMissingView() {
        assertCode(() -> registry.findOrRegister(QualifiedName.parse("public.nothing_here")), ErrorCode.VIEW_NOT_FOUND);
    }

    @Test
    void historyTimeoutsAndDependenciesTakeAViewAsTextLikeEveryOtherMethod() {
        Registration registration = registry.register(QualifiedName.parse("public.leaderboard"));
        AybMatviews.builder().dataSource(PG.dataSource()).build().refreshes().refresh(registration.id().toString());

        assertThat(registry.history("leaderboard", 10)).hasSize(1);
        assertThat(registry.history(registration.id().toString(), 10)).hasSize(1);
        assertThat(registry.updateTimeouts("public.leaderboard", RefreshTimeouts.of(Duration.ofSeconds(3), null))
                .timeouts().lockTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(registry.dependencies("public.leaderboard").view()).isEqualTo(registration.qualifiedName());

        assertCode(() -> registry.history("not-a-uuid", 10), ErrorCode.INVALID_ID_FORMAT);
        assertCode(() -> registry.updateTimeouts("bad.na-me", RefreshTimeouts.NONE), ErrorCode.INVALID_IDENTIFIER);
        assertCode(() -> registry.dependencies(UUID.randomUUID().toString()), ErrorCode.REGISTRATION_NOT_FOUND);
        assertCode(() -> registry.history("public.nothing_here", 10), ErrorCode.REGISTRATION_NOT_FOUND);
    }

    @Test
    void errorsNameTheViewOrTheRefAsGivenBesideTheExactMessage() {
        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> registry.get("public.nothing_here")).isInstanceOfSatisfying(MatviewException.class,
                e -> {
                    assertThat(e.getMessage()).isEqualTo("matview registration not found");
                    assertThat(e.schemaName()).contains("public");
                    assertThat(e.viewName()).contains("nothing_here");
                    assertThat(e.ref()).isEmpty();
                });
        assertThatThrownBy(() -> registry.get(unknown.toString())).isInstanceOfSatisfying(MatviewException.class,
                e -> {
                    assertThat(e.getMessage()).isEqualTo("matview registration not found");
                    assertThat(e.ref()).contains(unknown.toString());
                    assertThat(e.viewName()).isEmpty();
                });
        assertThatThrownBy(() -> registry.register(QualifiedName.parse("other.users"))).isInstanceOfSatisfying(
                MatviewException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("materialized view not found in database");
                    assertThat(e.schemaName()).contains("other");
                    assertThat(e.viewName()).contains("users");
                });
    }

    @Test
    void historyLimitIsChecked() {
        registry.register(QualifiedName.parse("public.leaderboard"));
        assertCode(() -> registry.history(ViewRef.parse("leaderboard"), 0), ErrorCode.INVALID_ARGUMENT);
        assertThat(registry.history(ViewRef.parse("leaderboard"), 10)).isEmpty();
    }

    /** Codes whose message is always the original system's exact text. */
    private static final Set<ErrorCode> FIXED_MESSAGES = EnumSet.of(ErrorCode.VIEW_NOT_FOUND,
            ErrorCode.REGISTRATION_NOT_FOUND, ErrorCode.VIEW_NO_LONGER_EXISTS, ErrorCode.ALREADY_REGISTERED,
            ErrorCode.REFRESH_IN_PROGRESS, ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX,
            ErrorCode.CONCURRENT_REQUIRES_POPULATED, ErrorCode.INVALID_ID_FORMAT, ErrorCode.INVALID_REFRESH_MODE);

    static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MatviewException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (FIXED_MESSAGES.contains(code)) {
                assertThat(e.getMessage()).isEqualTo(code.defaultMessage());
            }
        });
    }
}
