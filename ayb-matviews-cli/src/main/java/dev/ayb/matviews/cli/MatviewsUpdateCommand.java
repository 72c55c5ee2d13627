package dev.ayb.matviews.cli;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "update", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Change how a registered materialized view is refreshed.")
final class MatviewsUpdateCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | schema.view>", description = "The registration id, or the view's name.")
    String ref;

    @Option(names = "--mode", required = true, paramLabel = "<mode>", order = 1,
            converter = RefreshModeConverter.class, completionCandidates = RefreshModeConverter.Names.class,
            description = "${COMPLETION-CANDIDATES}. Concurrent needs a unique index and a populated view.")
    RefreshMode mode;

    @Mixin
    JsonOutput json;

    MatviewsUpdateCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        Registration updated = matviews.registry().updateMode(ViewRef.parse(ref), mode);
        if (json.requested) {
            output.json(WireJson.registration(updated));
        } else {
            output.line("Updated " + updated.qualifiedName() + ": refresh mode is now "
                    + updated.refreshMode().wireName());
        }
        ConcurrentModeCheck.warnIfBlocked(matviews.registry(), updated.qualifiedName(), mode, output);
    }
}
