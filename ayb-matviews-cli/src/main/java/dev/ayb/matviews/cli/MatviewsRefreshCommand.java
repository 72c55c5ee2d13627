package dev.ayb.matviews.cli;

import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "refresh", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Refresh a registered materialized view now, and wait until it is done.",
            "Exits with 3 at once if another session is refreshing the view."})
final class MatviewsRefreshCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | schema.view>", description = "The registration id, or the view's name.")
    String ref;

    @Mixin
    JsonOutput json;

    MatviewsRefreshCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        RefreshResult result = matviews.refreshes().refresh(ViewRef.parse(ref), RefreshTrigger.CLI);
        if (json.requested) {
            output.json(WireJson.refreshResult(result));
        } else {
            output.line("Refreshed " + result.registration().qualifiedName() + " in " + result.durationMs() + "ms");
        }
    }
}
