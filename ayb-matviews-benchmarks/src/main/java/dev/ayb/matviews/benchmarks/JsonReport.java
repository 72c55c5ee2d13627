package dev.ayb.matviews.benchmarks;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code benchmarks.json}: the machine, how long each benchmark took, and every figure with its baseline,
 * ratio, target and whether it was met. Field names are the records' component names.
 */
final class JsonReport {
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * One benchmark's wall time in this run, and the machine's one-minute load average before and after it
     * (negative where the system does not report one): a load well above 0 means other processes shared the
     * cores, and absolute times from that benchmark are noisier than usual.
     */
    record Elapsed(int benchmark, String title, double elapsedSeconds, double loadAverageBefore,
                   double loadAverageAfter) {
    }

    record Report(String generatedAt, String command, MachineInfo machine, double elapsedSeconds,
                  List<Elapsed> benchmarks, List<Figure> figures, long targetsMet, long targetsMissed) {
    }

    private JsonReport() {
    }

    static void write(Path file, Report report) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        MAPPER.writeValue(file.toFile(), report);
    }
}
