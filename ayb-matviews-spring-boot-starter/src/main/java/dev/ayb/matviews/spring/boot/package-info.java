/**
 * Spring Boot auto-configuration of the library: {@code AybMatviews} and {@code AybJobs} from the application's
 * data source, the job runner as a lifecycle bean, the admin servlet, the meters and the {@code matviews} health
 * indicator, each replaced by a bean of the application's own. Set with the {@code ayb.matviews.*} properties
 * ({@link dev.ayb.matviews.spring.boot.AybMatviewsProperties}).
 */
@NullMarked
package dev.ayb.matviews.spring.boot;

import org.jspecify.annotations.NullMarked;
