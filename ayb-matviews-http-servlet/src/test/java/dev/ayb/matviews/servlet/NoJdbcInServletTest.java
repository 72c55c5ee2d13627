package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The servlet is an HTTP layer: it reaches PostgreSQL only through the library's API (registry, refresh
 * service, jobs, collections), never through JDBC of its own. Its module could still read {@code java.sql} (the
 * jdbc module requires it transitively), so the compiler would not notice a {@code Connection} creeping in; this
 * test does.
 */
class NoJdbcInServletTest {
    private static final Path MAIN_SOURCES = Path.of("src", "main", "java");
    private static final Pattern JDBC = Pattern.compile("\\bjavax?\\.sql\\.");

    @Test
    void theServletsMainSourcesUseNothingFromJavaSql() throws IOException {
        assertThat(MAIN_SOURCES).as("the servlet module's main sources, from the module's directory").isDirectory();
        List<String> uses = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (isCode(lines.get(i)) && JDBC.matcher(lines.get(i)).find()) {
                        uses.add(MAIN_SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(uses).as("java.sql / javax.sql in the servlet's main code").isEmpty();
    }

    /** Documentation may name the package (to say it is not used); only code counts. */
    private static boolean isCode(String line) {
        String text = line.strip();
        return !text.startsWith("*") && !text.startsWith("/*") && !text.startsWith("//");
    }
}
