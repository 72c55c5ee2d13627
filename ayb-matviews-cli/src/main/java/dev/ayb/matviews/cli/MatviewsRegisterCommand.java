package dev.ayb.matviews.cli;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import java.time.Duration;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "register", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Register an existing materialized view so that it can be refreshed and scheduled.",
            "The view is checked to be a materialized view; it is not created or changed."})
final class MatviewsRegisterCommand extends DatabaseCommand {
    @Option(names = "--view", required = true, paramLabel = "<name>", order = 1,
            description = "The materialized view's name (schema.view is accepted too).")
    String view;

    @Option(names = "--schema", paramLabel = "<schema>", order = 2, description = "Its schema (default: public).")
    String schema;

    @Option(names = "--mode", paramLabel = "<mode>", order = 3, converter = RefreshModeConverter.class,
            completionCandidates = RefreshModeConverter.Names.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    RefreshMode mode = RefreshMode.STANDARD;

    @Option(names = "--change-tracking", order = 4,
            description = "Track changes to the view's base tables (installs a trigger on each), so its freshness "
                    + "is known and 'refresh --if-changed' can skip a refresh that would change nothing.")
    boolean changeTracking;

    @Option(names = "--target-lag", paramLabel = "<duration>", order = 5, converter = DurationConverter.class,
            description = "Keep the view at most this far behind its sources (e.g. 30s, 5m): the job runner refreshes "
                    + "it when a source changed, in time. Without --change-tracking it is refreshed every period.")
    Duration targetLag;

    @Mixin
    JsonOutput json;

    MatviewsRegisterCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        Registration registration = matviews.registry().register(viewName(), mode, RefreshTimeouts.NONE,
                changeTracking, targetLag);
        if (json.requested) {
            output.json(WireJson.registration(registration, matviews.freshness().of(registration)));
        } else {
            output.line("Registered " + registration.qualifiedName() + " (" + registration.refreshMode().wireName()
                    + (registration.changeTracking() ? ", change tracking on" : "")
                    + (registration.targetLagMs() != null ? ", target lag " + Display.durationMs(
                            registration.targetLagMs()) : "") + ") with id "
                    + registration.id());
        }
        RefreshModeCheck.warnIfBlocked(matviews.registry(), registration.qualifiedName(), mode, output);
    }

    private QualifiedName viewName() {
        if (schema == null && view.indexOf('.') >= 0) {
            return QualifiedName.parse(view);
        }
        return QualifiedName.of(schema, view);
    }
}
