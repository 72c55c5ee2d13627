package dev.ayb.matviews.cli;

import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.ViewRefreshOutcome;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "refresh", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Refresh a registered materialized view now, and wait until it is done.",
            "Exits with 3 at once if another session is refreshing the view.",
            "With --cascade, the related materialized views are refreshed too, in dependency order; the run",
            "stops at the first failure and every view's outcome is printed.",
            "With --mode, the view is refreshed once in that mode and its registration keeps its own mode",
            "(--mode standard populates a concurrent view restored WITH NO DATA)."})
final class MatviewsRefreshCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | schema.view>", description = "The registration id, or the view's name.")
    String ref;

    @Option(names = "--cascade", paramLabel = "<cascade>", defaultValue = "none", converter = CascadeConverter.class,
            completionCandidates = CascadeConverter.Names.class,
            description = "none (default), upstream (what the view reads first), downstream (what reads it),"
                    + " or both.")
    Cascade cascade;

    @Option(names = "--mode", paramLabel = "<mode>", converter = RefreshModeConverter.class,
            completionCandidates = RefreshModeConverter.Names.class,
            description = "standard or concurrent: this refresh only, whatever the registered mode."
                    + " Not with --cascade.")
    RefreshMode mode;

    @Mixin
    JsonOutput json;

    MatviewsRefreshCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        if (mode != null && cascade != Cascade.NONE) {
            throw CliFailure.usage("--mode cannot be combined with --cascade");
        }
        if (cascade != Cascade.NONE) {
            refreshWithCascade(matviews, output);
            return;
        }
        RefreshResult result = mode == null ? matviews.refreshes().refresh(ViewRef.parse(ref), RefreshTrigger.CLI)
                : matviews.refreshes().refresh(ViewRef.parse(ref), mode, RefreshTrigger.CLI);
        if (json.requested) {
            output.json(WireJson.refreshResult(result));
        } else {
            output.line("Refreshed " + result.registration().qualifiedName() + " in " + result.durationMs() + "ms");
        }
    }

    private void refreshWithCascade(AybMatviews matviews, Output output) {
        CascadeRefreshResult result = matviews.refreshes().refresh(ViewRef.parse(ref), cascade, RefreshTrigger.CLI);
        if (json.requested) {
            output.json(WireJson.cascadeResult(result));
        } else {
            for (ViewRefreshOutcome view : result.views()) {
                output.line(switch (view.status()) {
                    case REFRESHED -> "Refreshed " + view.view() + " in " + view.durationMs() + "ms";
                    case FAILED -> "Failed " + view.view() + ": " + view.error();
                    case SKIPPED -> "Skipped " + view.view() + ": " + view.error();
                });
            }
        }
        if (result.failure() != null) {
            // The exit status and the "Error:" line come from the first failure, as for a single refresh.
            throw result.failure();
        }
    }
}
