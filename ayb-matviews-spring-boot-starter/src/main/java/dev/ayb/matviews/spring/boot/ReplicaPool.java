package dev.ayb.matviews.spring.boot;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.collections.ReadReplica;

/**
 * The connection pool to the replica of {@code ayb.matviews.replica.*}, closed with the application context.
 * Not a {@code DataSource} bean: a second one would leave the application's own JDBC auto-configuration
 * unable to choose.
 */
final class ReplicaPool implements AutoCloseable {
    private final HikariDataSource pool;
    private final AybMatviewsProperties.Replica properties;

    ReplicaPool(AybMatviewsProperties.Replica properties) {
        this.properties = properties;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(properties.getUrl());
        config.setUsername(properties.getUsername());
        config.setPassword(properties.getPassword());
        config.setMaximumPoolSize(properties.getMaxPoolSize());
        config.setConnectionTimeout(properties.getConnectionTimeout().toMillis());
        // The application starts while its replica is down: reads fall back until it is back.
        config.setInitializationFailTimeout(-1);
        config.setPoolName("ayb-matviews-replica");
        this.pool = new HikariDataSource(config);
    }

    ReadReplica readReplica() {
        return ReadReplica.of(pool).withMaxLag(properties.getMaxLag()).withFallback(properties.getFallback())
                .withRetryAfter(properties.getRetryAfter());
    }

    @Override
    public void close() {
        pool.close();
    }
}
