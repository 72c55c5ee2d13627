package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.jdbc.support.CatalogSql;

import dev.ayb.matviews.jdbc.support.PgErrors;

import dev.ayb.matviews.jdbc.support.Connections;

import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.spi.MatviewCatalog;
import dev.ayb.matviews.spi.ViewState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads materialized views from {@code pg_class}; never changes anything. */
public final class JdbcMatviewCatalog implements MatviewCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcMatviewCatalog.class);
    private static final String COLUMNS = "SELECT n.nspname, c.relname, " + CatalogSql.POPULATED + ", "
            + CatalogSql.HAS_USABLE_UNIQUE_INDEX + " AS usable_index";

    private final DataSource dataSource;

    public JdbcMatviewCatalog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<ViewState> describe(QualifiedName name) {
        String sql = COLUMNS + CatalogSql.MATVIEW_FROM + " AND n.nspname = ? AND c.relname = ?";
        try {
            return Connections.withConnection(dataSource, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, name.schema());
                    statement.setString(2, name.view());
                    try (ResultSet row = statement.executeQuery()) {
                        return row.next() ? Optional.of(new ViewState(name, row.getBoolean(3), row.getBoolean(4)))
                                : Optional.empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw PgErrors.database("reading the catalog for " + name, e);
        }
    }

    /**
     * Edges come from the rewrite rules of views and materialized views ({@code pg_rewrite}) and what those
     * rules depend on ({@code pg_depend}); plain views are then walked through in Java, with a visited set.
     */
    @Override
    public Map<QualifiedName, Set<QualifiedName>> materializedViewDependencies() {
        String sql = "SELECT DISTINCT r.ev_class AS dependent, d.refobjid AS dependency"
                + " FROM pg_catalog.pg_depend d"
                + " JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid"
                + " JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid"
                + " WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass"
                + " AND d.refclassid = 'pg_catalog.pg_class'::regclass"
                + " AND d.refobjid <> r.ev_class AND rc.relkind IN ('m', 'v')";
        String nodes = "SELECT c.oid, n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('m', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema')";
        Map<Long, Set<Long>> readsFrom = new HashMap<>();
        Map<Long, ViewNode> views = new HashMap<>();
        try {
            Connections.withConnection(dataSource, connection -> {
                try (Statement statement = connection.createStatement()) {
                    try (ResultSet rows = statement.executeQuery(nodes)) {
                        while (rows.next()) {
                            views.put(rows.getLong(1), new ViewNode(rows.getString(2), rows.getString(3),
                                    "m".equals(rows.getString(4))));
                        }
                    }
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        while (rows.next()) {
                            readsFrom.computeIfAbsent(rows.getLong(1), k -> new HashSet<>()).add(rows.getLong(2));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw PgErrors.database("reading view dependencies", e);
        }
        Map<QualifiedName, Set<QualifiedName>> graph = new HashMap<>();
        views.forEach((oid, node) -> {
            if (node.materialized() && node.name() != null) {
                graph.put(node.name(), materializedSources(oid, readsFrom, views));
            }
        });
        return graph;
    }

    /** The materialized views a view reads, walking through plain views; never revisits a node. */
    private static Set<QualifiedName> materializedSources(long start, Map<Long, Set<Long>> readsFrom,
                                                          Map<Long, ViewNode> views) {
        Set<QualifiedName> sources = new TreeSet<>();
        Set<Long> seen = new HashSet<>();
        Deque<Long> todo = new ArrayDeque<>(readsFrom.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            long oid = todo.pop();
            ViewNode node = views.get(oid);
            if (oid == start || node == null || !seen.add(oid)) {
                continue;
            }
            if (node.materialized()) {
                if (node.name() != null) {
                    sources.add(node.name());
                }
            } else {
                todo.addAll(readsFrom.getOrDefault(oid, Set.of()));
            }
        }
        return sources;
    }

    /** A view or materialized view; its name is null when it is not a valid identifier pair. */
    private record ViewNode(@Nullable QualifiedName name, boolean materialized) {
        ViewNode(String schema, String view, boolean materialized) {
            this(IdentifierValidator.isValid(schema) && IdentifierValidator.isValid(view)
                    ? new QualifiedName(schema, view) : null, materialized);
        }
    }

    @Override
    public Map<QualifiedName, List<String>> dependants() {
        Map<QualifiedName, List<String>> dependants = new HashMap<>();
        try {
            Connections.withConnection(dataSource, connection -> {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery(ViewDependants.all())) {
                    while (rows.next()) {
                        String schema = rows.getString("view_schema");
                        String view = rows.getString("view_name");
                        if (IdentifierValidator.isValid(schema) && IdentifierValidator.isValid(view)) {
                            dependants.computeIfAbsent(new QualifiedName(schema, view), k -> new ArrayList<>())
                                    .add(rows.getString("dependant"));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw PgErrors.database("reading the views that depend on materialized views", e);
        }
        return dependants;
    }

    @Override
    public List<ViewState> listMaterializedViews() {
        String sql = COLUMNS + CatalogSql.MATVIEW_FROM
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
                + " ORDER BY n.nspname, c.relname";
        try {
            return Connections.withConnection(dataSource, connection -> listMaterializedViews(connection, sql));
        } catch (SQLException e) {
            throw PgErrors.database("listing materialized views", e);
        }
    }

    private static List<ViewState> listMaterializedViews(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            List<ViewState> views = new ArrayList<>();
            while (rows.next()) {
                String schema = rows.getString(1);
                String view = rows.getString(2);
                if (!IdentifierValidator.isValid(schema) || !IdentifierValidator.isValid(view)) {
                    // Such a view cannot be registered (its name could not be used safely), so it is not offered.
                    LOG.debug("Skipping materialized view with a name outside the identifier rule: {}.{}", schema, view);
                    continue;
                }
                views.add(new ViewState(new QualifiedName(schema, view), rows.getBoolean(3), rows.getBoolean(4)));
            }
            return views;
        }
    }
}
