package dev.ayb.matviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ViewRefTest {

    @Test
    void aUuidIsARegistrationId() {
        UUID id = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
        assertThat(ViewRef.parse(id.toString())).isEqualTo(ViewRef.of(id));
        assertThat(ViewRef.parse(id.toString().toUpperCase())).isEqualTo(ViewRef.of(id));
    }

    @Test
    void schemaDotViewAndBareNamesAreViewNames() {
        assertThat(ViewRef.parse("public.leaderboard")).isEqualTo(ViewRef.of(QualifiedName.parse("public.leaderboard")));
        assertThat(ViewRef.parse("leaderboard")).isEqualTo(ViewRef.of(QualifiedName.parse("public.leaderboard")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "1-1-1-1-1", "12345", "", "550e8400-e29b-41d4-a716-44665544000g",
            "550e8400-e29b-41d4-a716-4466554400000"})
    void textThatIsNeitherIsAnInvalidIdFormat(String text) {
        assertThatThrownBy(() -> ViewRef.parse(text))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ID_FORMAT);
                    assertThat(e.getMessage()).isEqualTo("invalid matview id format");
                });
    }

    @Test
    void textThatDoesNotParseTravelsBesideTheExactMessage() {
        assertThatThrownBy(() -> ViewRef.parse("not-a-uuid")).isInstanceOfSatisfying(MatviewException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("invalid matview id format");
            assertThat(e.ref()).contains("not-a-uuid");
            assertThat(e.view()).isEmpty();
        });
        assertThatThrownBy(() -> ViewRef.parse("public.bad-name")).isInstanceOfSatisfying(MatviewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IDENTIFIER);
            assertThat(e.getMessage()).isEqualTo("invalid identifier: \"bad-name\"");
            assertThat(e.ref()).contains("public.bad-name");
        });
    }

    @Test
    void aBadNameAfterASchemaIsAnInvalidIdentifier() {
        assertThatThrownBy(() -> ViewRef.parse("public.bad-name")).hasMessage("invalid identifier: \"bad-name\"");
    }
}
