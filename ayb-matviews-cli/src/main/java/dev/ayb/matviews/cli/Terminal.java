package dev.ayb.matviews.cli;

import java.lang.reflect.Method;
import java.time.Duration;

/**
 * Whether a person is watching the tool. Progress lines and {@code --watch} screens are for people only: in a
 * script, a pipe or a cron job the tool prints its result once and nothing else.
 */
interface Terminal {
    /** A script, a pipe, a test: no progress, no screen refreshes. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public boolean pause(Duration duration) {
            return false;
        }
    };

    /** A terminal that is really there, as the JVM sees it. */
    Terminal SYSTEM = new Terminal() {
        private final boolean interactive = detect();

        @Override
        public boolean interactive() {
            return interactive;
        }

        @Override
        public boolean pause(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    };

    boolean interactive();

    /** Waits before the next screen of {@code --watch}; false to stop watching. */
    boolean pause(Duration duration);

    /**
     * {@link System#console()} is null unless standard input and output are both a terminal, up to Java 21; from
     * Java 22 it may be there anyway, and {@code Console.isTerminal()} tells.
     */
    private static boolean detect() {
        Object console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = console.getClass().getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }
}
