package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.jdbc.support.LibrarySchema;

import dev.ayb.matviews.jdbc.support.PgErrors;

import dev.ayb.matviews.jdbc.support.Connections;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.RegistrationPage;
import dev.ayb.matviews.RegistrationQuery;
import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.spi.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Registrations and run history in the library's tables; one borrowed connection per call. */
public final class JdbcRegistrationStore implements RegistrationStore {
    private final DataSource dataSource;
    private final LibrarySchema schema;
    private final RunRecorder recorder;
    private final RegistrationPageQuery pages;

    public JdbcRegistrationStore(DataSource dataSource, LibrarySchema schema, int historyRetention) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.recorder = new RunRecorder(schema, historyRetention);
        this.pages = new RegistrationPageQuery(schema);
    }

    RunRecorder recorder() {
        return recorder;
    }

    LibrarySchema schema() {
        return schema;
    }

    @Override
    public Registration insert(Registration r) {
        String sql = "INSERT INTO " + schema.registrations() + " (" + Rows.REGISTRATION_COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + Rows.REGISTRATION_COLUMNS;
        try {
            return Connections.withConnection(dataSource, connection -> insert(connection, sql, r));
        } catch (SQLException e) {
            if (PgErrors.isUniqueViolation(e)) {
                throw new MatviewException(ErrorCode.ALREADY_REGISTERED, ErrorCode.ALREADY_REGISTERED.defaultMessage(),
                        r.qualifiedName(), e.getSQLState(), e);
            }
            throw PgErrors.database("registering " + r.qualifiedName(), e);
        }
    }

    private static Registration insert(Connection connection, String sql, Registration r) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, r.id());
            statement.setString(2, r.schemaName());
            statement.setString(3, r.viewName());
            statement.setString(4, r.refreshMode().wireName());
            Rows.setMillis(statement, 5, r.timeouts().lockTimeout());
            Rows.setMillis(statement, 6, r.timeouts().statementTimeout());
            statement.setBoolean(7, r.changeTracking());
            Rows.setInstant(statement, 8, r.lastRefreshAt());
            if (r.lastRefreshDurationMs() == null) {
                statement.setNull(9, java.sql.Types.BIGINT);
            } else {
                statement.setLong(9, r.lastRefreshDurationMs());
            }
            statement.setString(10, r.lastRefreshStatus() == null ? null : r.lastRefreshStatus().wireName());
            statement.setString(11, r.lastRefreshError());
            Rows.setInstant(statement, 12, r.lastSuccessAt());
            Rows.setInstant(statement, 13, r.createdAt());
            Rows.setInstant(statement, 14, r.updatedAt());
            if (r.targetLagMs() == null) {
                statement.setNull(15, java.sql.Types.BIGINT);
            } else {
                statement.setLong(15, r.targetLagMs());
            }
            Rows.setInstant(statement, 16, r.nextRefreshAt());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return Rows.registration(row);
            }
        }
    }

    @Override
    public Optional<Registration> findById(UUID id) {
        return queryOne("SELECT " + Rows.REGISTRATION_COLUMNS + " FROM " + schema.registrations() + " WHERE id = ?",
                statement -> statement.setObject(1, id));
    }

    @Override
    public Optional<Registration> findByName(QualifiedName name) {
        return queryOne("SELECT " + Rows.REGISTRATION_COLUMNS + " FROM " + schema.registrations()
                + " WHERE schema_name = ? AND view_name = ?", statement -> {
                    statement.setString(1, name.schema());
                    statement.setString(2, name.view());
                });
    }

    @Override
    public List<Registration> findAll() {
        // COLLATE "C": byte order, the same in every database whatever its locale, and the same as Java's.
        String sql = "SELECT " + Rows.REGISTRATION_COLUMNS + " FROM " + schema.registrations()
                + " ORDER BY schema_name COLLATE \"C\", view_name COLLATE \"C\"";
        try {
            return Connections.withConnection(dataSource, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql);
                     ResultSet rows = statement.executeQuery()) {
                    List<Registration> registrations = new ArrayList<>();
                    while (rows.next()) {
                        registrations.add(Rows.registration(rows));
                    }
                    return registrations;
                }
            });
        } catch (SQLException e) {
            throw PgErrors.database("listing registrations", e);
        }
    }

    @Override
    public RegistrationPage findPage(RegistrationQuery query) {
        try {
            return Connections.withConnection(dataSource, connection -> pages.read(connection, query));
        } catch (SQLException e) {
            throw PgErrors.database("listing registrations", e);
        }
    }

    @Override
    public Optional<Registration> update(UUID id, RefreshMode mode, RefreshTimeouts timeouts, Instant updatedAt) {
        return queryOne("UPDATE " + schema.registrations() + " SET refresh_mode = ?, lock_timeout_ms = ?,"
                + " statement_timeout_ms = ?, updated_at = ? WHERE id = ? RETURNING " + Rows.REGISTRATION_COLUMNS,
                statement -> {
                    statement.setString(1, mode.wireName());
                    Rows.setMillis(statement, 2, timeouts.lockTimeout());
                    Rows.setMillis(statement, 3, timeouts.statementTimeout());
                    Rows.setInstant(statement, 4, updatedAt);
                    statement.setObject(5, id);
                });
    }

    @Override
    public Optional<Registration> updateTargetLag(UUID id, Long targetLagMs, Instant updatedAt) {
        return queryOne("UPDATE " + schema.registrations() + " SET target_lag_ms = ?, next_refresh_at = NULL,"
                + " updated_at = ? WHERE id = ? RETURNING " + Rows.REGISTRATION_COLUMNS, statement -> {
                    if (targetLagMs == null) {
                        statement.setNull(1, java.sql.Types.BIGINT);
                    } else {
                        statement.setLong(1, targetLagMs);
                    }
                    Rows.setInstant(statement, 2, updatedAt);
                    statement.setObject(3, id);
                });
    }

    @Override
    public boolean delete(UUID id) {
        try {
            return Connections.withConnection(dataSource, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "DELETE FROM " + schema.registrations() + " WHERE id = ?")) {
                    statement.setObject(1, id);
                    return statement.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw PgErrors.database("unregistering " + id, e);
        }
    }

    @Override
    public RecordedRun recordRun(RunRecord run) {
        return recordOnItsOwnConnection(run, false);
    }

    @Override
    public RecordedRun recordLateRun(RunRecord run) {
        return recordOnItsOwnConnection(run, true);
    }

    /** Both records outside a refresh session take this one path, so they borrow and write alike. */
    private RecordedRun recordOnItsOwnConnection(RunRecord run, boolean late) {
        try {
            return Connections.withConnection(dataSource, connection -> recorder.record(connection, run, late, null));
        } catch (SQLException e) {
            throw PgErrors.database("recording the refresh of " + run.view(), e);
        }
    }

    @Override
    public List<RefreshRun> history(UUID registrationId, int limit) {
        String sql = "SELECT " + Rows.RUN_COLUMNS + " FROM " + schema.runs()
                + " WHERE registration_id = ? ORDER BY id DESC LIMIT ?";
        try {
            return Connections.withConnection(dataSource, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setObject(1, registrationId);
                    statement.setInt(2, limit);
                    try (ResultSet rows = statement.executeQuery()) {
                        List<RefreshRun> runs = new ArrayList<>();
                        while (rows.next()) {
                            runs.add(Rows.run(rows));
                        }
                        return runs;
                    }
                }
            });
        } catch (SQLException e) {
            throw PgErrors.database("reading refresh history", e);
        }
    }

    /** One statement returning at most one registration: a read, or an update with RETURNING. */
    private Optional<Registration> queryOne(String sql, Binder binder) {
        try {
            return Connections.withConnection(dataSource, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    binder.bind(statement);
                    try (ResultSet row = statement.executeQuery()) {
                        return row.next() ? Optional.of(Rows.registration(row)) : Optional.empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw PgErrors.database("reading registrations", e);
        }
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}
