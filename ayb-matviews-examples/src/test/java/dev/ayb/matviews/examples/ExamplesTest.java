package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each example's main runs to completion and prints what it promises. */
class ExamplesTest {

    @Test
    void javaApiExampleRegistersRefreshesAndPrintsTheStatus() throws Exception {
        String output = captureOutput(() -> JavaApiExample.main(new String[0]));
        assertThat(output).containsPattern("Refreshed in \\d+ ms")
                .containsPattern("public\\.leaderboard  concurrent  last refresh \\S+Z: success");
    }

    @Test
    void scheduledRefreshExampleSeesTheScheduleRefreshTheView() throws Exception {
        String output = captureOutput(() -> ScheduledRefreshExample.main(new String[0]));
        assertThat(output.lines().filter(line -> line.contains("public.leaderboard refreshed at")
                && line.contains("by schedule") && line.endsWith(": success"))).hasSize(2);
    }

    @Test
    void servletMountExampleAnswersThroughJetty() throws Exception {
        String output = captureOutput(() -> ServletMountExample.main(new String[0]));
        assertThat(output).startsWith("200 ").contains("\"viewName\":\"leaderboard\"");
    }

    @Test
    void collectionsExampleReadsAFilteredPageAndTheNextByCursor() throws Exception {
        String output = captureOutput(() -> CollectionsExample.main(new String[0]));
        assertThat(output).containsPattern("\\d+ users have 10 minutes or more; the top five:")
                .containsPattern("(?m)^  user \\d+: \\d+ min$").containsPattern("page 2 starts with user \\d+");
        assertThat(output.lines().filter(line -> line.endsWith(" min"))).hasSize(5);
    }

    @Test
    void demoServerHelpListsItsOptions() throws Exception {
        String output = captureOutput(() -> new picocli.CommandLine(new DemoServer()).execute("--help"));
        assertThat(output).contains("--port", "--data-dir", "--database-url", "--admin-token", "--[no-]jobs");
    }

    private interface Main {
        void run() throws Exception;
    }

    private static String captureOutput(Main main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
