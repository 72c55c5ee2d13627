package dev.ayb.matviews.jobs;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A cron expression read in a time zone: the standard five fields, the usual macros, or six fields
 * with a leading seconds field. cron-utils does the calendar; this class adds the one rule it lacks:
 * a tick whose wall-clock time falls into a DST gap (02:30 on the spring-forward night) fires once, at
 * the end of the gap, instead of being skipped. In an overlap each wall-clock time fires once
 * (cron-utils already gives that).
 */
public final class CronSchedule {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final CronParser FIVE_FIELDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SIX_FIELDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private final ExecutionTime executionTime;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime executionTime, ZoneId zone) {
        this.executionTime = executionTime;
        this.zone = zone;
    }

    /**
     * @throws MatviewException {@link ErrorCode#INVALID_CRON} or {@link ErrorCode#INVALID_TIMEZONE}
     */
    public static CronSchedule parse(String cronExpr, String timezone) {
        ZoneId zone = zone(timezone);
        String expression = cronExpr == null ? "" : cronExpr.trim();
        expression = MACROS.getOrDefault(expression.toLowerCase(Locale.ROOT), expression);
        int fields = expression.isEmpty() ? 0 : expression.split("\\s+").length;
        CronParser parser = fields == 5 ? FIVE_FIELDS : fields == 6 ? SIX_FIELDS : null;
        if (parser == null) {
            throw new MatviewException(ErrorCode.INVALID_CRON);
        }
        CronSchedule schedule;
        try {
            synchronized (parser) {
                schedule = new CronSchedule(ExecutionTime.forCron(parser.parse(expression)), zone);
            }
        } catch (IllegalArgumentException e) {
            throw new MatviewException(ErrorCode.INVALID_CRON);
        }
        if (schedule.nextAfter(Instant.EPOCH.plusSeconds(1)).isEmpty()) {
            // For instance the 30th of February: valid syntax, but it would never fire.
            throw new MatviewException(ErrorCode.INVALID_CRON);
        }
        return schedule;
    }

    public static ZoneId zone(String timezone) {
        try {
            return ZoneId.of(timezone == null || timezone.isBlank() ? "UTC" : timezone);
        } catch (DateTimeException e) {
            throw new MatviewException(ErrorCode.INVALID_TIMEZONE);
        }
    }

    /** The first tick strictly after {@code after}, if the expression ever fires again. */
    public Optional<Instant> nextAfter(Instant after) {
        Optional<ZonedDateTime> regular = executionTime.nextExecution(after.atZone(zone));
        Optional<Instant> inGap = firstTickInAGap(after, regular.map(ZonedDateTime::toInstant).orElse(null));
        return inGap.isPresent() ? inGap : regular.map(ZonedDateTime::toInstant);
    }

    /**
     * Ticks missed by at most this much (a slow poll, a short restart) are still run one by one; a schedule
     * further behind (every instance was down) skips to the next tick after now, so the missed ticks
     * collapse into the one run just enqueued instead of a burst.
     */
    public static final Duration CATCH_UP_WINDOW = Duration.ofSeconds(5);

    /**
     * The tick to run after the due {@code tick} was enqueued at {@code now}: the next one, or the first after
     * now when that is more than {@link #CATCH_UP_WINDOW} behind; empty when the expression never fires again.
     */
    public Optional<Instant> nextAfterDue(Instant tick, Instant now) {
        Optional<Instant> next = nextAfter(tick);
        if (next.isPresent() && next.get().isBefore(now.minus(CATCH_UP_WINDOW))) {
            return nextAfter(now);
        }
        return next;
    }

    /** The next {@code count} ticks after {@code after}, for previews. */
    public List<Instant> next(Instant after, int count) {
        List<Instant> ticks = new ArrayList<>();
        Instant cursor = after;
        for (int i = 0; i < count; i++) {
            Optional<Instant> next = nextAfter(cursor);
            if (next.isEmpty()) {
                break;
            }
            ticks.add(next.get());
            cursor = next.get();
        }
        return ticks;
    }

    /**
     * A gap between {@code after} and the regular next tick in which the expression would have matched
     * a wall-clock time that did not exist; such a tick fires at the gap's end (the transition instant).
     */
    private Optional<Instant> firstTickInAGap(Instant after, Instant regularNext) {
        ZoneRules rules = zone.getRules();
        ZoneOffsetTransition transition = rules.nextTransition(after);
        while (transition != null && (regularNext == null || transition.getInstant().isBefore(regularNext))) {
            if (transition.isGap() && transition.getInstant().isAfter(after)) {
                LocalDateTime gapStart = transition.getDateTimeBefore();
                LocalDateTime gapEnd = transition.getDateTimeAfter();
                // Wall-clock matching in a zone without transitions, where the skipped times exist.
                Optional<ZonedDateTime> match = executionTime.nextExecution(
                        gapStart.minusNanos(1).atZone(ZoneOffset.UTC));
                if (match.isPresent() && match.get().toLocalDateTime().isBefore(gapEnd)) {
                    return Optional.of(transition.getInstant());
                }
            }
            if (regularNext == null) {
                return Optional.empty();
            }
            transition = rules.nextTransition(transition.getInstant());
        }
        return Optional.empty();
    }
}
