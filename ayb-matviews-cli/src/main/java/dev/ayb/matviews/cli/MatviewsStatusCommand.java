package dev.ayb.matviews.cli;

import dev.ayb.matviews.HealthReport;
import dev.ayb.matviews.UnhealthyView;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import java.time.Duration;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ayb matviews status}: the health report of {@code GET /api/admin/health}, with an exit status to match. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Check the registered views' health: none failing (last refresh failed), none behind its"
                + " sources for longer than the threshold, none further behind than its target lag.",
                "Exits " + ExitCode.UNHEALTHY + " when any view is unhealthy, 0 when all are healthy."})
final class MatviewsStatusCommand extends DatabaseCommand {
    @Option(names = "--behind-threshold", paramLabel = "<duration>", order = 1, converter = DurationConverter.class,
            description = "How long a view may be behind its sources before it is unhealthy, e.g. 15m, 2h, PT30S"
                    + " (default: 1h).")
    @Nullable Duration behindThreshold;

    @Mixin
    JsonOutput json;

    private boolean healthy = true;

    MatviewsStatusCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        HealthReport report = behindThreshold == null ? matviews.health().check()
                : matviews.health().check(behindThreshold);
        healthy = report.healthy();
        if (json.requested) {
            output.json(WireJson.healthReport(report));
            return;
        }
        String threshold = " (behind threshold " + DurationConverter.format(report.behindThreshold()) + ")";
        if (report.healthy()) {
            output.line(report.views() == 0 ? "No materialized views registered."
                    : "Healthy: all " + report.views() + " registered views" + threshold + ".");
            return;
        }
        output.line("Unhealthy: " + report.unhealthy().size() + " of " + report.views() + " registered views"
                + threshold + ".");
        TextTable table = new TextTable("SCHEMA", "VIEW", "PROBLEMS", "LAST REFRESH", "BEHIND SINCE", "ERROR");
        for (UnhealthyView view : report.unhealthy()) {
            table.row(view.view().schema(), view.view().view(),
                    view.problems().stream().sorted().map(Object::toString).collect(Collectors.joining(",")),
                    Display.lastRun(view.lastRefreshAt()), Display.timestamp(view.behindSince()),
                    view.lastRefreshError() == null ? Display.NONE : view.lastRefreshError());
        }
        output.table(table);
    }

    @Override
    int exitCode() {
        return healthy ? ExitCode.OK : ExitCode.UNHEALTHY;
    }
}
