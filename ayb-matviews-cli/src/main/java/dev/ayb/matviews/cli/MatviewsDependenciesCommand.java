package dev.ayb.matviews.cli;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.ViewDependencies;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "dependencies", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List the materialized views a view reads (upstream) and those that read it (downstream),"
                + " each in the order a cascade refresh runs them.",
            "What 'ayb matviews refresh --cascade' would refresh with the view."})
final class MatviewsDependenciesCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | schema.view>",
            description = "The registration id, or the view's name (registered or not).")
    String ref;

    @Mixin
    JsonOutput json;

    MatviewsDependenciesCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        ViewDependencies dependencies = matviews.registry().dependencies(ViewRef.parse(ref));
        if (json.requested) {
            output.json(WireJson.dependencies(dependencies));
            return;
        }
        if (dependencies.upstream().isEmpty() && dependencies.downstream().isEmpty()) {
            output.line("No materialized views depend on " + dependencies.view() + " or are read by it.");
            return;
        }
        TextTable table = new TextTable("DIRECTION", "VIEW");
        for (QualifiedName view : dependencies.upstream()) {
            table.row("upstream", view.toString());
        }
        for (QualifiedName view : dependencies.downstream()) {
            table.row("downstream", view.toString());
        }
        output.table(table);
    }
}
