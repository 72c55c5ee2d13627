package dev.ayb.matviews.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain and materialized views that read a materialized view directly, found through their rewrite rules'
 * dependencies. They are bound to the view's object id, which a swap refresh replaces: dropping the old object
 * would need {@code CASCADE} and take them with it, so the swap is refused while any exists. Discovery and the
 * swap ask the same question with the same SQL.
 */
final class ViewDependants {
    /**
     * {@code view_schema}, {@code view_name}, {@code dependant} ({@code schema.name}, as displayed, never placed in SQL), ordered by view
     * then dependant; restricted by whatever the caller appends to the WHERE clause (on {@code d.refobjid}).
     */
    static final String SQL = "SELECT DISTINCT vn.nspname AS view_schema, vc.relname AS view_name,"
            + " dn.nspname || '.' || dc.relname AS dependant"
            + " FROM pg_catalog.pg_depend d"
            + " JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid"
            + " JOIN pg_catalog.pg_class dc ON dc.oid = r.ev_class"
            + " JOIN pg_catalog.pg_namespace dn ON dn.oid = dc.relnamespace"
            + " JOIN pg_catalog.pg_class vc ON vc.oid = d.refobjid"
            + " JOIN pg_catalog.pg_namespace vn ON vn.oid = vc.relnamespace"
            + " WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass"
            + " AND d.refclassid = 'pg_catalog.pg_class'::regclass"
            + " AND vc.relkind = 'm' AND r.ev_class <> d.refobjid AND dc.relkind IN ('v', 'm')";
    private static final String ORDER = " ORDER BY 1, 2, 3";

    private ViewDependants() {
    }

    /** Of every materialized view: {@link #SQL} in full. */
    static String all() {
        return SQL + ORDER;
    }

    /** The dependants of one view, by object id. */
    static List<String> of(Connection connection, long viewOid) throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SQL + " AND d.refobjid = ?::oid" + ORDER)) {
            statement.setLong(1, viewOid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString("dependant"));
                }
            }
        }
        return found;
    }
}
