package dev.ayb.matviews.spring.boot;

import dev.ayb.matviews.jdbc.AybMatviews;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code matviews} health indicator when Spring Boot's health support is present (Actuator brings it);
 * {@code management.health.matviews.enabled=false} turns it off.
 */
@AutoConfiguration(after = AybMatviewsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AybMatviews.class)
@ConditionalOnEnabledHealthIndicator("matviews")
public final class AybMatviewsHealthAutoConfiguration {
    /** The bean's name; the health contributor's name, {@code matviews}, is this without its suffix. */
    public static final String INDICATOR_BEAN_NAME = "matviewsHealthIndicator";

    @Bean(INDICATOR_BEAN_NAME)
    @ConditionalOnMissingBean(name = INDICATOR_BEAN_NAME)
    MatviewsHealthIndicator matviewsHealthIndicator(AybMatviews matviews) {
        return new MatviewsHealthIndicator(matviews.health());
    }
}
