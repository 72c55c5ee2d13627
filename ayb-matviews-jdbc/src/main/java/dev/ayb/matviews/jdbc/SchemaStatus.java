package dev.ayb.matviews.jdbc;

import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.jdbc.internal.SchemaMigrator;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Which of the library's migrations a database has and which it still lacks, read from {@code schema_history}
 * without any lock or DDL, so a read-only role can ask. Operators' tools use it to say whether
 * {@code migrate(false)} will work before they try, and what {@code migrate(true)} would apply.
 *
 * @param applied the versions {@code schema_history} lists, oldest first, including any this library does not know
 * @param pending the versions this library ships that the database lacks, in the order they would be applied
 */
public record SchemaStatus(String schema, List<Version> applied, List<Version> pending) {
    public SchemaStatus {
        IdentifierValidator.validate(schema);
        applied = List.copyOf(applied);
        pending = List.copyOf(pending);
    }

    /**
     * One migration.
     *
     * @param installedAt when it was applied; null for a pending one
     */
    public record Version(int version, String description, @Nullable Instant installedAt) {
        public Version {
            Objects.requireNonNull(description, "description");
        }
    }

    /** Reads the status of the library's tables in {@code schema} (e.g. {@link AybMatviews#DEFAULT_SCHEMA}). */
    public static SchemaStatus read(DataSource dataSource, String schema) {
        return new SchemaMigrator(Objects.requireNonNull(dataSource, "dataSource"), new LibrarySchema(schema),
                AybMatviews.DEFAULT_LOCK_NAMESPACE).status();
    }

    /** Nothing to apply. */
    public boolean upToDate() {
        return pending.isEmpty();
    }

    /** The database was migrated by a newer version of the library, which this one refuses to use. */
    public boolean newerThanLibrary() {
        int newestKnown = SchemaMigrator.MIGRATIONS.get(SchemaMigrator.MIGRATIONS.size() - 1).version();
        return applied.stream().anyMatch(version -> version.version() > newestKnown);
    }
}
