package dev.ayb.matviews.benchmarks;

import dev.ayb.matviews.testkit.EmbeddedPostgres;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the seven benchmarks of the library on an embedded PostgreSQL, prints the table and writes
 * {@code ayb-matviews-benchmarks/target/benchmarks.json} (and {@code benchmarks.md}, the same table in
 * Markdown for the README).
 *
 * <pre>
 * ./mvnw -q -B -DskipTests package -pl ayb-matviews-benchmarks -am &amp;&amp; java -jar ayb-matviews-benchmarks/target/ayb-matviews-benchmarks.jar
 * java -jar ayb-matviews-benchmarks/target/ayb-matviews-benchmarks.jar --only 2,3
 * </pre>
 *
 * <p>Every figure is measured in the same run as its baseline, interleaved with it, after a warm-up. The
 * claim is the ratio: absolute times depend on the machine and on whatever else it is doing. Nothing here
 * asserts a timing; a missed target is reported, and the exit status is non-zero only when a benchmark
 * could not run.
 */
public final class BenchmarkSuite {
    static final String COMMAND = "./mvnw -q -B -DskipTests package -pl ayb-matviews-benchmarks -am"
            + " && java -jar ayb-matviews-benchmarks/target/ayb-matviews-benchmarks.jar";

    private static final List<Benchmark> ALL = List.of(new RefreshOverheadBenchmark(), new ConflictBenchmark(),
            new ReadApiBenchmark(), new SchedulerBenchmark(), new AvailabilityBenchmark(),
            new ChangeTrackingBenchmark(), new TargetLagBenchmark(), new EventDeliveryBenchmark());

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        // The library and the pools log at INFO; the table is what matters here.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Set<Integer> only = new TreeSet<>();
        Path out = defaultOutput();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> {
                    for (String number : value(args, ++i).split(",")) {
                        only.add(Integer.parseInt(number.strip()));
                    }
                }
                case "--out" -> out = Path.of(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println("Usage: java -jar ayb-matviews-benchmarks.jar [--only N[,N...]] [--out FILE]");
                    System.out.println("Benchmarks: ");
                    ALL.forEach(b -> System.out.println("  " + b.number() + ". " + b.title()));
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
            }
        }
        System.exit(run(only, out, System.out));
    }

    static int run(Set<Integer> only, Path jsonFile, PrintStream out) throws Exception {
        long suiteStart = System.nanoTime();
        List<Figure> figures = new ArrayList<>();
        List<JsonReport.Elapsed> elapsed = new ArrayList<>();
        boolean failed = false;
        MachineInfo machine;
        out.println("Starting embedded PostgreSQL...");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.startTemporary();
             BenchmarkContext context = new BenchmarkContext(postgres, out)) {
            machine = MachineInfo.current(context.queryString("SHOW server_version"));
            out.println("Machine: " + machine.describe());
            for (Benchmark benchmark : ALL) {
                if (!only.isEmpty() && !only.contains(benchmark.number())) {
                    continue;
                }
                out.println();
                out.println(benchmark.number() + ". " + benchmark.title());
                long start = System.nanoTime();
                double loadBefore = loadAverage();
                try {
                    List<Figure> own = benchmark.run(context);
                    figures.addAll(own);
                    out.print(ResultTable.text(own));
                } catch (Exception | AssertionError e) {
                    failed = true;
                    out.println("  FAILED: " + e);
                    e.printStackTrace(out);
                } finally {
                    context.closeOpened();
                }
                long took = System.nanoTime() - start;
                double loadAfter = loadAverage();
                elapsed.add(new JsonReport.Elapsed(benchmark.number(), benchmark.title(), took / 1e9, loadBefore,
                        loadAfter));
                out.printf(Locale.ROOT, "  (%s; load average %.2f before, %.2f after)%n", Format.seconds(took),
                        loadBefore, loadAfter);
            }
        }
        long total = System.nanoTime() - suiteStart;
        long met = figures.stream().filter(f -> Boolean.TRUE.equals(f.met())).count();
        long missed = figures.stream().filter(f -> Boolean.FALSE.equals(f.met())).count();
        out.println();
        out.println("All figures (" + machine.describe() + "):");
        out.print(ResultTable.text(figures));
        out.println(ResultTable.LEGEND);
        out.println();
        for (Figure figure : figures) {
            if (figure.note() != null) {
                out.println(figure.benchmark() + ". " + figure.name() + ": " + figure.note());
            }
        }
        out.println();
        out.printf(Locale.ROOT, "Targets met: %d of %d. Total time %s.%n", met, met + missed, Format.seconds(total));
        JsonReport.write(jsonFile, new JsonReport.Report(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                COMMAND, machine, total / 1e9, elapsed, figures, met, missed));
        Path markdown = jsonFile.resolveSibling("benchmarks.md");
        Files.writeString(markdown, "Measured on " + machine.describe() + ".\n\n" + ResultTable.markdown(figures)
                + "\n" + ResultTable.LEGEND + "\n", StandardCharsets.UTF_8);
        out.println("Wrote " + jsonFile + " and " + markdown);
        return failed ? 1 : 0;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** {@code ayb-matviews-benchmarks/target/benchmarks.json} from the repository root, or from the module. */
    private static Path defaultOutput() {
        Path module = Path.of("ayb-matviews-benchmarks");
        Path base = Files.isDirectory(module) ? module : Path.of("");
        return base.resolve("target").resolve("benchmarks.json");
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
