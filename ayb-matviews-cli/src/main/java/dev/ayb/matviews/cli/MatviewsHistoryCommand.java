package dev.ayb.matviews.cli;

import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show a view's recorded refreshes, newest first: when, how, how long, and the outcome.")
final class MatviewsHistoryCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | schema.view>", description = "The registration id, or the view's name.")
    String ref;

    @Option(names = "--limit", paramLabel = "<n>", order = 1,
            description = "How many refreshes to show, 1 to " + MatviewRegistry.MAX_HISTORY_LIMIT
                    + " (default: ${DEFAULT-VALUE}).")
    int limit = 20;

    @Mixin
    JsonOutput json;

    MatviewsHistoryCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        Registration registration = matviews.registry().get(ViewRef.parse(ref));
        List<RefreshRun> runs = matviews.registry().history(ViewRef.of(registration.id()), limit);
        if (json.requested) {
            output.json(CliJson.array(runs, WireJson::refreshRun));
            return;
        }
        if (runs.isEmpty()) {
            output.line("No refreshes recorded for " + registration.qualifiedName() + ".");
            return;
        }
        TextTable table = new TextTable("STARTED", "TRIGGER", "MODE", "DURATION", "STATUS", "ERROR");
        for (RefreshRun run : runs) {
            table.row(Display.timestamp(run.startedAt()), run.trigger().wireName(), run.refreshMode().wireName(),
                    Display.durationMs(run.durationMs()), run.status().wireName(),
                    run.error() == null ? Display.NONE : run.error());
        }
        output.table(table);
    }
}
