package dev.ayb.matviews.jdbc.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.jdbc.support.LibrarySchema;
import org.junit.jupiter.api.Test;

/** The names of the objects capture from the WAL installs, which no caller text reaches. */
class TrackingSqlTest {

    @Test
    void theDefaultSchemaPublishesUnderThePlainNameAndOthersUnderADigestOfTheirs() {
        assertThat(TrackingSql.publicationName(new LibrarySchema("ayb"))).isEqualTo("ayb_matviews_changes");
        String other = TrackingSql.publicationName(new LibrarySchema("Tenant_A"));
        assertThat(other).matches("ayb_matviews_changes_[0-9a-f]{8}")
                .isNotEqualTo(TrackingSql.publicationName(new LibrarySchema("tenant_a")));
        String longest = TrackingSql.publicationName(new LibrarySchema("s".repeat(63)));
        assertThat(longest.length()).as("within PostgreSQL's 63-byte names").isLessThanOrEqualTo(63);
    }
}
