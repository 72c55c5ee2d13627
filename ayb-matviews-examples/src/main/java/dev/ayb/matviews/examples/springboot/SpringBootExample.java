package dev.ayb.matviews.examples.springboot;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.examples.SampleDatabase;
import dev.ayb.matviews.testkit.EmbeddedPostgres;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * A Spring Boot application with the starter and nothing else of the library's: {@code spring-boot-example.properties}
 * sets the admin token and exposes Actuator's health and metrics; the starter does the rest (the library from the
 * data source, the admin API and dashboard, the {@code matviews} health indicator, the meters). Only the database is
 * the example's own: an embedded PostgreSQL with the sample schema, as the other examples use, handed to Spring as
 * the {@code spring.datasource.*} properties.
 */
@SpringBootApplication
public class SpringBootExample {

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = start(args);
        System.out.println("Admin API: http://localhost:" + port(context) + "/api/admin/matviews");
        System.out.println("Health: http://localhost:" + port(context) + "/actuator/health");
        System.out.println("Ready");
    }

    /** Starts the database and the application; closing the context stops both. */
    public static ConfigurableApplicationContext start(String... args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.startTemporary();
        try (HikariDataSource pool = SampleDatabase.pool(postgres)) {
            SampleDatabase.create(pool, 100);
        }
        SpringApplication application = new SpringApplication(SpringBootExample.class);
        application.setDefaultProperties(Map.of(
                "spring.config.name", "spring-boot-example",
                "spring.datasource.url", postgres.jdbcUrl(),
                "spring.datasource.username", postgres.user(),
                "spring.datasource.password", postgres.password()));
        // A bean of the context, so it is closed with it, and after the pool (it is created before it).
        application.addInitializers(context -> ((GenericApplicationContext) context)
                .registerBean("embeddedPostgres", EmbeddedPostgres.class, () -> postgres));
        return application.run(args);
    }

    /** The port the application serves on (the configured one, or the one picked for {@code server.port=0}). */
    public static int port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
