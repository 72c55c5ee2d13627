package dev.ayb.matviews.servlet.reliability;

import dev.ayb.matviews.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fingerprint of everything a request could change: the sentinel table's rows (the testkit's
 * {@code SampleSchema.createSentinel}), the set of relations, and the library's registrations, history, schedules
 * and jobs. Equal fingerprints before and after a run of refused requests mean nothing was changed, and nothing
 * created or dropped.
 */
final class DatabaseState {
    private static final String[] PARTS = {
        "SELECT count(*) || ':' || coalesce(md5(string_agg(id || '=' || note, ',' ORDER BY id)), '') FROM sentinel",
        "SELECT count(*) || ':' || md5(string_agg(c.oid::text || c.relname || c.relkind::text, ',' ORDER BY c.oid))"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
        "SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, ',' ORDER BY r.id)), '')"
                + " FROM ayb.matview_registrations r",
        "SELECT count(*) || ':' || coalesce(md5(string_agg(h::text, ',' ORDER BY h.id)), '')"
                + " FROM ayb.matview_refresh_runs h",
        "SELECT count(*) || ':' || coalesce(md5(string_agg(s::text, ',' ORDER BY s.id)), '') FROM ayb.job_schedules s",
        "SELECT count(*) || ':' || coalesce(md5(string_agg(j::text, ',' ORDER BY j.id)), '') FROM ayb.jobs j",
        "SELECT count(*) FROM pg_roles",
    };

    private DatabaseState() {
    }

    /** Everything: the sentinel, the relations, the roles and every row of the library. */
    static String fingerprint(PostgresExtension pg) {
        return fingerprint(pg, PARTS);
    }

    /**
     * What no request may ever change, even a legitimate one: the sentinel's rows, the set of relations (a
     * refresh rewrites a view's data, not its identity) and the roles.
     */
    static String untouchable(PostgresExtension pg) {
        return fingerprint(pg, PARTS[0], PARTS[1], PARTS[PARTS.length - 1]);
    }

    private static String fingerprint(PostgresExtension pg, String... parts) {
        StringBuilder out = new StringBuilder();
        try (Connection connection = pg.connection(); Statement statement = connection.createStatement()) {
            for (String part : parts) {
                try (ResultSet row = statement.executeQuery(part)) {
                    row.next();
                    out.append(row.getString(1)).append('\n');
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
