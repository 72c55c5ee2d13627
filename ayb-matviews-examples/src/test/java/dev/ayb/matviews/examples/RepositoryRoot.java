package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's top directory, for tests that read the files the build and the README are made of. */
final class RepositoryRoot {
    private RepositoryRoot() {
    }

    /** The nearest parent of the working directory that holds README.md and mvnw. */
    static Path find() {
        Path directory = Path.of("").toAbsolutePath();
        while (!Files.exists(directory.resolve("README.md")) || !Files.exists(directory.resolve("mvnw"))) {
            directory = directory.getParent();
            assertThat(directory).as("a parent directory with README.md and mvnw").isNotNull();
        }
        return directory;
    }
}
