package dev.ayb.matviews.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.collections.AybCollections;
import dev.ayb.matviews.collections.CollectionQuery;
import dev.ayb.matviews.collections.ReadReplica;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.micrometer.JobMetrics;
import dev.ayb.matviews.micrometer.JobQueueMetrics;
import dev.ayb.matviews.micrometer.RefreshMetrics;
import dev.ayb.matviews.micrometer.ViewMetrics;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import dev.ayb.matviews.servlet.CollectionAccess;
import dev.ayb.matviews.testkit.FailedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.config.BeanDefinitionCustomizer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;

/** Which beans the auto-configuration makes under which conditions, on the embedded PostgreSQL. */
class AybMatviewsAutoConfigurationTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final AutoConfigurations STARTER = AutoConfigurations.of(AybMatviewsAutoConfiguration.class,
            AybMatviewsAdminAutoConfiguration.class, AybMatviewsMetricsAutoConfiguration.class,
            AybMatviewsHealthAutoConfiguration.class);

    /** The pool is the test server's: a context must not close it when it closes, as it would an AutoCloseable bean. */
    private static final BeanDefinitionCustomizer KEEP_OPEN = definition -> definition.setDestroyMethodName("");

    private final ApplicationContextRunner plain = new ApplicationContextRunner().withConfiguration(STARTER);
    private final ApplicationContextRunner withDatabase = plain.withBean(DataSource.class, PG::dataSource, KEEP_OPEN);
    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(STARTER)
            .withBean(DataSource.class, PG::dataSource, KEEP_OPEN);

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    @Test
    void withoutADataSourceNothingIsConfigured() {
        plain.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("ayb.matviews.admin.token=secret", "ayb.matviews.jobs.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AybMatviews.class)
                        .doesNotHaveBean(AybJobs.class).doesNotHaveBean(JobRunnerLifecycle.class)
                        .doesNotHaveBean(RefreshMetrics.class).doesNotHaveBean(MatviewsHealthIndicator.class)
                        .doesNotHaveBean(AdminAuthenticator.class));
    }

    @Test
    void aDataSourceGivesTheLibraryWithItsPropertiesAndJobsOffByDefault() {
        withDatabase.withPropertyValues("ayb.matviews.schema=matview_admin", "ayb.matviews.lock-mode=transaction",
                "ayb.matviews.health-behind-threshold=15m", "ayb.matviews.change-capture=wal").run(context -> {
                    assertThat(context).hasSingleBean(AybMatviews.class).hasSingleBean(AybJobs.class)
                            .doesNotHaveBean(JobRunnerLifecycle.class);
                    AybMatviews matviews = context.getBean(AybMatviews.class);
                    assertThat(matviews.schema()).isEqualTo("matview_admin");
                    assertThat(matviews.health().behindThreshold()).isEqualTo(Duration.ofMinutes(15));
                    assertThat(matviews.changeCapture()).isEqualTo(ChangeCapture.WAL);
                    assertThat(context.getBean(AybJobs.class).jobsEnabled()).isFalse();
                    assertThat(context.getBean(AybMatviewsProperties.class).getLockMode())
                            .isEqualTo(AdvisoryLockMode.TRANSACTION);
                });
    }

    @Test
    void jobsEnabledStartsTheRunnerWithTheContextAndStopsItWithIt() {
        withDatabase.withPropertyValues("ayb.matviews.jobs.enabled=true", "ayb.matviews.jobs.worker-id=boot-test",
                "ayb.matviews.jobs.shutdown-grace=1s").run(context -> {
                    JobRunnerLifecycle lifecycle = context.getBean(JobRunnerLifecycle.class);
                    assertThat(lifecycle.isRunning()).isTrue();
                    assertThat(lifecycle.runner().workerId()).isEqualTo("boot-test");
                    assertThat(context.getBean(AybJobs.class).jobsEnabled()).isTrue();
                    context.close();
                    assertThat(lifecycle.isRunning()).isFalse();
                });
    }

    @Test
    void theAdminServletNeedsAServletWebApplicationAndATokenOrAnAuthenticator() {
        web.run(context -> assertThat(context).hasSingleBean(AybMatviews.class)
                .doesNotHaveBean(AybMatviewsAdminAutoConfiguration.SERVLET_BEAN_NAME));
        withDatabase.withPropertyValues("ayb.matviews.admin.token=secret").run(context -> assertThat(context)
                .doesNotHaveBean(AybMatviewsAdminAutoConfiguration.SERVLET_BEAN_NAME));

        web.withPropertyValues("ayb.matviews.admin.token=secret").run(context -> {
            assertThat(servlet(context).getServlet()).isInstanceOf(AybAdminServlet.class);
            assertThat(servlet(context).getUrlMappings())
                    .containsExactly("/api/admin/*", "/api/collections/*", "/admin/*");
        });
        web.withBean(AdminAuthenticator.class, () -> request -> false)
                .withPropertyValues("ayb.matviews.admin.path=/ops/")
                .run(context -> assertThat(servlet(context).getUrlMappings()).containsExactly("/ops/*"));
    }

    @Test
    void collectionAccessFollowsTheProperties() {
        web.withPropertyValues("ayb.matviews.admin.token=secret",
                "ayb.matviews.collections.public-views=public.leaderboard").run(context -> assertThat(
                        context.getBean(CollectionAccess.class).getClass())
                .isEqualTo(CollectionAccess.publicViews("public.leaderboard").getClass()));
    }

    @Test
    void aReplicaUrlGivesCollectionReadsAReplicaPoolWithTheConfiguredBounds() {
        web.withPropertyValues("ayb.matviews.admin.token=secret").run(context -> assertThat(context)
                .doesNotHaveBean(ReadReplica.class));

        web.withPropertyValues("ayb.matviews.admin.token=secret", "ayb.matviews.replica.url=" + PG.jdbcUrl(),
                "ayb.matviews.replica.username=" + PG.user(), "ayb.matviews.replica.password=" + PG.password(),
                "ayb.matviews.replica.max-lag=5s", "ayb.matviews.replica.fallback=unavailable",
                "ayb.matviews.replica.retry-after=12s").run(context -> {
                    ReadReplica replica = context.getBean(ReadReplica.class);
                    assertThat(replica.maxLag()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(replica.fallback()).isEqualTo(ReadReplica.Fallback.UNAVAILABLE);
                    assertThat(replica.retryAfterSeconds()).isEqualTo(12);
                    // The test server stands in for a replica: a primary is never behind.
                    assertThat(AybCollections.builder(context.getBean(AybMatviews.class)).replica(replica).build()
                            .prepare(QualifiedName.parse("public.leaderboard"), CollectionQuery.firstPage())
                            .read().fromReplica()).isTrue();
                    assertThat(servlet(context).getServlet()).isInstanceOf(AybAdminServlet.class);
                });
    }

    @Test
    void metersOnlyWithAMeterRegistryAndTheRefreshMetersHearRefreshes() {
        withDatabase.run(context -> assertThat(context).doesNotHaveBean(RefreshMetrics.class)
                .doesNotHaveBean(ViewMetrics.class).doesNotHaveBean(JobQueueMetrics.class)
                .doesNotHaveBean(JobMetrics.class));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JobHandler failing = JobHandler.of("boom", job -> {
            throw new IllegalStateException("no luck");
        });
        withDatabase.withBean(MeterRegistry.class, () -> registry).withBean(JobHandler.class, () -> failing)
                .run(context -> {
            assertThat(context).hasSingleBean(RefreshMetrics.class).hasSingleBean(ViewMetrics.class)
                    .hasSingleBean(JobQueueMetrics.class).hasSingleBean(JobMetrics.class);
            context.getBean(RefreshMetrics.class).bindTo(registry);
            AybMatviews matviews = context.getBean(AybMatviews.class);
            matviews.registry().register(QualifiedName.parse("public.leaderboard"));
            matviews.refreshes().refresh("public.leaderboard");
            assertThat(registry.get("ayb.matviews.refresh").tag("view", "public.leaderboard").timer().count())
                    .isEqualTo(1);

            context.getBean(JobMetrics.class).bindTo(registry);
            AybJobs jobs = context.getBean(AybJobs.class);
            jobs.schedules().create(ScheduleSpec.of("s", "boom", "@daily"));
            jobs.schedules().runNow("s");
            jobs.pollOnce();
            assertThat(registry.get("ayb.matviews.jobs.failures").tag("type", "boom").counter().count())
                    .isEqualTo(1);
        });
    }

    @Test
    void theHealthIndicatorAppliesTheLibrarysRule() {
        withDatabase.run(context -> {
            MatviewsHealthIndicator indicator = context.getBean(
                    AybMatviewsHealthAutoConfiguration.INDICATOR_BEAN_NAME, MatviewsHealthIndicator.class);
            AybMatviews matviews = context.getBean(AybMatviews.class);
            matviews.registry().register(QualifiedName.parse("public.leaderboard"));
            Health healthy = indicator.health();
            assertThat(healthy.getStatus()).isEqualTo(Status.UP);
            assertThat(healthy.getDetails()).containsEntry("status", "healthy").containsEntry("views", 1);

            FailedRefresh.run(PG, matviews.registry(), matviews.refreshes(), "public.leaderboard", "public.workouts");
            Health unhealthy = indicator.health();
            assertThat(unhealthy.getStatus()).isEqualTo(Status.DOWN);
            assertThat(unhealthy.getDetails()).containsEntry("status", "unhealthy");
            assertThat((List<?>) unhealthy.getDetails().get("unhealthy")).hasSize(1);
        });
        withDatabase.withPropertyValues("management.health.matviews.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MatviewsHealthIndicator.class));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        AtomicInteger heard = new AtomicInteger();
        RefreshListener listener = new RefreshListener() {
            @Override
            public void refreshFinished(dev.ayb.matviews.RefreshRun run) {
                heard.incrementAndGet();
            }
        };
        AdminAuthenticator own = request -> true;
        CollectionAccess anyone = CollectionAccess.anyone();
        web.withPropertyValues("ayb.matviews.admin.token=secret")
                .withBean(AdminAuthenticator.class, () -> own)
                .withBean(CollectionAccess.class, () -> anyone)
                .withBean(RefreshListener.class, () -> listener)
                .withBean("matviewsHealthIndicator", MatviewsHealthIndicator.class,
                        () -> new MatviewsHealthIndicator(AybMatviews.builder().dataSource(PG.dataSource()).build()
                                .health()))
                .run(context -> {
                    assertThat(context.getBean(AdminAuthenticator.class)).isSameAs(own);
                    assertThat(context.getBean(CollectionAccess.class)).isSameAs(anyone);
                    assertThat(context).hasSingleBean(MatviewsHealthIndicator.class);
                    AybMatviews matviews = context.getBean(AybMatviews.class);
                    matviews.registry().register(QualifiedName.parse("public.leaderboard"));
                    matviews.refreshes().refresh("public.leaderboard");
                    assertThat(heard).hasValue(1);
                });

        AybMatviews ownMatviews = AybMatviews.builder().dataSource(PG.dataSource()).schema("own_schema").build();
        withDatabase.withBean(AybMatviews.class, () -> ownMatviews).run(context -> {
            assertThat(context.getBean(AybMatviews.class)).isSameAs(ownMatviews);
            assertThat(context.getBean(AybJobs.class).matviews()).isSameAs(ownMatviews);
        });
    }

    private static ServletRegistrationBean<?> servlet(ApplicationContext context) {
        return (ServletRegistrationBean<?>) context.getBean(AybMatviewsAdminAutoConfiguration.SERVLET_BEAN_NAME);
    }
}
