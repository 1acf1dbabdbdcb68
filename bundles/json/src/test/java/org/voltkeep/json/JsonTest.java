package org.voltkeep.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsTypedValuesAndWritesThemBack() {
        Json.Obj o = Json.parseObject("""
                {"name": "rcd \\"trip\\"\\n", "amps": 16, "ratio": -1.5e2, "on": true, "none": null,
                 "list": [1, {"x": "\\u00e9"}], "empty": {}}""");
        assertThat(o.string("name")).isEqualTo("rcd \"trip\"\n");
        assertThat(o.integer("amps")).isEqualTo(16);
        assertThat(o.number("ratio")).isEqualTo(-150.0);
        assertThat(o.bool("on")).isTrue();
        assertThat(o.arr("list").obj(1).string("x")).isEqualTo("é");
        Json.Obj again = Json.parseObject(o.write());
        assertThat(again.write()).isEqualTo(o.write());
        assertThat(Json.parseObject(o.writePretty()).write()).isEqualTo(o.write());
    }

    @Test
    void typeAndRangeErrorsNameThePath() {
        Json.Obj o = Json.parseObject("{\"ev\": {\"amps\": \"16\", \"phases\": 5, \"x\": 1.5, \"kind\": \"car\"}}");
        assertThatThrownBy(() -> o.obj("ev").integer("amps")).hasMessage("$.ev.amps: expected a number, found string");
        assertThatThrownBy(() -> o.obj("ev").integer("phases", 1, 3)).hasMessage("$.ev.phases: 5 is outside 1..3");
        assertThatThrownBy(() -> o.obj("ev").integer("x")).hasMessage("$.ev.x: expected a whole number, found 1.5");
        assertThatThrownBy(() -> o.obj("ev").string("missing")).hasMessage("$.ev.missing: missing");
        assertThatThrownBy(() -> o.obj("ev").onlyKeys("amps", "phases", "x")).hasMessageContaining("$.ev.kind: unknown key");
        assertThatThrownBy(() -> o.obj("ev").enumValue("kind", java.time.DayOfWeek.class)).hasMessageContaining("'car' is not one of");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{                      | unexpected end of input",
        "{\"a\" 1}              | expected ':'",
        "{\"a\": 1,}            | expected a quoted key",
        "[1, 2                  | unexpected end of input",
        "{\"a\": 01}            | leading zero",
        "{\"a\": 1} x           | unexpected text after the value",
        "{\"a\": tru}           | expected 'true'",
        "{\"a\": \"\\q\"}       | bad escape",
        "{\"a\": 1, \"a\": 2}   | duplicate key 'a'",
        "{\"a\": -}             | expected a digit",
        "{\"a\": \"\\u12\"}     | \\u escape",
    })
    void malformedInputIsRefusedWithPosition(String text, String message) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonException.class)
                .hasMessageContaining("JSON line 1 column").hasMessageContaining(message);
    }

    @Test
    void nestingIsBounded() {
        String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nesting deeper than 64");
    }

    @Test
    void controlCharactersAreEscapedSoOneValueIsOneLine() {
        String line = Json.object().put("s", "a\nb\u0001\u2028").write();
        assertThat(line).doesNotContain("\n").contains("\\n").contains("\\u0001").contains("\\u2028");
        assertThat(Json.parseObject(line).string("s")).isEqualTo("a\nb\u0001\u2028");
    }

    @Test
    void lineAndColumnAreCounted() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}")).hasMessageContaining("JSON line 3 column 7");
    }
}
