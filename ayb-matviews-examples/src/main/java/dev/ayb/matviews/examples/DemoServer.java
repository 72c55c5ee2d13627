package dev.ayb.matviews.examples;

import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.ChangeCapture;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole feature on one command: an embedded PostgreSQL with the seed's sample data, the admin API,
 * the schedules and jobs API and the collections API on Jetty. Ctrl-C stops it cleanly.
 */
@Command(name = "ayb-matviews-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs ayb-matviews on an embedded PostgreSQL (or AYB_DATABASE_URL) with sample data.",
        footer = {"", "Every option can also come from the environment variable shown as its default."})
public final class DemoServer implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:AYB_PORT:-8090}", description = "HTTP port (default: ${DEFAULT-VALUE}; env AYB_PORT)")
    int port;

    @Option(names = "--data-dir", description = "Keep the embedded database here across runs (default: temporary)")
    Path dataDir;

    @Option(names = "--database-url", defaultValue = "${env:AYB_DATABASE_URL}",
            description = "JDBC URL of a real PostgreSQL instead of the embedded one (env AYB_DATABASE_URL)")
    String databaseUrl;

    @Option(names = "--database-user", defaultValue = "${env:AYB_DATABASE_USER}", description = "env AYB_DATABASE_USER")
    String databaseUser;

    @Option(names = "--database-password", defaultValue = "${env:AYB_DATABASE_PASSWORD}",
            description = "env AYB_DATABASE_PASSWORD", showDefaultValue = CommandLine.Help.Visibility.NEVER)
    String databasePassword;

    @Option(names = "--admin-token", defaultValue = "${env:AYB_ADMIN_TOKEN}",
            description = "Bearer token of the admin API (env AYB_ADMIN_TOKEN; default: random, printed at start)",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    String adminToken;

    @Option(names = "--jobs", negatable = true, defaultValue = "${env:AYB_JOBS_ENABLED:-true}", fallbackValue = "true",
            description = "Run scheduled jobs (default: ${DEFAULT-VALUE}; env AYB_JOBS_ENABLED)")
    boolean jobs;

    @Option(names = "--lock-mode", defaultValue = "${env:AYB_LOCK_MODE:-session}", converter = LockModeOption.class,
            description = "How a refresh holds its lock: session, or transaction behind PgBouncer in transaction"
                    + " pooling (default: ${DEFAULT-VALUE}; env AYB_LOCK_MODE)")
    AdvisoryLockMode lockMode;

    @Option(names = "--change-capture", defaultValue = "${env:AYB_CHANGE_CAPTURE:-triggers}",
            converter = ChangeCaptureOption.class,
            description = "How the writes of the leaderboard's tables are recorded: triggers, or wal (read from the"
                    + " write-ahead log; the embedded server allows it) (default: ${DEFAULT-VALUE}; env"
                    + " AYB_CHANGE_CAPTURE)")
    ChangeCapture changeCapture;

    public static void main(String[] args) {
        int exit = new CommandLine(new DemoServer()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws Exception {
        RunningDemo demo = RunningDemo.start(settings());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "ayb-demo-shutdown"));
        demo.printBanner(System.out);
        stopped.await();
        return 0;
    }

    /** What the options (and their environment variables) say, once picocli has parsed them. */
    DemoSettings settings() {
        return new DemoSettings(port, dataDir, databaseUrl, databaseUser, databasePassword, adminToken, jobs, lockMode,
                changeCapture);
    }
}
