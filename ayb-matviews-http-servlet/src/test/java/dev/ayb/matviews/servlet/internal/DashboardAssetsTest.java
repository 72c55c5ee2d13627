package dev.ayb.matviews.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files as shipped in the jar: every file the page loads is on the served list (and nothing on
 * the list is missing), and nothing in them would be refused by the Content-Security-Policy or could turn data
 * into markup.
 */
class DashboardAssetsTest {
    private static final Pattern HTML_REFERENCE = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"");
    private static final Pattern JS_IMPORT = Pattern.compile("(?m)^\\s*import\\s[^;]*?from\\s+'\\./([^']+)'");
    private static final Pattern INLINE_HANDLER = Pattern.compile("(?i)\\son[a-z]+\\s*=");

    private static String text(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(DashboardRoutes.RESOURCE_DIRECTORY + name)) {
            assertThat(in).as(name + " is in the jar").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static List<String> scripts() {
        return DashboardRoutes.FILES.keySet().stream().filter(name -> name.endsWith(".js")).sorted().toList();
    }

    @Test
    void everyServedFileIsInTheJarAndLoadsAtConstruction() {
        new DashboardRoutes();

        for (String name : DashboardRoutes.FILES.keySet()) {
            assertThat(text(name)).as(name).isNotBlank();
        }
    }

    @Test
    void everyFileThePageLoadsIsServedAndNothingComesFromElsewhere() {
        Set<String> referenced = new TreeSet<>(matches(HTML_REFERENCE, text("index.html")));
        for (String script : scripts()) {
            referenced.addAll(matches(JS_IMPORT, text(script)));
        }

        assertThat(referenced).isNotEmpty().allSatisfy(reference -> {
            assertThat(reference).doesNotContain("//").doesNotStartWith("/").doesNotContain("..");
            assertThat(DashboardRoutes.FILES).containsKey(reference);
        });
        // Every script on the list is reached from the page, so the list holds no stale file.
        assertThat(referenced).containsAll(scripts());
    }

    @Test
    void thePageHasNoInlineScriptStyleOrHandlerTheContentSecurityPolicyWouldRefuse() {
        String html = text("index.html");

        assertThat(html).doesNotContain("<style").doesNotContain(" style=").doesNotContain("javascript:");
        assertThat(INLINE_HANDLER.matcher(html).find()).as("an on...= attribute").isFalse();
        for (String script : matches(Pattern.compile("<script([^>]*)>"), html)) {
            assertThat(script).contains("src=");
        }
    }

    @Test
    void theScriptsNeverWriteMarkupFromStringsOrEvaluateCode() {
        for (String script : scripts()) {
            String js = text(script);

            assertThat(js).as(script).doesNotContain("innerHTML").doesNotContain("outerHTML")
                    .doesNotContain("insertAdjacentHTML").doesNotContain("document.write").doesNotContain("eval(")
                    .doesNotContain("new Function").doesNotContain("setAttribute('style'")
                    .doesNotContain("console.log");
        }
    }

    @Test
    void theTokenIsKeptInSessionStorageOnlyAndSentAsABearerHeader() {
        String api = text("api.js");
        String all = String.join("\n", scripts().stream().map(DashboardAssetsTest::text).toList());

        assertThat(api).contains("sessionStorage").contains("`Bearer ${bearer}`");
        assertThat(all).doesNotContain("localStorage").doesNotContain("document.cookie");
    }

    @Test
    void thePolicyAllowsNothingInlineAndNoOtherOrigin() {
        String policy = DashboardRoutes.CONTENT_SECURITY_POLICY;

        assertThat(policy).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
                "connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'");
        assertThat(policy).doesNotContain("unsafe").doesNotContain("http").doesNotContain("*");
    }
}
