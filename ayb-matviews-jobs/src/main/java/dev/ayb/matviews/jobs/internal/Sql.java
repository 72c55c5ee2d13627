package dev.ayb.matviews.jobs.internal;

import dev.ayb.matviews.jdbc.support.Connections;
import dev.ayb.matviews.jdbc.support.PgErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One borrowed connection per statement, committed whatever the pool's autocommit setting (see
 * {@link Connections}), parameters always bound, SQLExceptions converted once.
 */
public final class Sql {
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;

    public Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    <T> List<T> query(String what, String sql, Binder binder, RowMapper<T> mapper) {
        try {
            return Connections.withConnection(dataSource, connection -> query(connection, sql, binder, mapper));
        } catch (SQLException e) {
            throw PgErrors.database(what, e);
        }
    }

    int update(String what, String sql, Binder binder) {
        try {
            return Connections.withConnection(dataSource, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    binder.bind(statement);
                    return statement.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw PgErrors.database(what, e);
        }
    }

    static <T> List<T> query(Connection connection, String sql, Binder binder, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        }
    }
}
