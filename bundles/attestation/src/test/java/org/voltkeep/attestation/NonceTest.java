package org.voltkeep.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NonceTest {

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 32, 64})
    void acceptsEightToSixtyFourBytes(int bytes) {
        Nonce n = Nonce.of("a5".repeat(bytes));
        assertThat(n.bytes()).hasSize(bytes);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 65, 200})
    void refusesOtherLengths(int bytes) {
        assertThatThrownBy(() -> Nonce.of("a5".repeat(bytes)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 8 to 64 bytes");
    }

    @Test
    void refusesAnOddCountOfDigits() {
        assertThatThrownBy(() -> Nonce.of("0".repeat(17))).hasMessageContaining("even count");
    }

    @Test
    void refusesNonHexAndNamesThePosition() {
        assertThatThrownBy(() -> Nonce.of("00112233445566778g"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-hex character at position 18");
    }

    @Test
    void keepsUpperCaseAsLowerCase() {
        assertThat(Nonce.of("ABCDEF0123456789").hex()).isEqualTo("abcdef0123456789");
        assertThat(Nonce.of("ABCDEF0123456789")).isEqualTo(Nonce.of("abcdef0123456789"));
    }

    @Test
    void randomNoncesHave32BytesAndDiffer() {
        SecureRandom r = new SecureRandom();
        Nonce a = Nonce.random(r);
        Nonce b = Nonce.random(r);
        assertThat(a.bytes()).hasSize(32);
        assertThat(a).isNotEqualTo(b);
    }
}
