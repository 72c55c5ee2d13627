package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.SortKey;
import dev.ayb.matviews.collections.ValueKind;
import dev.ayb.matviews.jdbc.support.CatalogSql;
import dev.ayb.matviews.jdbc.support.RegistrationJoin;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Describes a materialized view in one query: whether it exists as one ({@code relkind = 'm'}: tables and
 * plain views are not served), whether it is populated, its columns and types, its usable unique index, and
 * its registration. Schema and name are bind values; nothing of the request is in the text.
 *
 * <p>A read does not run it: the shape is remembered per view ({@link ShapeCache}) and each read checks it
 * with the {@link ShapeFingerprint} this query also returns. It runs when a view is first read, and again
 * when a read finds the shape changed, or fails in a way a changed shape could explain.
 *
 * <p>It runs as a {@link ReadStatement}, after the read settings, in one round trip.
 */
public final class ViewCatalog {
    private final String sql;

    /** @param registrations where the library keeps its registrations (its schema is configurable) */
    public ViewCatalog(RegistrationJoin registrations) {
        this.sql = sql(registrations);
    }

    /**
     * The unique index is chosen by PostgreSQL's rule for REFRESH CONCURRENTLY
     * ({@link CatalogSql#USABLE_UNIQUE_INDEXES}, the rule the refresh checks too). When several qualify, the
     * one with fewest key columns, then by name, so the choice is stable. INCLUDE columns are not part of the
     * key.
     *
     * <p>The cast type is the base type (below any domains) without a modifier, written by
     * {@code format_type(oid, -1)}: that spelling keeps the modifier unset where the SQL name alone would set
     * one ({@code bpchar}, not {@code character}, which means {@code character(1)}; {@code "bit"}, not
     * {@code bit(1)}). So a request value is read as PostgreSQL reads an untyped literal compared with the
     * column ({@code col = 'x'}): never cut to a length, rounded to a scale, or checked against a domain's
     * constraint (which would make a comparison with an out-of-domain value an error instead of false).
     *
     */
    private static String sql(RegistrationJoin registrations) {
        return "SELECT"
                + " c.oid, c.relfilenode, " + CatalogSql.POPULATED + ", " + ShapeFingerprint.of() + " AS shape,"
                + " a.attname, pg_catalog.format_type(bt.oid, -1) AS cast_type,"
                + " bt.typname AS type_name, bt.typcategory AS type_category,"
                + " k.ord AS key_position, k.descending AS key_descending, r.*"
                + " FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                // At most one registration (by the registrations table's unique key), repeated on every row.
                + " LEFT JOIN LATERAL " + registrations.lateralSubquery("n.nspname", "c.relname") + " r ON true"
                + " LEFT JOIN LATERAL (SELECT i.indkey, i.indoption, i.indnkeyatts"
                + CatalogSql.USABLE_UNIQUE_INDEXES
                + "   ORDER BY i.indnkeyatts, ic.relname LIMIT 1) u ON true"
                // A view without columns still returns its one row.
                + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                // The base type: a domain's, followed down through domains over domains.
                + " LEFT JOIN LATERAL (WITH RECURSIVE chain AS ("
                + "   SELECT t.oid, t.typtype, t.typbasetype FROM pg_catalog.pg_type t WHERE t.oid = a.atttypid"
                + "   UNION ALL SELECT d.oid, d.typtype, d.typbasetype FROM chain"
                + "   JOIN pg_catalog.pg_type d ON d.oid = chain.typbasetype WHERE chain.typtype = 'd')"
                + "   SELECT b.oid, b.typname, b.typcategory FROM chain"
                + "   JOIN pg_catalog.pg_type b ON b.oid = chain.oid WHERE chain.typtype <> 'd') bt ON true"
                + " LEFT JOIN LATERAL (SELECT ik.ord, (u.indoption[ik.ord - 1] & 1) = 1 AS descending"
                + "   FROM unnest(u.indkey::int2[]) WITH ORDINALITY AS ik(attnum, ord)"
                + "   WHERE ik.attnum = a.attnum AND ik.ord <= u.indnkeyatts) k ON true"
                + " WHERE " + CatalogSql.IS_MATVIEW + " AND n.nspname = ";
    }

    /** @return empty when there is no materialized view of that name */
    public Optional<DescribedView> describe(ReadStatement source, QualifiedName view) throws SQLException {
        Sql query = new Sql().append(sql).bind(view.schema()).append(" AND c.relname = ").bind(view.view())
                .append(" ORDER BY a.attnum");
        return source.run(query, row -> read(view, row));
    }

    private static Optional<DescribedView> read(QualifiedName view, ResultSet row) throws SQLException {
        if (!row.next()) {
            return Optional.empty();
        }
        Registration registration = RegistrationJoin.read(row).orElse(null);
        long oid = row.getLong("oid");
        long relfilenode = row.getLong("relfilenode");
        boolean populated = row.getBoolean("populated");
        String fingerprint = row.getString("shape");
        List<CollectionColumn> columns = new ArrayList<>();
        TreeMap<Integer, SortKey> key = new TreeMap<>();
        boolean keyAddressable = true;
        do {
            String name = row.getString("attname");
            if (name == null) {
                continue;
            }
            int keyPosition = row.getInt("key_position");
            boolean inKey = !row.wasNull();
            if (!IdentifierValidator.isValid(name)) {
                keyAddressable &= !inKey;
                continue;
            }
            CollectionColumn column = new CollectionColumn(name, row.getString("cast_type"),
                    ValueKind.of(row.getString("type_name"), row.getString("type_category")));
            columns.add(column);
            if (inKey) {
                key.put(keyPosition, new SortKey(column, row.getBoolean("key_descending")));
            }
        } while (row.next());
        List<SortKey> uniqueKey = keyAddressable ? List.copyOf(key.values()) : List.of();
        return Optional.of(new DescribedView(new CollectionView(view, oid, relfilenode, populated, columns, uniqueKey),
                registration, fingerprint));
    }
}
