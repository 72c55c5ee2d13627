package dev.ayb.matviews.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;

/**
 * An external program a test needs (a browser, a connection pooler) that the build does not download.
 *
 * <p>Missing on a CI machine ({@code CI=true}), the test fails: CI installs it, so its absence is a broken
 * build, not a reason to go green. Missing elsewhere, the test is aborted as an assumption, which Surefire counts
 * and prints as a skip. Call {@link #require()} from the test (or a {@code @BeforeEach}), never from
 * {@code @BeforeAll}: an assumption there skips the class before any test starts, and Surefire then reports
 * "Tests run: 0, Skipped: 0", a skip nobody sees.
 *
 * @param name        what to call it in messages, e.g. {@code pgbouncer}
 * @param executable  where the program must be
 * @param installHint the command that installs it, e.g. {@code apt-get install -y pgbouncer}
 */
public record RequiredTool(String name, Path executable, String installHint) {

    /** The environment variable CI services set to {@code true}. */
    public static final String CI_VARIABLE = "CI";

    public RequiredTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(installHint, "installHint");
    }

    /**
     * @return the executable, when it is there
     * @throws AssertionError under CI when it is missing
     * @throws org.opentest4j.TestAbortedException elsewhere when it is missing (a counted skip)
     */
    public Path require() {
        return require(System.getenv());
    }

    Path require(Map<String, String> environment) {
        if (Files.isExecutable(executable)) {
            return executable;
        }
        String missing = name + " is missing (" + executable + " is not an executable); install it with: "
                + installHint;
        if ("true".equalsIgnoreCase(environment.getOrDefault(CI_VARIABLE, "").strip())) {
            throw new AssertionError(missing + ". " + CI_VARIABLE + "=true, so the test fails instead of skipping.");
        }
        return Assumptions.abort(missing + ". Skipping the test (it would fail with " + CI_VARIABLE + "=true).");
    }
}
