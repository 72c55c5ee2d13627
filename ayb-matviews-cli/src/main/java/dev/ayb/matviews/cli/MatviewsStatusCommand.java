package dev.ayb.matviews.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.HealthReport;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.UnhealthyView;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ayb matviews status}: the health report of {@code GET /api/admin/health}, with an exit status to match. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Check the registered views' health: none failing (last refresh failed), none behind its"
                + " sources for longer than the threshold, none further behind than its target lag.",
                "Exits " + ExitCode.UNHEALTHY + " when any view is unhealthy, 0 when all are healthy: a monitor can"
                        + " run it as its check, with --json for the details.",
                "Below the summary, one line per registered view: its state (healthy or its problems), the age of"
                        + " its data and its last outcome.",
                "With --watch on a terminal, the screen is redrawn every --interval until interrupted; in a"
                        + " script or a pipe it prints once, as without it."})
final class MatviewsStatusCommand extends DatabaseCommand {
    private static final String HEALTHY = "healthy";

    @Option(names = "--behind-threshold", paramLabel = "<duration>", order = 1, converter = DurationConverter.class,
            description = "How long a view may be behind its sources before it is unhealthy, e.g. 15m, 2h, PT30S"
                    + " (default: 1h).")
    @Nullable Duration behindThreshold;

    /** Accepted because scripts were written when the per-view lines needed it; they are always printed now. */
    @Option(names = "--all", order = 2, hidden = true)
    boolean all;

    @Option(names = "--watch", order = 3, description = "On a terminal, redraw every --interval until interrupted.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "<duration>", order = 4, converter = DurationConverter.class,
            description = "How often --watch redraws, e.g. 10s (default: 5s).")
    Duration interval = Duration.ofSeconds(5);

    @Mixin
    JsonOutput json;

    private boolean healthy = true;

    MatviewsStatusCommand(CliContext context) {
        super(context);
    }

    @Override
    void checkArguments() {
        if (interval.isZero() || interval.isNegative()) {
            throw CliFailure.usage("--interval must be positive");
        }
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        boolean redraw = watch && output.terminal().interactive();
        do {
            if (redraw) {
                output.clearScreen();
                output.line("Every " + DurationConverter.format(interval) + ", until interrupted; "
                        + Display.timestamp(matviews.clock().instant()));
            }
            report(matviews, output);
        } while (redraw && output.terminal().pause(interval));
    }

    private void report(AybMatviews matviews, Output output) {
        HealthReport report = behindThreshold == null ? matviews.health().check()
                : matviews.health().check(behindThreshold);
        healthy = report.healthy();
        List<Registration> registrations = matviews.registry().list();
        Map<UUID, UnhealthyView> unhealthy = report.unhealthy().stream()
                .collect(Collectors.toMap(UnhealthyView::id, Function.identity(), (a, b) -> a));
        if (json.requested) {
            ObjectNode document = WireJson.healthReport(report);
            document.set("perView", perViewJson(registrations, unhealthy, report.checkedAt()));
            output.json(document);
            return;
        }
        String threshold = " (behind threshold " + DurationConverter.format(report.behindThreshold()) + ")";
        if (report.healthy()) {
            output.line(report.views() == 0 ? "No materialized views registered."
                    : "Healthy: all " + report.views() + " registered views" + threshold + ".");
        } else {
            output.line("Unhealthy: " + report.unhealthy().size() + " of " + report.views() + " registered views"
                    + threshold + ".");
        }
        if (!registrations.isEmpty()) {
            output.table(perViewTable(registrations, unhealthy, report.checkedAt()));
        }
    }

    /** Columns are only ever added at the end, so scripts reading the earlier ones by position keep working. */
    private static TextTable perViewTable(List<Registration> registrations, Map<UUID, UnhealthyView> unhealthy,
                                          Instant now) {
        TextTable table = new TextTable("VIEW", "STATE", "DATA AGE", "LAST OUTCOME", "LAST REFRESH", "ERROR");
        for (Registration r : registrations) {
            UnhealthyView problem = unhealthy.get(r.id());
            table.row(r.qualifiedName().toString(), problem == null ? HEALTHY : problems(problem),
                    Display.age(r.lastSuccessAt(), now),
                    r.lastRefreshStatus() == null ? "never" : r.lastRefreshStatus().wireName(),
                    Display.lastRun(r.lastRefreshAt()),
                    r.lastRefreshError() == null ? Display.NONE : r.lastRefreshError());
        }
        return table;
    }

    private static ArrayNode perViewJson(List<Registration> registrations, Map<UUID, UnhealthyView> unhealthy,
                                         Instant now) {
        return CliJson.array(registrations, r -> {
            UnhealthyView problem = unhealthy.get(r.id());
            ObjectNode view = CliJson.object();
            view.put("id", r.id().toString());
            view.put("schemaName", r.schemaName());
            view.put("viewName", r.viewName());
            view.put("status", problem == null ? HEALTHY : "unhealthy");
            ArrayNode problems = view.putArray("problems");
            if (problem != null) {
                problem.problems().stream().sorted().forEach(p -> problems.add(p.wireName()));
            }
            view.put("lastSuccessAt", r.lastSuccessAt() == null ? null : r.lastSuccessAt().toString());
            view.put("dataAgeMs", r.lastSuccessAt() == null ? null
                    : Math.max(0, Duration.between(r.lastSuccessAt(), now).toMillis()));
            view.put("lastRefreshStatus", r.lastRefreshStatus() == null ? null : r.lastRefreshStatus().wireName());
            view.put("lastRefreshAt", r.lastRefreshAt() == null ? null : r.lastRefreshAt().toString());
            view.put("lastRefreshError", r.lastRefreshError());
            return view;
        });
    }

    private static String problems(UnhealthyView view) {
        return view.problems().stream().sorted().map(Object::toString).collect(Collectors.joining(","));
    }

    @Override
    int exitCode() {
        return healthy ? ExitCode.OK : ExitCode.UNHEALTHY;
    }
}
