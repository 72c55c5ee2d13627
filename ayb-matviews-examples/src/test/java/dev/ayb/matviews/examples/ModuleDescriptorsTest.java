package dev.ayb.matviews.examples;

import static dev.ayb.matviews.examples.ReactorPoms.pom;
import static dev.ayb.matviews.examples.ReactorPoms.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every published artifact is a named module whose descriptor exports no {@code internal} package, not even to
 * chosen modules: what is internal stays internal for applications on the module path, and the compiler refuses
 * a module of the library that imports another's internals. The check reads what the build made, the jars (or
 * the compiled classes when the jars are not made yet), so it holds whatever the sources say. It lives here
 * because this unpublished module builds after all the others: every published module is a dependency (the CLI
 * only for the tests).
 */
class ModuleDescriptorsTest {
    private static final String MODULE_PREFIX = "dev.ayb.matviews.";

    @Test
    void everyPublishedArtifactIsANamedModuleThatExportsNoInternalPackage() throws Exception {
        Path root = RepositoryRoot.find();
        String version = text(pom(root), "version");
        List<String> modules = ReactorPoms.publishedModules(root);
        assertThat(modules).as("the published modules").contains("ayb-matviews-core", "ayb-matviews-cli");

        for (String module : modules) {
            String artifactId = text(pom(root.resolve(module)), "artifactId");
            Path built = built(root.resolve(module), artifactId + "-" + version + ".jar");
            Set<ModuleReference> found = ModuleFinder.of(built).findAll();
            assertThat(found).as("the module in %s", built).hasSize(1);
            ModuleDescriptor descriptor = found.iterator().next().descriptor();

            assertThat(descriptor.isAutomatic()).as("%s has no module-info.java", artifactId).isFalse();
            assertThat(descriptor.name()).as("the module name of %s", artifactId).startsWith(MODULE_PREFIX);
            for (ModuleDescriptor.Exports export : descriptor.exports()) {
                assertThat(export.source()).as("a package %s exports%s", descriptor.name(),
                        export.isQualified() ? " to " + export.targets() : "").doesNotContain(".internal");
            }
        }
    }

    /** The module's jar when the build packaged it, otherwise its compiled classes. */
    private static Path built(Path moduleDirectory, String jarName) {
        Path jar = moduleDirectory.resolve("target").resolve(jarName);
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Path classes = moduleDirectory.resolve("target").resolve("classes");
        assertThat(classes.resolve("module-info.class")).as("the compiled descriptor of %s (build it first)",
                moduleDirectory.getFileName()).isRegularFile();
        return classes;
    }
}
