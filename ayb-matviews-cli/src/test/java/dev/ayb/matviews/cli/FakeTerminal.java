package dev.ayb.matviews.cli;

import java.time.Duration;

/** A terminal a person watches, whose {@code --watch} stops after a given number of redraws instead of Ctrl-C. */
final class FakeTerminal implements Terminal {
    private int pausesLeft;

    private FakeTerminal(int pauses) {
        this.pausesLeft = pauses;
    }

    /** @param pauses how many times {@code --watch} may wait and redraw */
    static FakeTerminal interactive(int pauses) {
        return new FakeTerminal(pauses);
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public boolean pause(Duration duration) {
        return pausesLeft-- > 0;
    }
}
