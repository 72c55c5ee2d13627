package dev.ayb.matviews;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {
    private static final QualifiedName BASE = QualifiedName.parse("public.base");
    private static final QualifiedName LEFT = QualifiedName.parse("public.left_mid");
    private static final QualifiedName RIGHT = QualifiedName.parse("other.right_mid");
    private static final QualifiedName TOP = QualifiedName.parse("public.top");
    private static final QualifiedName LONELY = QualifiedName.parse("public.lonely");

    private final DependencyGraph diamond = new DependencyGraph(Map.of(
            LEFT, Set.of(BASE), RIGHT, Set.of(BASE), TOP, Set.of(LEFT, RIGHT), LONELY, Set.of()));

    @Test
    void upstreamListsEverySourceBeforeWhatReadsIt() {
        List<QualifiedName> upstream = diamond.upstreamOf(TOP);
        assertThat(upstream).containsExactlyInAnyOrder(BASE, LEFT, RIGHT);
        assertThat(upstream.get(0)).isEqualTo(BASE);
    }

    @Test
    void refreshSetsAreMinimalAndOrdered() {
        assertThat(diamond.refreshSet(TOP, Cascade.UPSTREAM)).containsExactly(BASE, RIGHT, LEFT, TOP);
        assertThat(diamond.refreshSet(BASE, Cascade.DOWNSTREAM)).containsExactly(BASE, RIGHT, LEFT, TOP);
        assertThat(diamond.refreshSet(LEFT, Cascade.BOTH)).containsExactly(BASE, LEFT, TOP);
        assertThat(diamond.refreshSet(LEFT, Cascade.NONE)).containsExactly(LEFT);
        assertThat(diamond.refreshSet(LONELY, Cascade.BOTH)).containsExactly(LONELY);
    }

    @Test
    void aCycleInTheCatalogNeverLoopsAndEveryViewAppearsOnce() {
        QualifiedName a = QualifiedName.parse("public.a");
        QualifiedName b = QualifiedName.parse("public.b");
        QualifiedName c = QualifiedName.parse("public.c");
        DependencyGraph cyclic = new DependencyGraph(Map.of(a, Set.of(b), b, Set.of(c), c, Set.of(a)));

        assertThat(cyclic.refreshSet(a, Cascade.BOTH)).containsExactlyInAnyOrder(a, b, c);
        assertThat(cyclic.upstreamOf(a)).containsExactlyInAnyOrder(b, c);
        assertThat(cyclic.downstreamOf(a)).containsExactlyInAnyOrder(b, c);
    }

    @Test
    void aViewReadingItselfIsNotItsOwnDependency() {
        DependencyGraph selfish = new DependencyGraph(Map.of(BASE, Set.of(BASE)));
        assertThat(selfish.refreshSet(BASE, Cascade.BOTH)).containsExactly(BASE);
    }

    @Test
    void cascadeWireNames() {
        assertThat(Cascade.fromWire("upstream")).isEqualTo(Cascade.UPSTREAM);
        assertThat(Cascade.fromWire("BOTH")).isEqualTo(Cascade.BOTH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cascade.fromWire("sideways"))
                .hasMessage("cascade must be one of none, upstream, downstream, both");
    }
}
