package org.voltkeep.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class PropertiesParserTest {

    private static Map<String, String> values(String text) throws Exception {
        Map<String, String> m = new TreeMap<>();
        PropertiesParser.parse(text).forEach((k, v) -> m.put(k, v.value()));
        return m;
    }

    private static Map<String, String> jdk(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    @Test
    void readsWhatPropertiesLoadReads() throws Exception {
        String text = String.join("\n",
                "# comment",
                "! also a comment \\",
                "a=1",
                "  b : two words  ",
                "c three",
                "d\\ key = x\\ty",
                "e = first \\",
                "    second \\",
                "\tthird",
                "f = ends with backslash \\\\",
                "g = caf\\u00e9",
                "h=",
                "i",
                "j = a=b:c",
                "k\\=x = y",
                "l = \\#not a comment",
                "m = tail\\");
        assertThat(values(text)).isEqualTo(jdk(text));
    }

    @Test
    void acceptsAllLineEndings() throws Exception {
        String text = "a=1\r\nb=2\rc=3\nd=4 \\\r\n  5";
        assertThat(values(text)).isEqualTo(jdk(text)).containsEntry("d", "4 5");
    }

    @Test
    void remembersTheLineALogicalLineStartsOn() throws Exception {
        Map<String, PropertiesParser.Entry> m = PropertiesParser.parse("# c\n\na = 1 \\\n  2\nb = 3\n");
        assertThat(m.get("a").line()).isEqualTo(3);
        assertThat(m.get("b").line()).isEqualTo(5);
    }

    @Test
    void refusesADuplicateKeyNamingBothLines() {
        assertThatThrownBy(() -> PropertiesParser.parse("x=1\ny=2\nx=3\n"))
                .isInstanceOf(CfgException.class)
                .hasMessageContaining("line 3, key 'x'")
                .hasMessageContaining("line 1");
    }

    @Test
    void refusesAMalformedUnicodeEscapeNamingLineAndKey() {
        assertThatThrownBy(() -> PropertiesParser.parse("ok=1\nname = bad\\u12g4\n"))
                .isInstanceOf(CfgException.class)
                .hasMessageContaining("line 2, key 'name'")
                .hasMessageContaining("\\u12g4");
        assertThatThrownBy(() -> PropertiesParser.parse("name = short\\u12"))
                .hasMessageContaining("line 1, key 'name'");
    }

    @Test
    void refusesAnEmptyKey() {
        assertThatThrownBy(() -> PropertiesParser.parse("a=1\n = value\n"))
                .isInstanceOf(CfgException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("empty key");
    }
}
