package dev.ayb.matviews.examples;

import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.ChangeCapture;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the demo server is started with.
 *
 * @param port        HTTP port; 0 picks a free one
 * @param dataDir     where the embedded PostgreSQL keeps its data; null for a temporary directory
 * @param databaseUrl a real PostgreSQL to use instead of the embedded one; null for embedded
 * @param adminToken  the bearer token of the admin API; null to generate one
 * @param jobsEnabled whether the demo runs a job runner ({@code AybJobs.Builder.jobsEnabled}); its schedules are
 *                    managed either way
 * @param lockMode    how refreshes hold their lock; {@code TRANSACTION} behind PgBouncer in transaction pooling
 * @param changeCapture how the writes of the leaderboard's tables are recorded; {@code WAL} needs
 *                    {@code wal_level = logical} (the embedded server has it)
 */
public record DemoSettings(int port, Path dataDir, String databaseUrl, String databaseUser, String databasePassword,
                           String adminToken, boolean jobsEnabled, AdvisoryLockMode lockMode,
                           ChangeCapture changeCapture) {

    public DemoSettings {
        Objects.requireNonNull(lockMode, "lockMode");
        Objects.requireNonNull(changeCapture, "changeCapture");
    }

    /** With triggers capturing the writes of tracked tables (the library's default). */
    public DemoSettings(int port, Path dataDir, String databaseUrl, String databaseUser, String databasePassword,
                        String adminToken, boolean jobsEnabled, AdvisoryLockMode lockMode) {
        this(port, dataDir, databaseUrl, databaseUser, databasePassword, adminToken, jobsEnabled, lockMode,
                ChangeCapture.TRIGGERS);
    }

    /** With the library's default lock mode, {@code SESSION}: a direct connection or session pooling. */
    public DemoSettings(int port, Path dataDir, String databaseUrl, String databaseUser, String databasePassword,
                        String adminToken, boolean jobsEnabled) {
        this(port, dataDir, databaseUrl, databaseUser, databasePassword, adminToken, jobsEnabled,
                AdvisoryLockMode.SESSION);
    }
}
