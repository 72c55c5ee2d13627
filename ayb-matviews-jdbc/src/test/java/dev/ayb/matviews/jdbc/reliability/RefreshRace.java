package dev.ayb.matviews.jdbc.reliability;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jdbc.AybMatviews;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Calls of two instances racing to refresh {@code public.leaderboard}, released together, and what each was
 * told: {@link #SUCCESS} or the error name of the {@link MatviewException} it got. Shared by the storm tests
 * on a direct connection and through PgBouncer, so both judge the same race the same way.
 */
public final class RefreshRace {
    public static final String SUCCESS = "success";
    public static final String IN_PROGRESS = ErrorCode.REFRESH_IN_PROGRESS.errorName();
    /** How long a call may take to be answered before the race counts it as lost. */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private RefreshRace() {
    }

    /**
     * Starts {@code count} refreshes on {@code threads}, alternating between the two instances ({@code round}
     * shifts which goes first), and lets them all go at once.
     */
    public static List<Future<String>> start(ExecutorService threads, int count, int round, AybMatviews first,
                                             AybMatviews second) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AybMatviews instance = (i + round) % 2 == 0 ? first : second;
            calls.add(threads.submit(() -> {
                go.await();
                return refresh(instance);
            }));
        }
        go.countDown();
        return calls;
    }

    /** How many calls have been answered so far. */
    public static long answered(List<Future<String>> calls) {
        return calls.stream().filter(Future::isDone).count();
    }

    /** What the call was told; fails the test when it is not answered in time. */
    public static String outcome(Future<String> call) {
        try {
            return call.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("a call was not answered: " + e, e);
        }
    }

    /** Waits for every call; how many were told what. */
    public static Map<String, Long> outcomes(List<Future<String>> calls) {
        return calls.stream().map(RefreshRace::outcome)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static String refresh(AybMatviews instance) {
        try {
            instance.refreshes().refresh("public.leaderboard");
            return SUCCESS;
        } catch (MatviewException e) {
            return e.code().errorName();
        }
    }
}
