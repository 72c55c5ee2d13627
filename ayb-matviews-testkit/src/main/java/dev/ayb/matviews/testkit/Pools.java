package dev.ayb.matviews.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Pools with settings a test needs and the extension does not offer; the caller closes them. */
public final class Pools {
    private Pools() {
    }

    /**
     * A pool on the extension's database whose every connection first runs {@code connectionInitSql}, e.g.
     * {@code SET ROLE reader} to act as a less privileged role.
     */
    public static HikariDataSource pool(PostgresExtension pg, int size, String connectionInitSql) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.jdbcUrl());
        config.setUsername(pg.user());
        config.setPassword(pg.password());
        config.setMaximumPoolSize(size);
        config.setConnectionInitSql(connectionInitSql);
        return new HikariDataSource(config);
    }
}
