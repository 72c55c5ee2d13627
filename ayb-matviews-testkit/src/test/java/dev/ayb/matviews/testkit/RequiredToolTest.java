package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class RequiredToolTest {
    private static final String INSTALL = "apt-get install -y some-tool";

    @TempDir
    Path empty;

    @TempDir
    Path bin;

    @Test
    void anExecutableOnThePathIsFoundWhereverItIsInThePath() throws IOException {
        Path tool = executable(bin, "some-tool");

        RequiredTool found = RequiredTool.onPath("some-tool", INSTALL,
                Map.of("PATH", empty + File.pathSeparator + bin, "CI", "true"));

        assertThat(found.require()).isEqualTo(tool.toAbsolutePath());
        assertThat(found.find()).contains(tool.toAbsolutePath());
    }

    @Test
    void aMissingToolFailsTheTestUnderCi() {
        RequiredTool missing = RequiredTool.onPath("some-tool", INSTALL, Map.of("PATH", empty.toString(), "CI", "true"));

        assertThat(missing.find()).isEmpty();
        assertThatThrownBy(missing::require)
                .isExactlyInstanceOf(AssertionError.class)
                .hasMessageContaining("CI=true")
                .hasMessageContaining("some-tool is not on the PATH")
                .hasMessageContaining(INSTALL);
    }

    @Test
    void aMissingToolSkipsTheTestOutsideCi() {
        for (Map<String, String> environment : List.of(Map.of("PATH", empty.toString()),
                Map.of("PATH", empty.toString(), "CI", "false"))) {
            RequiredTool missing = RequiredTool.onPath("some-tool", INSTALL, environment);

            assertThatThrownBy(missing::require).as(environment.toString())
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("some-tool is not on the PATH")
                    .hasMessageContaining(INSTALL);
        }
    }

    @Test
    void aFileThatCannotBeExecutedOrADirectoryIsNotTheTool() throws IOException {
        Files.writeString(bin.resolve("some-tool"), "#!/bin/sh\n");
        Files.createDirectory(empty.resolve("some-tool"));

        RequiredTool notExecutable = RequiredTool.onPath("some-tool", INSTALL,
                Map.of("PATH", empty + File.pathSeparator + bin, "CI", "true"));

        assertThat(notExecutable.find()).isEmpty();
        assertThatThrownBy(notExecutable::require).isExactlyInstanceOf(AssertionError.class);
    }

    @Test
    void withoutAPathNothingIsFound() {
        assertThat(RequiredTool.onPath("sh", INSTALL, Map.of()).find()).isEmpty();
    }

    private static Path executable(Path directory, String name) throws IOException {
        Path file = Files.writeString(directory.resolve(name), "#!/bin/sh\nexit 0\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }
}
