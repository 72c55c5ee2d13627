package dev.ayb.matviews.cli;

import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "update", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Change how a registered materialized view is refreshed: its mode, whether its changes are",
            "tracked, its target lag (at least one of --mode, --change-tracking and --target-lag)."})
final class MatviewsUpdateCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | schema.view>", description = "The registration id, or the view's name.")
    String ref;

    @Option(names = "--mode", paramLabel = "<mode>", order = 1,
            converter = RefreshModeConverter.class, completionCandidates = RefreshModeConverter.Names.class,
            description = "${COMPLETION-CANDIDATES}. Concurrent needs a unique index and a populated view.")
    RefreshMode mode;

    @Option(names = "--change-tracking", arity = "1", paramLabel = "true|false", order = 2,
            description = "Turn tracking of changes to the view's base tables on (installs their triggers) or off.")
    Boolean changeTracking;

    @Option(names = "--target-lag", paramLabel = "<duration|none>", order = 3, converter = TargetLagConverter.class,
            description = "Keep the view at most this far behind its sources (e.g. 30s, 5m); none removes the target.")
    TargetLagConverter.Setting targetLag;

    @Mixin
    JsonOutput json;

    MatviewsUpdateCommand(CliContext context) {
        super(context);
    }

    /** --mode was required before --change-tracking existed; with neither, the same usage error as then. */
    @Override
    void checkArguments() {
        if (mode == null && changeTracking == null && targetLag == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--mode=<mode>'");
        }
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        Registration updated = update(matviews.registry(), ViewRef.parse(ref));
        if (json.requested) {
            output.json(WireJson.registration(updated, matviews.freshness().of(updated)));
        } else {
            List<String> changes = new ArrayList<>();
            if (mode != null) {
                changes.add("refresh mode is now " + updated.refreshMode().wireName());
            }
            if (changeTracking != null) {
                changes.add("change tracking is now " + (updated.changeTracking() ? "on" : "off"));
            }
            if (targetLag != null) {
                changes.add("target lag is now " + (updated.targetLagMs() == null ? TargetLagConverter.NONE
                        : Display.durationMs(updated.targetLagMs())));
            }
            output.line("Updated " + updated.qualifiedName() + ": " + String.join(", ", changes));
        }
        if (mode != null) {
            RefreshModeCheck.warnIfBlocked(matviews.registry(), updated.qualifiedName(), mode, output);
        }
    }

    /** Mode and tracking first, then the target: a refused mode or tracking change leaves the target alone. */
    private Registration update(MatviewRegistry registry, ViewRef view) {
        Registration updated = modeAndTracking(registry, view);
        return targetLag == null ? updated
                : registry.updateTargetLag(ViewRef.of(updated.id()), targetLag.target());
    }

    private Registration modeAndTracking(MatviewRegistry registry, ViewRef view) {
        if (mode == null && changeTracking == null) {
            return registry.get(view);
        }
        if (changeTracking == null) {
            return registry.updateMode(view, mode);
        }
        if (mode == null) {
            return registry.updateChangeTracking(view, changeTracking);
        }
        // Both in one call, so a failure to install the triggers leaves the mode as it was too.
        Registration current = registry.get(view);
        return registry.update(ViewRef.of(current.id()), mode, current.timeouts(), changeTracking);
    }
}
