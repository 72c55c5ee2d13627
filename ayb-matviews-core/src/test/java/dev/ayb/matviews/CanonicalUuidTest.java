package dev.ayb.matviews;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class CanonicalUuidTest {

    @RepeatedTest(50)
    void everyCanonicalTextIsItsIdInEitherCase() {
        UUID id = UUID.randomUUID();

        assertThat(CanonicalUuid.parse(id.toString())).contains(id);
        assertThat(CanonicalUuid.parse(id.toString().toUpperCase(Locale.ROOT))).contains(id);
    }

    @Test
    void formsUuidFromStringWouldStretchAreNotIds() {
        assertThat(UUID.fromString("1-1-1-1-1")).isNotNull();

        assertThat(CanonicalUuid.parse("1-1-1-1-1")).isEmpty();
        assertThat(CanonicalUuid.parse("00000001-0001-0001-0001-1")).isEmpty();
        assertThat(CanonicalUuid.parse("0000000g-0000-0000-0000-000000000000")).isEmpty();
        assertThat(CanonicalUuid.parse("00000000+0000-0000-0000-000000000000")).isEmpty();
        assertThat(CanonicalUuid.parse("")).isEmpty();
        assertThat(CanonicalUuid.parse(null)).isEmpty();
    }
}
