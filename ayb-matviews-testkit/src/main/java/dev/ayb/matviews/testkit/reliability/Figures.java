package dev.ayb.matviews.testkit.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The reliability suite's figures: inputs tried, faults injected, operations checked, operations lost and
 * locks leaked, counted by the tests of one class and printed as one line when the class ends (and appended
 * to {@code target/reliability-figures.txt}), so the README can quote a real run. Test classes run one at a
 * time, so one set of counters serves them all.
 */
public final class Figures implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong FAULTS = new AtomicLong();
    private static final AtomicLong OPERATIONS = new AtomicLong();
    private static final AtomicLong LOST = new AtomicLong();
    private static final AtomicLong LEAKED = new AtomicLong();
    private static final AtomicLong DIRTY = new AtomicLong();

    /** Hostile or random values fed to the library. */
    public static void inputs(long count) {
        INPUTS.addAndGet(count);
    }

    /** Backends killed, servers stopped, workers abandoned, objects dropped under a running call. */
    public static void faults(long count) {
        FAULTS.addAndGet(count);
    }

    /** Calls made and checked (refreshes, jobs, admin calls). */
    public static void operations(long count) {
        OPERATIONS.addAndGet(count);
    }

    /** Calls never answered, jobs never completed, outcomes missing from the records. Expected: 0. */
    public static void lost(long count) {
        LOST.addAndGet(count);
    }

    /** Advisory locks of the library still held after a test. Expected: 0. */
    public static void leaked(long count) {
        LEAKED.addAndGet(count);
    }

    /** Pooled connections found carrying a setting, a role, a lock or an open transaction. Expected: 0. */
    public static void dirty(long count) {
        DIRTY.addAndGet(count);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        for (AtomicLong counter : new AtomicLong[] {INPUTS, FAULTS, OPERATIONS, LOST, LEAKED, DIRTY}) {
            counter.set(0);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String line = String.format("[reliability] %s: inputs tried %d, faults injected %d, operations %d,"
                        + " operations lost %d, locks leaked %d, dirty connections %d",
                context.getRequiredTestClass().getSimpleName(), INPUTS.get(), FAULTS.get(), OPERATIONS.get(),
                LOST.get(), LEAKED.get(), DIRTY.get());
        System.out.println(line);
        try {
            Path file = Path.of("target", "reliability-figures.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
