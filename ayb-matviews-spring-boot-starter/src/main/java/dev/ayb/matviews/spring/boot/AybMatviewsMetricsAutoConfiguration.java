package dev.ayb.matviews.spring.boot;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.micrometer.JobMetrics;
import dev.ayb.matviews.micrometer.JobQueueMetrics;
import dev.ayb.matviews.micrometer.RefreshMetrics;
import dev.ayb.matviews.micrometer.ViewMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The library's meters when the application has a {@link MeterRegistry} (Actuator configures one). They are
 * {@code MeterBinder} beans, which Spring Boot binds to its registries; {@link RefreshMetrics} is also a refresh
 * listener and {@link JobMetrics} a job listener, which {@link AybMatviewsAutoConfiguration} hands to
 * {@code AybMatviews} and {@code AybJobs}.
 */
@AutoConfiguration(after = AybMatviewsAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, RefreshMetrics.class})
@ConditionalOnBean({MeterRegistry.class, AybMatviews.class})
public final class AybMatviewsMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RefreshMetrics aybRefreshMetrics() {
        return new RefreshMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    JobMetrics aybJobMetrics() {
        return new JobMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    ViewMetrics aybViewMetrics(AybMatviews matviews, AybMatviewsProperties properties) {
        return new ViewMetrics(matviews, properties.getMetrics().getCacheFor());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AybJobs.class)
    JobQueueMetrics aybJobQueueMetrics(AybJobs jobs, AybMatviewsProperties properties) {
        return new JobQueueMetrics(jobs, properties.getMetrics().getCacheFor());
    }
}
