package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged tool as an operator runs it: {@code java -jar ayb.jar}, a separate JVM with its own
 * exit status, stdout and stderr. Runs in the integration-test phase, after the jar is built; the build
 * passes its path in the {@code ayb.jar} system property.
 */
class AybJarIT {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private Path jar;

    @BeforeEach
    void seed() {
        String location = System.getProperty("ayb.jar");
        assumeTrue(location != null, "run by Maven's failsafe plugin, which passes -Dayb.jar");
        jar = Path.of(location);
        assertThat(jar).as("the packaged tool").isRegularFile();
        SampleSchema.create(PG);
    }

    @Test
    void theJarListsTheViewsWithOnlyTheTableOnStdout() throws Exception {
        Finished register = run(javaJar("matviews", "register", "--view", "leaderboard"));
        assertThat(register.exitCode()).as(register.toString()).isZero();

        Finished list = run(javaJar("matviews", "list"));

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out().lines()).hasSize(2);
        assertThat(list.out()).startsWith("ID ").contains("  public  leaderboard  standard  never");
        assertThat(list.err()).as("library and pool logs stay quiet").isEmpty();
    }

    @Test
    void theJarsExitStatusTellsAFailureFromSuccess() throws Exception {
        Finished notFound = run(javaJar("matviews", "refresh", "public.leaderboard"));
        Finished usage = run(javaJar("matviews", "register"));

        assertThat(notFound.exitCode()).isEqualTo(4);
        assertThat(notFound.out()).isEmpty();
        assertThat(notFound.err()).isEqualTo("Error: matview registration not found\n");
        assertThat(usage.exitCode()).isEqualTo(2);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void theLauncherScriptBesideTheJarRunsIt() throws Exception {
        Path launcher = jar.resolveSibling("ayb");
        assertThat(Files.isExecutable(launcher)).as(launcher + " is executable").isTrue();

        Finished help = run(List.of(launcher.toString(), "--help"));
        Finished list = run(List.of(launcher.toString(), "matviews", "list"));

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: ayb ");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).isEqualTo("No materialized views registered.\n");
    }

    private List<String> javaJar(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Finished run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ayb-out", ".txt");
        Path err = Files.createTempFile("ayb-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Map<String, String> environment = builder.environment();
            environment.put("AYB_DATABASE_URL", PG.jdbcUrl());
            environment.put("AYB_DATABASE_USER", PG.user());
            environment.put("AYB_DATABASE_PASSWORD", PG.password());
            environment.put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Finished(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private record Finished(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }
}
