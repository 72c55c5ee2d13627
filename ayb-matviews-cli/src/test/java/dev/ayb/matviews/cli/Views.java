package dev.ayb.matviews.cli;

import dev.ayb.matviews.ViewRef;

/** References the tests use to check through the library what a command did. */
final class Views {
    static final ViewRef LEADERBOARD = ViewRef.parse("public.leaderboard");

    private Views() {
    }
}
