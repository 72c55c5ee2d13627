package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The build's poms read as XML, for the tests that check the build itself (BOM, module descriptors). */
final class ReactorPoms {
    static final String BOM = "ayb-matviews-bom";

    private ReactorPoms() {
    }

    /**
     * The directories of the root pom's modules that are published: every one but the BOM itself and those whose
     * pom sets {@code maven.deploy.skip} (examples and benchmarks).
     */
    static List<String> publishedModules(Path root) throws IOException, ParserConfigurationException, SAXException {
        List<String> published = new ArrayList<>();
        for (String module : texts(child(pom(root), "modules"), "module")) {
            if (!module.equals(BOM) && !"true".equals(property(pom(root.resolve(module)), "maven.deploy.skip"))) {
                published.add(module);
            }
        }
        return published;
    }

    static Element pom(Path directory) throws IOException, ParserConfigurationException, SAXException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(directory.resolve("pom.xml").toFile()).getDocumentElement();
    }

    static String property(Element pom, String name) {
        List<Element> properties = children(pom, "properties");
        return properties.isEmpty() || children(properties.get(0), name).isEmpty() ? null
                : text(properties.get(0), name);
    }

    static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    static String text(Element parent, String name) {
        return child(parent, name).getTextContent().strip();
    }

    static List<String> texts(Element parent, String name) {
        return children(parent, name).stream().map(element -> element.getTextContent().strip()).toList();
    }

    /** Direct children only: a pom nests groupId, artifactId and version at several depths. */
    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }
}
