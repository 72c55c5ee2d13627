package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs axe-core (a pinned copy among the test resources, see {@code axe-core/README.md}: nothing is fetched) on
 * the page as it is, with the WCAG 2.0 and 2.1 A and AA rules, and fails on any violation, listing each one's
 * rule, impact and the elements it found. The test calls it on every page and with every dialog open.
 */
final class AccessibilityAudit {
    static final String AXE_VERSION = "4.10.3";
    private static final String AXE = read("/axe-core/axe.min.js");
    private static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    private final DashboardBrowser browser;
    private final List<String> audited = new ArrayList<>();

    AccessibilityAudit(DashboardBrowser browser) {
        this.browser = browser;
    }

    /** Audits the whole document (an open modal dialog included) and fails on any violation. */
    void check(String what) {
        Object loaded = browser.script("return typeof window.axe === 'object' && window.axe.version");
        if (!AXE_VERSION.equals(loaded)) {
            browser.script(AXE);
        }
        Object answer = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + " axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
                + ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                + " targets: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)}))))"
                + ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), targets: []}]));",
                TAGS);
        List<String> violations = new ArrayList<>();
        for (Object item : (List<?>) answer) {
            Map<?, ?> violation = (Map<?, ?>) item;
            StringBuilder line = new StringBuilder()
                    .append(violation.get("id")).append(" (").append(violation.get("impact")).append("): ")
                    .append(violation.get("help"));
            for (Object target : (List<?>) violation.get("targets")) {
                line.append("\n    ").append(target);
            }
            violations.add(line.toString());
        }
        violations.forEach(violation -> System.err.println("axe, " + what + ": " + violation));
        assertThat(violations).as("WCAG 2.1 A/AA violations on " + what).isEmpty();
        audited.add(what);
    }

    /** What was audited, in order, for the test's report. */
    List<String> audited() {
        return List.copyOf(audited);
    }

    private static String read(String resource) {
        try (InputStream in = AccessibilityAudit.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
