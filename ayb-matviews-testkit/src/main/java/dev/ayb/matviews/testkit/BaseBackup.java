package dev.ayb.matviews.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * A copy of a running embedded server's data directory that a standby can start from: the files are copied
 * between {@code pg_backup_start} and {@code pg_backup_stop}, and the label the latter returns is written as
 * {@code backup_label}, which tells the standby from which checkpoint to replay.
 *
 * <p>The zonky distribution ships {@code initdb}, {@code pg_ctl} and {@code postgres} only, no
 * {@code pg_basebackup}; copying the files ourselves is the low-level backup API PostgreSQL documents for exactly
 * this. What is left out follows {@code pg_basebackup}: WAL (the standby streams it), replication slots, and
 * files that only mean something to the running server.
 */
final class BaseBackup {

    /** Directories kept, empty: their contents are rebuilt or meaningless in a copy. */
    private static final Set<String> EMPTIED_DIRECTORIES = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp",
            "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");
    /** Files of the running server (and this testkit's log), never copied. */
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "postgresql.auto.conf.tmp", "current_logfiles", "current_logfiles.tmp",
            "pg_internal.init", "standby.signal", "recovery.signal", EmbeddedPostgres.LOG_FILE_NAME);

    private BaseBackup() {
    }

    /**
     * Copies {@code primary}'s cluster into {@code target} (an empty directory).
     *
     * @param connection a superuser connection to {@code primary}, held for the whole backup: PostgreSQL ends
     *                   a backup whose session ends
     */
    static void copy(Connection connection, Path source, Path target) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // Fast: a checkpoint at once rather than spread out; the copy is small.
            statement.execute("SELECT pg_backup_start('ayb-matviews-testkit replica', true)");
        }
        boolean stopped = false;
        try {
            copyTree(source, target);
            String label;
            try (PreparedStatement stop = connection.prepareStatement("SELECT labelfile FROM pg_backup_stop(false)");
                    ResultSet row = stop.executeQuery()) {
                row.next();
                label = row.getString(1);
            }
            stopped = true;
            Files.writeString(target.resolve("backup_label"), label, StandardCharsets.UTF_8);
            Files.createDirectories(target.resolve("pg_wal").resolve("archive_status"));
            Files.createDirectories(target.resolve("pg_wal").resolve("summaries"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not copy " + source + " to " + target, e);
        } finally {
            if (!stopped) {
                abandon(connection);
            }
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
                    throws IOException {
                Files.createDirectories(target.resolve(source.relativize(directory)));
                boolean emptied = !directory.equals(source)
                        && EMPTIED_DIRECTORIES.contains(source.relativize(directory).toString());
                return emptied ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String name = file.getFileName().toString();
                if (SKIPPED_FILES.contains(name) || name.startsWith("pgsql_tmp")) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, target.resolve(source.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES,
                            LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException goneMeanwhile) {
                    // Dropped while we copied (a table, another test's database): the replayed WAL drops it too.
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }
        });
    }

    /** A failed copy must not leave the primary in backup mode; the original failure is what matters. */
    private static void abandon(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_backup_stop(false)");
        } catch (SQLException ignored) {
            // Closing the session ends the backup anyway.
        }
    }
}
