package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class RequiredToolTest {

    @TempDir
    Path directory;

    @Test
    void aMissingToolFailsTheTestUnderCi() {
        RequiredTool tool = new RequiredTool("frobnicator", directory.resolve("frobnicator"), "apt-get install frob");

        assertThatThrownBy(() -> tool.require(Map.of("CI", "true")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("frobnicator is missing")
                .hasMessageContaining("apt-get install frob");
    }

    @Test
    void aMissingToolSkipsTheTestElsewhere() {
        RequiredTool tool = new RequiredTool("frobnicator", directory.resolve("frobnicator"), "apt-get install frob");

        assertThatThrownBy(() -> tool.require(Map.of()))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install frob");
        assertThatThrownBy(() -> tool.require(Map.of("CI", "false")))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void aPresentToolIsHandedBackUnderCiAndElsewhere() throws IOException {
        Path executable = Files.createFile(directory.resolve("frobnicator"));
        executable.toFile().setExecutable(true);
        RequiredTool tool = new RequiredTool("frobnicator", executable, "apt-get install frob");

        assertThat(tool.require(Map.of("CI", "true"))).isEqualTo(executable);
        assertThat(tool.require(Map.of())).isEqualTo(executable);
    }
}
