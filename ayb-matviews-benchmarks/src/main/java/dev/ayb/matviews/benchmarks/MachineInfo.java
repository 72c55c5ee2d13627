package dev.ayb.matviews.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a run was measured on, written next to its figures: ratios travel between machines, absolute
 * times do not, and a reader needs to know which is which.
 *
 * @param cpu        the processor model from {@code /proc/cpuinfo}, or the architecture where there is none
 * @param memoryGiB  physical memory, 0 when the JVM cannot tell
 * @param postgres   {@code server_version} of the server the run used
 */
record MachineInfo(int cores, String cpu, long memoryGiB, String jvm, String os, String postgres) {

    static MachineInfo current(String postgresVersion) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), cpuModel(), physicalMemoryGiB(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                postgresVersion);
    }

    String describe() {
        return String.format(Locale.ROOT, "%d cores (%s), %d GiB, %s, %s, PostgreSQL %s", cores, cpu, memoryGiB, jvm,
                os, postgres);
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).strip();
                    }
                }
            }
        } catch (IOException e) {
            // Only a description; the architecture will do.
        }
        return System.getProperty("os.arch");
    }

    private static long physicalMemoryGiB() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return 0;
    }
}
