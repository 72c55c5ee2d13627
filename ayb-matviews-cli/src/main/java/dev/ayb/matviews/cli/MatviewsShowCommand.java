package dev.ayb.matviews.cli;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.json.WireJson;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show one registered view: its mode, timeouts, change tracking, target lag, last refresh,"
                + " the age of its data and whether it is behind its sources.")
final class MatviewsShowCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | schema.view>", description = "The registration id, or the view's name.")
    String ref;

    @Mixin
    JsonOutput json;

    MatviewsShowCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        Registration r = matviews.registry().get(ViewRef.parse(ref));
        Freshness freshness = matviews.freshness().of(r);
        if (json.requested) {
            output.json(WireJson.registration(r, freshness));
            return;
        }
        output.table(new TextTable("FIELD", "VALUE")
                .row("ID", r.id().toString())
                .row("VIEW", r.qualifiedName().toString())
                .row("MODE", r.refreshMode().wireName())
                .row("LOCK TIMEOUT", r.timeouts().lock().map(DurationConverter::format).orElse(Display.NONE))
                .row("STATEMENT TIMEOUT", r.timeouts().statement().map(DurationConverter::format).orElse(Display.NONE))
                .row("CHANGE TRACKING", Display.yesNo(r.changeTracking()))
                .row("TARGET LAG", r.targetLag().map(DurationConverter::format).orElse(Display.NONE))
                .row("LAST REFRESH", Display.lastRun(r.lastRefreshAt()))
                .row("DURATION", Display.durationMs(r.lastRefreshDurationMs()))
                .row("STATUS", Display.status(r.lastRefreshStatus()))
                .row("ERROR", r.lastRefreshError() == null ? Display.NONE : r.lastRefreshError())
                .row("AS OF", Display.lastRun(r.lastSuccessAt()))
                .row("DATA AGE", Display.age(r.lastSuccessAt(), matviews.clock().instant()))
                .row("FRESHNESS", freshness.state().wireName())
                .row("BEHIND SINCE", Display.timestamp(freshness.behindSince()))
                .row("REASON", freshness.reason() == null ? Display.NONE : freshness.reason())
                .row("LAG", Display.durationMs(freshness.lagMs()))
                .row("NEXT REFRESH", Display.timestamp(freshness.nextRefreshAt()))
                .row("CREATED", Display.timestamp(r.createdAt()))
                .row("UPDATED", Display.timestamp(r.updatedAt())));
    }
}
