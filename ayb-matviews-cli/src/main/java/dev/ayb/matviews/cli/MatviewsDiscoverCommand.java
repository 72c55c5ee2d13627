package dev.ayb.matviews.cli;

import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "discover", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List every materialized view in the database, registered or not.",
            "Shows whether each is populated and has a unique index a concurrent refresh can use."})
final class MatviewsDiscoverCommand extends DatabaseCommand {
    @Mixin
    JsonOutput json;

    MatviewsDiscoverCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        List<DiscoveredView> views = matviews.registry().discover();
        if (json.requested) {
            output.json(CliJson.array(views, WireJson::discoveredView));
            return;
        }
        if (views.isEmpty()) {
            output.line("No materialized views in the database.");
            return;
        }
        TextTable table = new TextTable("SCHEMA", "VIEW", "POPULATED", "UNIQUE INDEX", "REGISTRATION");
        for (DiscoveredView view : views) {
            table.row(view.schemaName(), view.viewName(), Display.yesNo(view.populated()),
                    Display.yesNo(view.hasUniqueIndex()),
                    view.registration().map(UUID::toString).orElse("not registered"));
        }
        output.table(table);
    }
}
