package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void fiveFieldsInUtc() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *", "UTC");
        assertThat(hourly.nextAfter(Instant.parse("2026-02-22T10:15:00Z")))
                .contains(Instant.parse("2026-02-22T11:00:00Z"));
    }

    @Test
    void macrosMeanTheirFiveFieldForms() {
        Instant after = Instant.parse("2026-02-22T10:15:00Z");
        assertThat(CronSchedule.parse("@hourly", "UTC").nextAfter(after)).contains(Instant.parse("2026-02-22T11:00:00Z"));
        assertThat(CronSchedule.parse("@daily", "UTC").nextAfter(after)).contains(Instant.parse("2026-02-23T00:00:00Z"));
        assertThat(CronSchedule.parse("@weekly", "UTC").nextAfter(after)).contains(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(CronSchedule.parse("@monthly", "UTC").nextAfter(after)).contains(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(CronSchedule.parse("@yearly", "UTC").nextAfter(after)).contains(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void aLeadingSecondsFieldAllowsSubMinuteSchedules() {
        CronSchedule everyFiveSeconds = CronSchedule.parse("*/5 * * * * *", "UTC");
        assertThat(everyFiveSeconds.next(Instant.parse("2026-02-22T10:00:01Z"), 3)).containsExactly(
                Instant.parse("2026-02-22T10:00:05Z"), Instant.parse("2026-02-22T10:00:10Z"),
                Instant.parse("2026-02-22T10:00:15Z"));
    }

    @Test
    void theExpressionIsReadInTheSchedulesZone() {
        CronSchedule nineInBerlin = CronSchedule.parse("0 9 * * *", "Europe/Berlin");
        assertThat(nineInBerlin.nextAfter(Instant.parse("2026-07-01T00:00:00Z")))
                .contains(Instant.parse("2026-07-01T07:00:00Z"));
        assertThat(nineInBerlin.nextAfter(Instant.parse("2026-01-01T00:00:00Z")))
                .contains(Instant.parse("2026-01-01T08:00:00Z"));
    }

    @Test
    void aDailyTickInsideTheSpringForwardGapFiresOnceAtTheEndOfTheGap() {
        CronSchedule halfPastTwo = CronSchedule.parse("30 2 * * *", "America/New_York");
        List<Instant> ticks = halfPastTwo.next(ZonedDateTime.of(2026, 3, 7, 12, 0, 0, 0, NEW_YORK).toInstant(), 3);

        // 2026-03-08 02:00 EST jumps to 03:00 EDT: 02:30 does not exist that night.
        assertThat(ticks).containsExactly(
                ZonedDateTime.of(2026, 3, 8, 3, 0, 0, 0, NEW_YORK).toInstant(),
                ZonedDateTime.of(2026, 3, 9, 2, 30, 0, 0, NEW_YORK).toInstant(),
                ZonedDateTime.of(2026, 3, 10, 2, 30, 0, 0, NEW_YORK).toInstant());
        assertThat(countOn(ticks, LocalDate.of(2026, 3, 8))).isEqualTo(1);
    }

    @Test
    void aDailyTickInsideTheFallBackOverlapFiresOnce() {
        CronSchedule halfPastOne = CronSchedule.parse("30 1 * * *", "America/New_York");
        List<Instant> ticks = halfPastOne.next(ZonedDateTime.of(2026, 10, 31, 12, 0, 0, 0, NEW_YORK).toInstant(), 3);

        // 2026-11-01 01:00-02:00 happens twice; 01:30 must not fire twice.
        assertThat(countOn(ticks, LocalDate.of(2026, 11, 1))).isEqualTo(1);
        assertThat(ticks).hasSize(3).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void anHourlyScheduleFiresEveryRealHourAcrossBothTransitions() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *", "America/New_York");
        Instant springDay = ZonedDateTime.of(2026, 3, 8, 0, 0, 0, 0, NEW_YORK).toInstant().minusSeconds(1);
        Instant fallDay = ZonedDateTime.of(2026, 11, 1, 0, 0, 0, 0, NEW_YORK).toInstant().minusSeconds(1);

        assertThat(countOn(hourly.next(springDay, 30), LocalDate.of(2026, 3, 8))).isEqualTo(23);
        assertThat(countOn(hourly.next(fallDay, 30), LocalDate.of(2026, 11, 1))).isEqualTo(25);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "* * *", "61 * * * *", "* * * * * * * *", "not a cron", "0 0 30 2 *", "@every 5m"})
    void badExpressionsAreInvalidCron(String expression) {
        assertThatThrownBy(() -> CronSchedule.parse(expression, "UTC"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CRON);
                    assertThat(e.getMessage()).isEqualTo("invalid cron expression");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus", "UTC+99", "Europe/"})
    void unknownZonesAreInvalidTimezone(String zone) {
        assertThatThrownBy(() -> CronSchedule.parse("0 * * * *", zone))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TIMEZONE);
                    assertThat(e.getMessage()).isEqualTo("invalid timezone");
                });
    }

    private static long countOn(List<Instant> ticks, LocalDate day) {
        return ticks.stream().filter(t -> t.atZone(NEW_YORK).toLocalDate().equals(day)).count();
    }
}
