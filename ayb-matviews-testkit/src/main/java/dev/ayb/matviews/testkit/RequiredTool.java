package dev.ayb.matviews.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/**
 * An executable a test needs that the build does not bring (a browser, a connection pooler), looked up on
 * the {@code PATH}. A test that needs a missing tool must never pass by not running: under CI ({@code CI=true}
 * in the environment, as CI services set it) it fails, so a CI machine that lost the tool breaks the build;
 * elsewhere it is skipped, and counted as skipped.
 *
 * <p>Call {@link #require()} from a {@code @BeforeEach} method or the test itself, never from {@code @BeforeAll}:
 * an assumption that fails in {@code @BeforeAll} skips the whole class without Surefire counting a single test
 * ("Tests run: 0, Skipped: 0"), which is how a skip goes unseen.
 */
public final class RequiredTool {
    private final String command;
    private final String install;
    private final Path path;
    private final boolean underCi;
    private final AtomicBoolean announced = new AtomicBoolean();

    private RequiredTool(String command, String install, Path path, boolean underCi) {
        this.command = command;
        this.install = install;
        this.path = path;
        this.underCi = underCi;
    }

    /**
     * Looks the command up on this process's {@code PATH} (nothing is downloaded).
     *
     * @param command the executable's file name, e.g. {@code chromium}
     * @param install how to install it, shown when it is missing, e.g. {@code apt-get install -y chromium}
     */
    public static RequiredTool onPath(String command, String install) {
        return onPath(command, install, System.getenv());
    }

    /** As {@link #onPath(String, String)}, with the environment given (its {@code PATH} and {@code CI}). */
    static RequiredTool onPath(String command, String install, Map<String, String> environment) {
        boolean underCi = "true".equalsIgnoreCase(environment.get("CI"));
        return new RequiredTool(command, install, search(command, environment.get("PATH")), underCi);
    }

    private static Path search(String command, String pathVariable) {
        if (pathVariable == null) {
            return null;
        }
        for (String directory : pathVariable.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(directory, command);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath();
                }
            } catch (InvalidPathException e) {
                // A PATH entry that is no path on this platform holds no tool; the next one may.
            }
        }
        return null;
    }

    /** The tool, if it is installed; for code that only decides whether to prepare something. */
    public Optional<Path> find() {
        return Optional.ofNullable(path);
    }

    /**
     * The tool's path. When it is missing: under CI an {@link AssertionError} fails the calling test; elsewhere
     * an assumption aborts it, which JUnit and Surefire report as a skipped test.
     */
    public Path require() {
        if (path != null) {
            return path;
        }
        String missing = command + " is not on the PATH; install it with: " + install;
        if (underCi) {
            throw new AssertionError("CI=true, so a test that needs a missing tool fails instead of being skipped: "
                    + missing);
        }
        if (announced.compareAndSet(false, true)) {
            String banner = "#".repeat(100);
            System.err.println(banner);
            System.err.println("## SKIPPING the tests that need " + command + ": " + missing);
            System.err.println("## (with CI=true in the environment they fail instead)");
            System.err.println(banner);
        }
        return Assumptions.abort("skipped: " + missing);
    }

    @Override
    public String toString() {
        return command + (path == null ? " (missing)" : " at " + path);
    }
}
