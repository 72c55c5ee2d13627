package dev.ayb.matviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualifiedNameTest {

    @Test
    void parsesSchemaAndView() {
        assertThat(QualifiedName.parse("stats.leaderboard")).isEqualTo(new QualifiedName("stats", "leaderboard"));
    }

    @Test
    void bareNameIsInThePublicSchema() {
        assertThat(QualifiedName.parse("leaderboard")).isEqualTo(new QualifiedName("public", "leaderboard"));
        assertThat(QualifiedName.of(null, "leaderboard").schema()).isEqualTo("public");
        assertThat(QualifiedName.of("", "leaderboard").schema()).isEqualTo("public");
    }

    @Test
    void extraDotsAreAnInvalidViewName() {
        assertThatThrownBy(() -> QualifiedName.parse("a.b.c")).hasMessage("invalid identifier: \"b.c\"");
        assertThatThrownBy(() -> QualifiedName.parse(".view")).hasMessage("invalid identifier: \"\"");
        assertThatThrownBy(() -> QualifiedName.parse("schema.")).hasMessage("invalid identifier: \"\"");
    }

    @Test
    void quotedFormDoubleQuotesBothParts() {
        assertThat(new QualifiedName("public", "Leaderboard").quoted()).isEqualTo("\"public\".\"Leaderboard\"");
        assertThat(new QualifiedName("public", "leaderboard")).hasToString("public.leaderboard");
    }

    @Test
    void namesAreCaseSensitive() {
        assertThat(new QualifiedName("public", "Leaderboard")).isNotEqualTo(new QualifiedName("public", "leaderboard"));
    }

    @Test
    void ordersBySchemaThenView() {
        List<QualifiedName> names = new ArrayList<>(List.of(QualifiedName.parse("b.a"), QualifiedName.parse("a.z"),
                QualifiedName.parse("a.b")));
        names.sort(null);
        assertThat(names).extracting(QualifiedName::toString).containsExactly("a.b", "a.z", "b.a");
    }
}
