package dev.ayb.matviews.examples;

import static dev.ayb.matviews.examples.ReactorPoms.BOM;
import static dev.ayb.matviews.examples.ReactorPoms.child;
import static dev.ayb.matviews.examples.ReactorPoms.children;
import static dev.ayb.matviews.examples.ReactorPoms.pom;
import static dev.ayb.matviews.examples.ReactorPoms.text;
import static dev.ayb.matviews.examples.ReactorPoms.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * ayb-matviews-bom manages every published artifact of the reactor, so a module added later cannot be left out
 * of it. A module is published unless its pom sets {@code maven.deploy.skip} (examples and benchmarks do).
 * The check reads the build files rather than any code, which is why it lives in this unpublished module.
 */
class BomTest {

    @Test
    void theBomManagesEveryPublishedModuleAtTheProjectVersion() throws Exception {
        Path root = RepositoryRoot.find();
        Element rootPom = pom(root);
        Element bom = pom(root.resolve(BOM));
        String groupId = text(rootPom, "groupId");

        List<String> published = new ArrayList<>();
        for (String module : ReactorPoms.publishedModules(root)) {
            published.add(text(pom(root.resolve(module)), "artifactId"));
        }
        List<String> managed = new ArrayList<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"),
                "dependency")) {
            String artifactId = text(dependency, "artifactId");
            assertThat(text(dependency, "groupId")).as("groupId of " + artifactId).isEqualTo(groupId);
            assertThat(text(dependency, "version")).as("version of " + artifactId).isEqualTo("${project.version}");
            managed.add(artifactId);
        }

        assertThat(texts(child(rootPom, "modules"), "module")).as("the reactor builds the BOM").contains(BOM);
        assertThat(published).as("the published modules").contains("ayb-matviews-core", "ayb-matviews-jdbc")
                .doesNotContain("ayb-matviews-examples", "ayb-matviews-benchmarks");
        assertThat(managed).as("what the BOM manages").containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void theBomHasNoParentSoItPinsNothingButOurOwnArtifacts() throws Exception {
        Path root = RepositoryRoot.find();
        Element rootPom = pom(root);
        Element bom = pom(root.resolve(BOM));

        assertThat(children(bom, "parent")).as("a parent's dependencyManagement would reach every consumer")
                .isEmpty();
        assertThat(text(bom, "groupId")).isEqualTo(text(rootPom, "groupId"));
        assertThat(text(bom, "version")).as("the BOM's own version, repeated since it has no parent")
                .isEqualTo(text(rootPom, "version"));
    }

    @Test
    void theBomPinsItsPluginsAtTheVersionsOfTheRootPluginManagement() throws Exception {
        Path root = RepositoryRoot.find();
        Map<String, String> rootVersions = pluginVersions(pom(root));
        Map<String, String> bomVersions = pluginVersions(pom(root.resolve(BOM)));

        assertThat(bomVersions).as("the plugins a pom-packaged module runs").containsKeys(
                "maven-clean-plugin", "maven-install-plugin");
        assertThat(rootVersions).as("the root's pluginManagement").containsAllEntriesOf(bomVersions);
    }

    /** artifactId to version of each plugin in the pom's build/pluginManagement. */
    private static Map<String, String> pluginVersions(Element pom) {
        Map<String, String> versions = new TreeMap<>();
        for (Element plugin : children(child(child(child(pom, "build"), "pluginManagement"), "plugins"),
                "plugin")) {
            versions.put(text(plugin, "artifactId"), text(plugin, "version"));
        }
        return versions;
    }
}
