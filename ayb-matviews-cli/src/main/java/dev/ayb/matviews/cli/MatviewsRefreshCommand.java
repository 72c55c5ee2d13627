package dev.ayb.matviews.cli;

import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.RefreshListener;
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
            "(--mode standard populates a concurrent view restored WITH NO DATA).",
            "With --if-changed, a view with change tracking that no source change has made behind is not",
            "refreshed: the run is recorded as skipped and the command exits with 0. Untracked views always refresh."})
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
            description = "standard, concurrent or swap: this refresh only, whatever the registered mode."
                    + " Not with --cascade.")
    RefreshMode mode;

    @Option(names = "--if-changed",
            description = "Skip the refresh when the view is tracked and no source changed since its last refresh."
                    + " Not with --cascade or --mode.")
    boolean ifChanged;

    @Mixin
    JsonOutput json;

    MatviewsRefreshCommand(CliContext context) {
        super(context);
    }

    /** The same combinations as the HTTP API refuses: --if-changed decides about one view in its own mode. */
    @Override
    void checkArguments() {
        if (mode != null && cascade != Cascade.NONE) {
            throw CliFailure.usage("--mode cannot be combined with --cascade");
        }
        if (ifChanged && cascade != Cascade.NONE) {
            throw CliFailure.usage("--if-changed cannot be combined with --cascade");
        }
        if (ifChanged && mode != null) {
            throw CliFailure.usage("--if-changed cannot be combined with --mode");
        }
    }

    /** A cascade may refresh many views, one after the other: a person watching sees which one runs now. */
    @Override
    RefreshListener refreshListener(Output output) {
        return cascade == Cascade.NONE ? RefreshListener.NONE : new RefreshProgress(output);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        if (cascade != Cascade.NONE) {
            refreshWithCascade(matviews, output);
            return;
        }
        RefreshResult result = mode == null
                ? matviews.refreshes().refresh(ViewRef.parse(ref), RefreshTrigger.CLI, ifChanged)
                : matviews.refreshes().refresh(ViewRef.parse(ref), mode, RefreshTrigger.CLI);
        if (json.requested) {
            Freshness freshness = matviews.freshness().of(result.registration());
            // The HTTP API's answer: skipped and reason are there when the caller asked "only if changed".
            output.json(ifChanged ? WireJson.ifChangedResult(result, freshness)
                    : WireJson.refreshResult(result, freshness));
        } else if (result.skipped()) {
            output.line("Skipped " + result.registration().qualifiedName() + ": " + result.skipReason());
        } else {
            output.line("Refreshed " + result.registration().qualifiedName() + " in " + result.durationMs() + "ms");
        }
    }

    private void refreshWithCascade(AybMatviews matviews, Output output) {
        CascadeRefreshResult result = matviews.refreshes().refresh(ViewRef.parse(ref), cascade, RefreshTrigger.CLI);
        if (json.requested) {
            output.json(WireJson.cascadeResult(result, matviews.freshness().of(result.registration())));
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
