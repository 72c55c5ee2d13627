package dev.ayb.matviews.spring.boot;

import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobListener;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * {@link AybMatviews} and {@link AybJobs} from the application's {@link DataSource}, and the job runner when
 * {@code ayb.matviews.jobs.enabled} is true. Nothing is configured without a (single) data source.
 *
 * <p>Ordered after the data source's auto-configuration, and after Flyway's and Liquibase's when they are present,
 * so that the views the application's migrations create exist before anything here registers or refreshes them;
 * {@link DependsOnDatabaseInitialization} makes the same hold at startup, when the beans are created.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(AybMatviewsProperties.class)
public final class AybMatviewsAutoConfiguration {

    /** Every {@link RefreshListener} bean (the meters' among them) hears every refresh, in bean order. */
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    AybMatviews aybMatviews(DataSource dataSource, AybMatviewsProperties properties,
                            ObjectProvider<RefreshListener> listeners) {
        AybMatviews.Builder builder = AybMatviews.builder().dataSource(dataSource)
                .schema(properties.getSchema())
                .lockMode(properties.getLockMode())
                .historyRetention(properties.getHistoryRetention())
                .migrate(properties.isMigrate())
                .healthBehindThreshold(properties.getHealthBehindThreshold())
                .changeCapture(properties.getChangeCapture());
        if (properties.getDefaultLockTimeout() != null) {
            builder.defaultLockTimeout(properties.getDefaultLockTimeout());
        }
        if (properties.getDefaultStatementTimeout() != null) {
            builder.defaultStatementTimeout(properties.getDefaultStatementTimeout());
        }
        listeners.orderedStream().forEach(builder::listener);
        return builder.build();
    }

    /**
     * Schedules and jobs as data always; runs jobs only with {@code ayb.matviews.jobs.enabled}. Every
     * {@link JobHandler} bean adds a job type, and every {@link JobListener} bean hears every attempt.
     */
    @Bean
    @ConditionalOnMissingBean
    AybJobs aybJobs(AybMatviews matviews, AybMatviewsProperties properties, ObjectProvider<JobHandler> handlers,
                    ObjectProvider<JobListener> listeners) {
        AybJobs.Builder builder = AybJobs.builder(matviews).jobsEnabled(properties.getJobs().isEnabled())
                .jobOptions(properties.getJobs().toJobOptions());
        handlers.orderedStream().forEach(builder::jobHandler);
        listeners.orderedStream().forEach(builder::listener);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(prefix = AybMatviewsProperties.PREFIX + ".jobs", name = "enabled")
    JobRunnerLifecycle aybJobRunnerLifecycle(AybJobs jobs) {
        return new JobRunnerLifecycle(jobs);
    }
}
