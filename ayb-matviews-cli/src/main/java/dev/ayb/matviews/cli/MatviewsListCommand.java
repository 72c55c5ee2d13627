package dev.ayb.matviews.cli;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the registered materialized views with the outcome of their last refresh and the age "
                + "of their data.")
final class MatviewsListCommand extends DatabaseCommand {
    @Mixin
    JsonOutput json;

    MatviewsListCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        List<Registration> registrations = matviews.registry().list();
        if (json.requested) {
            output.json(CliJson.array(registrations, WireJson::registration));
            return;
        }
        if (registrations.isEmpty()) {
            output.line("No materialized views registered.");
            return;
        }
        // AS OF comes last so that scripts reading the earlier columns by position keep working.
        TextTable table = new TextTable("ID", "SCHEMA", "VIEW", "MODE", "LAST REFRESH", "DURATION", "STATUS",
                "AS OF");
        for (Registration r : registrations) {
            table.row(r.id().toString(), r.schemaName(), r.viewName(), r.refreshMode().wireName(),
                    Display.lastRun(r.lastRefreshAt()), Display.durationMs(r.lastRefreshDurationMs()),
                    Display.status(r.lastRefreshStatus()), Display.lastRun(r.lastSuccessAt()));
        }
        output.table(table);
    }
}
