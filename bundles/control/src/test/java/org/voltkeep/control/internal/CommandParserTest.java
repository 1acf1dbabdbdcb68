package org.voltkeep.control.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voltkeep.charging.LimitRequest;

class CommandParserTest {

    @Test
    void parsesEveryCommand() throws Exception {
        assertThat(CommandParser.parse("{\"cmd\":\"status\"}")).isEqualTo(new Command.Status());
        assertThat(CommandParser.parse("{\"cmd\":\"authorize\",\"idTag\":\"demo\"}")).isEqualTo(new Command.Authorize("demo"));
        assertThat(CommandParser.parse("{\"cmd\":\"stop\"}")).isEqualTo(new Command.Stop());
        assertThat(CommandParser.parse("{\"cmd\":\"clear-limit\",\"claimId\":\"cli\"}")).isEqualTo(new Command.ClearLimit("cli"));
        assertThat(CommandParser.parse("{\"cmd\":\"reset-faults\"}")).isEqualTo(new Command.ResetFaults());
        assertThat(CommandParser.parse("{\"cmd\":\"sessions\",\"max\":3}")).isEqualTo(new Command.Sessions(3));
        assertThat(CommandParser.parse("{\"cmd\":\"sessions\"}")).isEqualTo(new Command.Sessions(CommandParser.DEFAULT_SESSIONS));
        assertThat(CommandParser.parse(" {\"cmd\":\"watch\"} ")).isEqualTo(new Command.Watch());
        assertThat(CommandParser.parse("{\"cmd\":\"ping\"}")).isEqualTo(new Command.Ping());
    }

    @Test
    void aLimitBecomesARequestInMilliampsAndSeconds() throws Exception {
        Command c = CommandParser.parse("{\"cmd\":\"limit\",\"claimId\":\"cli\",\"priority\":10,\"amps\":10.5,\"ttlSeconds\":60}");
        assertThat(c).isEqualTo(new Command.Limit(new LimitRequest("cli", 10, 10_500, Duration.ofSeconds(60))));
        Command whole = CommandParser.parse("{\"cmd\":\"limit\",\"claimId\":\"a\",\"priority\":0,\"amps\":6,\"ttlSeconds\":1}");
        assertThat(((Command.Limit) whole).request().milliamps()).isEqualTo(6_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"cmd\":\"status\"|malformed JSON",
        "[1,2]|malformed JSON",
        "{}|$.cmd: missing",
        "{\"cmd\":7}|$.cmd: expected a string",
        "{\"cmd\":\"fly\"}|$.cmd: unknown command 'fly'",
        "{\"cmd\":\"status\",\"verbose\":true}|$.verbose: unknown key",
        "{\"cmd\":\"authorize\"}|$.idTag: missing",
        "{\"cmd\":\"authorize\",\"idTag\":5}|$.idTag: expected a string",
        "{\"cmd\":\"authorize\",\"idTag\":\"\"}|$.idTag: must be 1..36",
        "{\"cmd\":\"authorize\",\"idTag\":\"has space\"}|$.idTag: must be 1..36",
        "{\"cmd\":\"limit\",\"priority\":10,\"amps\":10,\"ttlSeconds\":60}|$.claimId: missing",
        "{\"cmd\":\"limit\",\"claimId\":\"a b\",\"priority\":10,\"amps\":10,\"ttlSeconds\":60}|$.claimId: 'a b' must be",
        "{\"cmd\":\"limit\",\"claimId\":\"c\",\"priority\":101,\"amps\":10,\"ttlSeconds\":60}|$.priority: 101 is outside 0..100",
        "{\"cmd\":\"limit\",\"claimId\":\"c\",\"priority\":10,\"amps\":\"10\",\"ttlSeconds\":60}|$.amps: expected a number",
        "{\"cmd\":\"limit\",\"claimId\":\"c\",\"priority\":10,\"amps\":-1,\"ttlSeconds\":60}|$.amps: -1 A is outside 0..80",
        "{\"cmd\":\"limit\",\"claimId\":\"c\",\"priority\":10,\"amps\":80.001,\"ttlSeconds\":60}|$.amps: 80.001 A is outside",
        "{\"cmd\":\"limit\",\"claimId\":\"c\",\"priority\":10,\"amps\":10}|$.ttlSeconds: missing",
        "{\"cmd\":\"limit\",\"claimId\":\"c\",\"priority\":10,\"amps\":10,\"ttlSeconds\":0}|$.ttlSeconds: 0 is outside 1..3600",
        "{\"cmd\":\"limit\",\"claimId\":\"c\",\"priority\":10,\"amps\":10,\"ttlSeconds\":3601}|$.ttlSeconds: 3601 is outside",
        "{\"cmd\":\"limit\",\"claimId\":\"c\",\"priority\":10,\"amps\":10,\"ttlSeconds\":1.5}|$.ttlSeconds: expected a whole number",
        "{\"cmd\":\"sessions\",\"max\":0}|$.max: 0 is outside 1..1000",
        "{\"cmd\":\"clear-limit\"}|$.claimId: missing",
    })
    void refusesBadLinesNamingTheField(String line, String expected) {
        assertThatThrownBy(() -> CommandParser.parse(line))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void theUnknownCommandErrorListsTheKnownOnes() {
        assertThatThrownBy(() -> CommandParser.parse("{\"cmd\":\"stat\"}"))
                .hasMessageContaining(String.join(", ", CommandParser.COMMANDS));
    }
}
