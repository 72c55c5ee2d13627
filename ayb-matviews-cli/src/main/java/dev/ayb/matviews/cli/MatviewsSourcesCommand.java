package dev.ayb.matviews.cli;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.SourceTable;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "sources", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List the base tables a view with change tracking reads (through plain views, other",
            "materialized views and partitions), and whether each has its change trigger."})
final class MatviewsSourcesCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | schema.view>", description = "The registration id, or the view's name.")
    String ref;

    @Mixin
    JsonOutput json;

    MatviewsSourcesCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        Registration registration = matviews.registry().get(ViewRef.parse(ref));
        List<SourceTable> sources = matviews.freshness().sources(ViewRef.of(registration.id()));
        if (json.requested) {
            output.json(CliJson.array(sources, WireJson::sourceTable));
            return;
        }
        if (!registration.changeTracking()) {
            output.line("Change tracking is off for " + registration.qualifiedName() + ": no source tables are tracked.");
            return;
        }
        if (sources.isEmpty()) {
            output.line("No source tables found for " + registration.qualifiedName() + ".");
            return;
        }
        TextTable table = new TextTable("SCHEMA", "TABLE", "PARTITION", "TRIGGER", "CAPTURE");
        for (SourceTable source : sources) {
            table.row(source.schemaName(), source.tableName(), Display.yesNo(source.partition()),
                    Display.yesNo(source.triggerInstalled()), source.capture());
        }
        output.table(table);
    }
}
