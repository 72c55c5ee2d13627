package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JavaApiExampleTest {

    @Test
    void quickStartRegistersRefreshesAndPrintsTheStatus() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JavaApiExample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output).containsPattern("Refreshed in \\d+ ms")
                .containsPattern("public\\.leaderboard  concurrent  last refresh \\S+Z: success");
    }
}
