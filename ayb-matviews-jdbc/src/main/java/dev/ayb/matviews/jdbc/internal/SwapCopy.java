package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a swap refresh copies from the live view to the one it builds, as DDL. Every identifier and literal in it
 * comes from the catalog through {@code quote_ident}, {@code quote_literal} or {@code format('%I' / '%L')}, or is
 * one of the library's own validated names ({@link SwapNames}); nothing a caller typed reaches it.
 *
 * <p>Copied: the definition ({@code pg_get_viewdef}, read on the session that runs it, so its search path is the one
 * the text was written for) and the column names, the table access method, storage options, tablespace, the valid
 * indexes ({@code pg_get_indexdef}, with their own tablespaces, comments and the clustered mark), the owner, the
 * table and column privileges, and the comments on the view and its columns. Not copied: an invalid index (a failed
 * {@code CREATE INDEX CONCURRENTLY}, useless as it is), extended statistics, per-column statistics targets and
 * options, and security labels.
 */
final class SwapCopy {
    /**
     * One index of the live view.
     *
     * @param originalName its name, quoted, which the new index takes back in the switch
     * @param create       its {@code CREATE INDEX} on the new view, under {@link SwapNames#index}
     * @param followUp     what completes it: its tablespace, comment and clustered mark
     */
    record Index(String originalName, String temporaryName, String create, List<String> followUp) {
    }

    private static final String VIEW_SQL = "SELECT c.oid::int8 AS oid, pg_catalog.pg_get_viewdef(c.oid, true) AS def,"
            + " (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)"
            + " FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)"
            + " AS columns,"
            + " (SELECT pg_catalog.quote_ident(am.amname) FROM pg_catalog.pg_am am WHERE am.oid = c.relam) AS access_method,"
            + " (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(o.option_name) || ' = '"
            + " || pg_catalog.quote_literal(o.option_value), ', ') FROM pg_catalog.pg_options_to_table(c.reloptions) o)"
            + " AS options,"
            + " (SELECT pg_catalog.quote_ident(t.spcname) FROM pg_catalog.pg_tablespace t WHERE t.oid = c.reltablespace)"
            + " AS tablespace"
            + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind = 'm' AND n.nspname = ? AND c.relname = ?";

    /** The prefix pg_get_indexdef writes (ruleutils.c), rebuilt with quote_ident so it can be replaced exactly. */
    private static final String INDEX_SQL = "SELECT pg_catalog.pg_get_indexdef(i.indexrelid) AS def,"
            + " 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '"
            + " || pg_catalog.quote_ident(ic.relname) || ' ON ' || pg_catalog.quote_ident(n.nspname) || '.'"
            + " || pg_catalog.quote_ident(c.relname) || ' USING ' AS prefix,"
            + " 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' AS kind,"
            + " pg_catalog.quote_ident(ic.relname) AS name,"
            + " (SELECT pg_catalog.quote_ident(t.spcname) FROM pg_catalog.pg_tablespace t WHERE t.oid = ic.reltablespace)"
            + " AS tablespace,"
            + " pg_catalog.quote_literal(pg_catalog.obj_description(ic.oid, 'pg_class')) AS comment,"
            + " i.indisclustered AS clustered"
            + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
            + " JOIN pg_catalog.pg_class c ON c.oid = i.indrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE i.indrelid = ?::oid AND i.indisvalid ORDER BY ic.relname";

    /**
     * Owner, privileges and comments, read once the new view exists (parameters: its quoted name, the old view's
     * oid, the new one's). The privileges are only rewritten when the two differ (default privileges of the schema
     * may have given the new view grants the old one has not): every grantee of the new view loses all, then every
     * grant of the old one is made again. A NULL ACL means the owner's defaults, compared as such.
     */
    private static final String DRESSING_SQL = "WITH names AS (SELECT ?::text AS tmp, ?::oid AS old_oid, ?::oid AS new_oid),"
            + " acls AS (SELECT (SELECT COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner))"
            + " FROM pg_catalog.pg_class c WHERE c.oid = names.old_oid) AS old_acl,"
            + " (SELECT COALESCE(c.relacl, pg_catalog.acldefault('r', o.relowner))"
            + " FROM pg_catalog.pg_class c, pg_catalog.pg_class o WHERE c.oid = names.new_oid AND o.oid = names.old_oid)"
            + " AS new_acl FROM names),"
            + " grantee AS (SELECT r.oid, CASE WHEN r.oid = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(r.rolname) END"
            + " AS sql FROM (SELECT 0::oid AS oid, NULL::name AS rolname UNION ALL SELECT oid, rolname"
            + " FROM pg_catalog.pg_roles) r)"
            + " SELECT stmt FROM ("
            + " SELECT 1 AS step, 0 AS n, pg_catalog.format('ALTER MATERIALIZED VIEW %s OWNER TO %I', names.tmp,"
            + " pg_catalog.pg_get_userbyid(c.relowner)) AS stmt"
            + " FROM names JOIN pg_catalog.pg_class c ON c.oid = names.old_oid"
            + " UNION ALL SELECT 2, 0, pg_catalog.format('REVOKE ALL ON %s FROM %s CASCADE', names.tmp, g.sql)"
            + " FROM names CROSS JOIN acls CROSS JOIN (SELECT DISTINCT x.grantee"
            + " FROM acls a2 CROSS JOIN LATERAL pg_catalog.aclexplode(a2.new_acl) x) e"
            + " JOIN grantee g ON g.oid = e.grantee WHERE acls.old_acl IS DISTINCT FROM acls.new_acl"
            + " UNION ALL SELECT 3, 0, pg_catalog.format('GRANT %s ON %s TO %s%s', e.privilege_type, names.tmp, g.sql,"
            + " CASE WHEN e.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)"
            + " FROM names CROSS JOIN acls CROSS JOIN LATERAL pg_catalog.aclexplode(acls.old_acl) e"
            + " JOIN grantee g ON g.oid = e.grantee"
            + " WHERE acls.old_acl IS DISTINCT FROM acls.new_acl"
            + " UNION ALL SELECT 4, a.attnum, pg_catalog.format('GRANT %s (%I) ON %s TO %s%s', e.privilege_type,"
            + " a.attname, names.tmp, g.sql, CASE WHEN e.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)"
            + " FROM names JOIN pg_catalog.pg_attribute a ON a.attrelid = names.old_oid AND a.attacl IS NOT NULL"
            + " CROSS JOIN LATERAL pg_catalog.aclexplode(a.attacl) e JOIN grantee g ON g.oid = e.grantee"
            + " UNION ALL SELECT 5, d.objsubid, CASE WHEN d.objsubid = 0"
            + " THEN pg_catalog.format('COMMENT ON MATERIALIZED VIEW %s IS %L', names.tmp, d.description)"
            + " ELSE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', names.tmp, a.attname, d.description) END"
            + " FROM names JOIN pg_catalog.pg_description d ON d.objoid = names.old_oid"
            + " AND d.classoid = 'pg_catalog.pg_class'::regclass"
            + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid"
            + ") s ORDER BY step, n, stmt";

    private final long oid;
    private final String createView;
    private final List<Index> indexes;

    private SwapCopy(long oid, String createView, List<Index> indexes) {
        this.oid = oid;
        this.createView = createView;
        this.indexes = indexes;
    }

    /** The live view as the catalog describes it now, or empty when no materialized view has its name. */
    static Optional<SwapCopy> read(Connection connection, QualifiedName view, SwapNames names) throws SQLException {
        long oid;
        String create;
        try (PreparedStatement statement = connection.prepareStatement(VIEW_SQL)) {
            statement.setString(1, view.schema());
            statement.setString(2, view.view());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                oid = row.getLong("oid");
                create = "CREATE MATERIALIZED VIEW " + names.qualified(names.view()) + " (" + row.getString("columns")
                        + ") USING " + row.getString("access_method")
                        + optional(" WITH (", row.getString("options"), ")")
                        + optional(" TABLESPACE ", row.getString("tablespace"), "")
                        + " AS " + withoutSemicolon(row.getString("def")) + " WITH DATA";
            }
        }
        return Optional.of(new SwapCopy(oid, create, indexes(connection, view, oid, names)));
    }

    private static List<Index> indexes(Connection connection, QualifiedName view, long oid, SwapNames names)
            throws SQLException {
        List<Index> indexes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(INDEX_SQL)) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String def = rows.getString("def");
                    String prefix = rows.getString("prefix");
                    if (!def.startsWith(prefix)) {
                        throw new MatviewException(ErrorCode.REFRESH_FAILED, "swap of " + view
                                + " cannot copy index " + rows.getString("name") + ": unexpected definition " + def);
                    }
                    String temporaryName = names.index(indexes.size() + 1);
                    String temporary = names.qualified(temporaryName);
                    String create = rows.getString("kind") + IdentifierValidator.quote(temporaryName) + " ON "
                            + names.qualified(names.view()) + " USING " + def.substring(prefix.length());
                    List<String> followUp = new ArrayList<>();
                    String tablespace = rows.getString("tablespace");
                    if (tablespace != null) {
                        followUp.add("ALTER INDEX " + temporary + " SET TABLESPACE " + tablespace);
                    }
                    String comment = rows.getString("comment");
                    if (comment != null) {
                        followUp.add("COMMENT ON INDEX " + temporary + " IS " + comment);
                    }
                    if (rows.getBoolean("clustered")) {
                        followUp.add("ALTER MATERIALIZED VIEW " + names.qualified(names.view()) + " CLUSTER ON "
                                + IdentifierValidator.quote(temporaryName));
                    }
                    indexes.add(new Index(rows.getString("name"), temporary, create, followUp));
                }
            }
        }
        return indexes;
    }

    /** The live view's object id when it was read. */
    long oid() {
        return oid;
    }

    /** {@code CREATE MATERIALIZED VIEW ... WITH DATA}, then each index with what completes it. */
    List<String> build() {
        List<String> statements = new ArrayList<>(List.of(createView));
        for (Index index : indexes) {
            statements.add(index.create());
            statements.addAll(index.followUp());
        }
        return statements;
    }

    /** The owner, privileges and comments of the live view, for the new one (which must exist). */
    static List<String> dressing(Connection connection, String temporaryView, long oldOid, long newOid)
            throws SQLException {
        List<String> statements = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(DRESSING_SQL)) {
            statement.setString(1, temporaryView);
            statement.setLong(2, oldOid);
            statement.setLong(3, newOid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    statements.add(rows.getString(1));
                }
            }
        }
        return statements;
    }

    /** The switch's renames that give the indexes their names back (the old ones went with the old view). */
    List<String> indexRenames() {
        return indexes.stream().map(index -> "ALTER INDEX " + index.temporaryName() + " RENAME TO "
                + index.originalName()).toList();
    }

    private static String optional(String before, @Nullable String value, String after) {
        return value == null ? "" : before + value + after;
    }

    /** pg_get_viewdef ends its query with a semicolon, which cannot stand inside CREATE ... AS ... WITH DATA. */
    private static String withoutSemicolon(String definition) {
        String trimmed = definition.strip();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
