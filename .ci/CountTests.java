import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;

/**
 * Counts the JUnit XML reports of every module (Surefire's target/surefire-reports
 * and the in-framework runs' target/test-reports), fails when a module with tests
 * left no report or a suite ran zero tests, and ends with "N passed, N failed".
 */
public class CountTests {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int tests = 0, failures = 0, errors = 0, skipped = 0;
        List<String> problems = new ArrayList<>();
        List<Path> modules;
        try (Stream<Path> s = Files.walk(root, 4)) {
            modules = s.filter(p -> p.getFileName().toString().equals("pom.xml")).map(Path::getParent)
                    .filter(m -> Files.isDirectory(m.resolve("src/test/java"))).sorted().toList();
        }
        for (Path module : modules) {
            List<Path> reports = new ArrayList<>();
            for (String dir : List.of("target/surefire-reports", "target/test-reports")) {
                Path d = module.resolve(dir);
                if (Files.isDirectory(d)) {
                    try (Stream<Path> s = Files.walk(d)) {
                        s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).forEach(reports::add);
                    }
                }
            }
            String name = root.relativize(module).toString();
            if (hasTestSources(module) && reports.isEmpty()) {
                problems.add(name + ": has tests but left no JUnit report");
            }
            int moduleTests = 0;
            for (Path r : reports) {
                Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(r.toFile()).getDocumentElement();
                int t = attr(suite, "tests");
                moduleTests += t;
                tests += t;
                failures += attr(suite, "failures");
                errors += attr(suite, "errors");
                skipped += attr(suite, "skipped");
                if (t == 0) {
                    problems.add(name + ": suite " + suite.getAttribute("name") + " ran zero tests");
                }
            }
            if (!reports.isEmpty()) {
                System.out.printf("[ci] %-40s %4d tests in %d suites%n", name, moduleTests, reports.size());
            }
        }
        for (String p : problems) {
            System.out.println("[ci] PROBLEM " + p);
        }
        if (skipped > 0) {
            System.out.println("[ci] " + skipped + " skipped");
        }
        int failed = failures + errors;
        System.out.println((tests - failed - skipped) + " passed, " + failed + " failed");
        System.exit(problems.isEmpty() && failed == 0 && tests > 0 ? 0 : 1);
    }

    private static boolean hasTestSources(Path module) throws IOException {
        try (Stream<Path> s = Files.walk(module.resolve("src/test/java"))) {
            return s.anyMatch(p -> p.toString().endsWith("Test.java"));
        }
    }

    private static int attr(Element e, String name) {
        String v = e.getAttribute(name);
        return v.isEmpty() ? 0 : Integer.parseInt(v);
    }
}
