package dev.ayb.matviews.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.testkit.PostgresExtension;

/** Pools with settings a test needs and the extension does not offer; the caller closes them. */
final class Pools {
    private Pools() {
    }

    static HikariDataSource pool(PostgresExtension pg, int size, String connectionInitSql) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.jdbcUrl());
        config.setUsername(pg.user());
        config.setPassword(pg.password());
        config.setMaximumPoolSize(size);
        config.setConnectionInitSql(connectionInitSql);
        return new HikariDataSource(config);
    }
}
