package dev.ayb.matviews.benchmarks;

import java.util.List;

/** One of the measurements: sets up its own data, measures, and returns its figures. */
interface Benchmark {

    /** Its number in the issue, as {@code --only} takes it. */
    int number();

    String title();

    /** Runs on a server shared with the other benchmarks; whatever it opens goes through the context. */
    List<Figure> run(BenchmarkContext context) throws Exception;
}
