package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.support.CatalogSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds, in the catalog, every relation a materialized view reads: through the rewrite rules of the view and of the
 * plain and materialized views it reads ({@code pg_rewrite}, {@code pg_depend}), and every partition or inheritance
 * child of a table it reads ({@code pg_inherits}), across schemas. Also finds what makes a view untrackable.
 *
 * <p>Functions are read from the rules' node trees rather than {@code pg_depend}, which does not record
 * dependencies on built-in objects: {@code now()} would go unseen. A function that is not immutable, or not built
 * in (it may read tables no trigger covers), makes the view untrackable; so do the SQL value keywords
 * ({@code CURRENT_DATE}, {@code CURRENT_USER}), foreign tables, sequences and system catalogs.
 */
final class SourceDiscovery {
    /** Object ids below this are the system's own (PostgreSQL's FirstNormalObjectId). */
    private static final int FIRST_NORMAL_OID = 16384;

    private static final String SQL = "WITH RECURSIVE rels(relid) AS ("
            + " SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE " + CatalogSql.IS_MATVIEW + " AND n.nspname = ? AND c.relname = ?"
            + " UNION"
            + " SELECT x.child FROM rels JOIN pg_catalog.pg_class c ON c.oid = rels.relid"
            + " CROSS JOIN LATERAL ("
            + " SELECT d.refobjid AS child FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_depend d"
            + " ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = rw.oid"
            + " AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
            + " WHERE rw.ev_class = c.oid AND d.refobjid <> c.oid"
            + " UNION ALL SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid) x)"
            + " SELECT c.oid, n.nspname, c.relname, c.relkind,"
            + " EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) AS is_child,"
            + " (SELECT pg_catalog.string_agg(DISTINCT p.oid::pg_catalog.regprocedure::text, ', ')"
            + " FROM pg_catalog.pg_rewrite rw CROSS JOIN LATERAL pg_catalog.regexp_matches(rw.ev_action::text,"
            + " ':(funcid|opfuncid|aggfnoid|winfnoid) (\\d+)', 'g') AS f(m)"
            + " JOIN pg_catalog.pg_proc p ON p.oid = f.m[2]::oid"
            + " WHERE rw.ev_class = c.oid AND (p.provolatile <> 'i'"
            + " OR p.pronamespace <> 'pg_catalog'::pg_catalog.regnamespace)) AS unsafe_functions,"
            + " EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite rw WHERE rw.ev_class = c.oid"
            + " AND rw.ev_action::text LIKE '%{SQLVALUEFUNCTION %') AS session_values,"
            + " (SELECT pg_catalog.string_agg(DISTINCT f.m[1]::oid::pg_catalog.regclass::text, ', ')"
            + " FROM pg_catalog.pg_rewrite rw CROSS JOIN LATERAL pg_catalog.regexp_matches(rw.ev_action::text,"
            + " ':relid (\\d+)', 'g') AS f(m)"
            + " WHERE rw.ev_class = c.oid AND f.m[1]::int8 BETWEEN 1 AND " + (FIRST_NORMAL_OID - 1) + ") AS catalogs"
            + " FROM rels JOIN pg_catalog.pg_class c ON c.oid = rels.relid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " ORDER BY c.oid";

    /** What the catalog says about a view: the relations it reads, and why it cannot be tracked, if so. */
    record Discovered(List<TrackedRelation> relations, @Nullable String reason) {
        List<TrackedRelation> tables() {
            return relations.stream().filter(TrackedRelation::carriesTrigger).toList();
        }
    }

    /** @return empty when the view is not a materialized view (any more) */
    Optional<Discovered> discover(Connection connection, QualifiedName view) throws SQLException {
        List<TrackedRelation> relations = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setString(1, view.schema());
            statement.setString(2, view.view());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String schema = rows.getString("nspname");
                    String name = rows.getString("relname");
                    boolean self = schema.equals(view.schema()) && name.equals(view.view());
                    String kind = kind(rows.getString("relkind"), rows.getBoolean("is_child"), self);
                    String shown = schema + "." + name;
                    if (kind == null) {
                        reason(rows.getString("relkind"), shown).ifPresent(reasons::add);
                        continue;
                    }
                    if (!kind.equals("self") && !kind.equals("view") && !kind.equals("matview")) {
                        if (schema.equals("pg_catalog") || schema.equals("information_schema")) {
                            reasons.add("reads system catalog " + shown);
                            continue;
                        }
                        if (!IdentifierValidator.isValid(schema) || !IdentifierValidator.isValid(name)) {
                            reasons.add("reads table " + shown + ", whose name is outside the identifiers the"
                                    + " library puts in DDL");
                            continue;
                        }
                    }
                    relations.add(new TrackedRelation(rows.getLong("oid"), schema, name, kind));
                    String functions = rows.getString("unsafe_functions");
                    if (functions != null) {
                        reasons.add(shown + " calls " + functions + ", which may read other tables or change over"
                                + " time (only immutable built-in functions can be tracked)");
                    }
                    if (rows.getBoolean("session_values")) {
                        reasons.add(shown + " uses a value that changes over time or by session (such as"
                                + " CURRENT_DATE or CURRENT_USER)");
                    }
                    String catalogs = rows.getString("catalogs");
                    if (catalogs != null) {
                        reasons.add(shown + " reads system catalog " + catalogs);
                    }
                }
            }
        }
        if (relations.stream().noneMatch(r -> r.kind().equals("self"))) {
            return Optional.empty();
        }
        return Optional.of(new Discovered(relations, reasons.isEmpty() ? null : String.join("; ", reasons)));
    }

    private static @Nullable String kind(String relkind, boolean child, boolean self) {
        return switch (relkind) {
            case "m" -> self ? "self" : "matview";
            case "v" -> "view";
            case "r", "p" -> child ? "partition" : "table";
            default -> null;
        };
    }

    /** Why a relation of another kind makes the view untrackable; empty for kinds no query reads rows from. */
    private static Optional<String> reason(String relkind, String shown) {
        return switch (relkind) {
            case "f" -> Optional.of("reads foreign table " + shown);
            case "S" -> Optional.of("reads sequence " + shown);
            default -> Optional.empty();
        };
    }
}
