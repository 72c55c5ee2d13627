package dev.ayb.matviews.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one external command to completion and hands back its exit code and combined output. */
final class ProcessRunner {

    /** What a finished command left behind. */
    record Result(List<String> command, int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }

        String describe() {
            return String.join(" ", command) + " exited with " + exitCode
                    + (output.isBlank() ? "" : ":\n" + output.strip());
        }
    }

    private ProcessRunner() {
    }

    /**
     * Output goes to a file, not a pipe: {@code pg_ctl start} leaves a daemon behind, and a daemon that inherited a
     * pipe would keep it open, so reading the pipe to its end would hang until the server stops.
     */
    static Result run(List<String> command, Path workingDirectory, Duration timeout) {
        Path outputFile = null;
        try {
            outputFile = Files.createTempFile("ayb-postgres-command", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            scrubEnvironment(builder.environment());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + ":\n" + Files.readString(outputFile, Charset.defaultCharset()).strip());
            }
            return new Result(List.copyOf(command), process.exitValue(),
                    Files.readString(outputFile, Charset.defaultCharset()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(outputFile);
        }
    }

    /**
     * A caller's PGDATA, PGPORT and friends must not redirect our commands to another server; C messages keep the
     * logs we show in exceptions readable whatever the machine's locale.
     */
    static void scrubEnvironment(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.startsWith("PG"));
        environment.put("LC_ALL", "C");
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temp file is harmless and must not hide the command's own outcome.
        }
    }
}
