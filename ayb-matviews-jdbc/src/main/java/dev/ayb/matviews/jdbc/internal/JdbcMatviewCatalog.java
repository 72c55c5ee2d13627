package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.spi.MatviewCatalog;
import dev.ayb.matviews.spi.ViewState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads materialized views from {@code pg_class}; never changes anything. */
public final class JdbcMatviewCatalog implements MatviewCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcMatviewCatalog.class);
    private static final String COLUMNS = "SELECT n.nspname, c.relname, c.relispopulated, "
            + CatalogSql.HAS_USABLE_UNIQUE_INDEX + " AS usable_index";

    private final DataSource dataSource;

    public JdbcMatviewCatalog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<ViewState> describe(QualifiedName name) {
        String sql = COLUMNS + CatalogSql.MATVIEW_FROM + " AND n.nspname = ? AND c.relname = ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name.schema());
            statement.setString(2, name.view());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(new ViewState(name, row.getBoolean(3), row.getBoolean(4)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw PgErrors.database("reading the catalog for " + name, e);
        }
    }

    @Override
    public List<ViewState> listMaterializedViews() {
        String sql = COLUMNS + CatalogSql.MATVIEW_FROM
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
                + " ORDER BY n.nspname, c.relname";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
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
        } catch (SQLException e) {
            throw PgErrors.database("listing materialized views", e);
        }
    }
}
