package dev.ayb.matviews.cli;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the registered materialized views with the outcome of their last refresh, the age "
                + "of their data, whether it is behind its sources (current, behind, or unknown when untracked), its "
                + "target lag and how far behind it is now.")
final class MatviewsListCommand extends DatabaseCommand {
    @Mixin
    JsonOutput json;

    MatviewsListCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        List<Registration> registrations = matviews.registry().list();
        // One query for the whole list, as the HTTP API's list does.
        Map<UUID, Freshness> freshness = matviews.freshness().of(registrations);
        if (json.requested) {
            output.json(CliJson.array(registrations, r -> WireJson.registration(r, freshness.get(r.id()))));
            return;
        }
        if (registrations.isEmpty()) {
            output.line("No materialized views registered.");
            return;
        }
        // Columns are only ever added at the end, so scripts reading the earlier ones by position keep working.
        TextTable table = new TextTable("ID", "SCHEMA", "VIEW", "MODE", "LAST REFRESH", "DURATION", "STATUS",
                "AS OF", "FRESHNESS", "TARGET", "LAG");
        for (Registration r : registrations) {
            table.row(r.id().toString(), r.schemaName(), r.viewName(), r.refreshMode().wireName(),
                    Display.lastRun(r.lastRefreshAt()), Display.durationMs(r.lastRefreshDurationMs()),
                    Display.status(r.lastRefreshStatus()), Display.lastRun(r.lastSuccessAt()),
                    freshness.get(r.id()).state().wireName(), Display.durationMs(r.targetLagMs()),
                    Display.durationMs(freshness.get(r.id()).lagMs()));
        }
        output.table(table);
    }
}
