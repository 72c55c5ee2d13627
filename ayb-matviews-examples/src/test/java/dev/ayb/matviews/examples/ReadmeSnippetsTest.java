package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's Java snippets that name the example program they come from are in that program as written,
 * imports included, so a snippet a reader copies compiles and does what the example's test checks.
 */
class ReadmeSnippetsTest {
    /** A fenced Java block, possibly indented under a list item. */
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^[ ]*```java\\n(.*?)^[ ]*```$", Pattern.DOTALL);
    private static final Pattern EXAMPLE_LINK = Pattern.compile(
            "\\]\\((ayb-matviews-examples/src/main/java/[\\w/]+\\.java)\\)");
    private static final Pattern IMPORT = Pattern.compile("import ([\\w.]+)\\.(\\w+);");

    @Test
    void everySnippetTakenFromAnExampleIsInItWithItsImports() throws IOException {
        Path root = RepositoryRoot.find();
        List<Snippet> snippets = snippets(Files.readString(root.resolve("README.md")));

        assertThat(snippets).extracting(Snippet::source).as("the snippets that name their example")
                .contains("ayb-matviews-examples/src/main/java/dev/ayb/matviews/examples/JavaApiExample.java",
                        "ayb-matviews-examples/src/main/java/dev/ayb/matviews/examples/ServletMountExample.java");
        for (Snippet snippet : snippets) {
            List<String> source = Files.readAllLines(root.resolve(snippet.source()));
            List<String> code = codeLines(snippet.lines());
            List<String> imports = snippet.lines().stream().filter(line -> IMPORT.matcher(line).matches()).toList();

            assertThat(contiguous(codeLines(source), code)).as("%s holds, line for line:%n%s", snippet.source(),
                    String.join("\n", code)).isTrue();
            assertThat(source).as("imports of the snippet from " + snippet.source()).containsAll(imports);
            assertThat(imports).as("the snippet from %s imports every type of the example it uses",
                    snippet.source()).containsAll(importsUsedBy(source, code));
        }
    }

    /** The Java blocks whose paragraph just before links to an example's source. */
    private static List<Snippet> snippets(String readme) {
        List<Snippet> snippets = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find()) {
            String before = readme.substring(0, block.start()).stripTrailing();
            String paragraph = before.substring(before.lastIndexOf("\n\n") + 1);
            Matcher link = EXAMPLE_LINK.matcher(paragraph);
            String source = null;
            while (link.find()) {
                source = link.group(1);
            }
            if (source != null) {
                snippets.add(new Snippet(source, block.group(1).lines().map(String::strip).toList()));
            }
        }
        return snippets;
    }

    /** The lines that are neither blank nor imports nor the package line, without their indentation. */
    private static List<String> codeLines(List<String> lines) {
        return lines.stream().map(String::strip).filter(line -> !line.isEmpty())
                .filter(line -> !line.startsWith("import ") && !line.startsWith("package ")).toList();
    }

    private static boolean contiguous(List<String> source, List<String> part) {
        return !part.isEmpty() && Collections.indexOfSubList(source, part) >= 0;
    }

    /** The example's imports whose type the snippet's code names. */
    private static List<String> importsUsedBy(List<String> source, List<String> code) {
        String text = String.join("\n", code);
        return source.stream().filter(line -> {
            Matcher declared = IMPORT.matcher(line);
            return declared.matches() && Pattern.compile("\\b" + declared.group(2) + "\\b").matcher(text).find();
        }).collect(Collectors.toList());
    }

    private record Snippet(String source, List<String> lines) {
    }
}
