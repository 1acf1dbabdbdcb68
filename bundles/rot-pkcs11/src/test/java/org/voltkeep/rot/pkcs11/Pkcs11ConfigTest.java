package org.voltkeep.rot.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.rot.api.RotException;

class Pkcs11ConfigTest {

    @TempDir
    Path dir;

    /** Any existing file stands in for the module: loading only checks that it exists. */
    private String library() throws Exception {
        return Files.writeString(dir.resolve("libfake-pkcs11.so"), "").toString();
    }

    private Path config(String text) throws Exception {
        return Files.writeString(dir.resolve("pkcs11.properties"), text);
    }

    @Test
    void slotAndInlinePin() throws Exception {
        Pkcs11Config c = Pkcs11Config.load(config("library = " + library() + "\nslot = 1437311682\npin = 123456\n"));

        assertThat(c.token()).isEqualTo(new Pkcs11Config.Slot(1437311682L));
        assertThat(c.pin()).containsExactly('1', '2', '3', '4', '5', '6');
        assertThat(c.toString()).contains("slot 1437311682").doesNotContain("123456");
    }

    @Test
    void tokenLabelAndPinFileRelativeToTheConfig() throws Exception {
        Files.writeString(dir.resolve("pin.txt"), "s3cret-pin\n");
        Pkcs11Config c = Pkcs11Config.load(config("library = " + library() + "\ntokenLabel = voltkeep\npinFile = pin.txt\n"));

        assertThat(c.token()).isEqualTo(new Pkcs11Config.TokenLabel("voltkeep"));
        assertThat(new String(c.pin())).isEqualTo("s3cret-pin");
        assertThat(c.toString()).contains("token label 'voltkeep'").doesNotContain("s3cret");
    }

    @Test
    void slotListIndex() throws Exception {
        assertThat(Pkcs11Config.load(config("library = " + library() + "\nslotListIndex = 2\npin = 1\n")).token())
                .isEqualTo(new Pkcs11Config.SlotListIndex(2));
    }

    @Test
    void mistakesAreNamedWithoutShowingThePin() throws Exception {
        String lib = library();
        assertThatThrownBy(() -> Pkcs11Config.load(config("slot = 1\npin = 99887766\n")))
                .isInstanceOf(RotException.class).hasMessageContaining("lacks 'library'").hasMessageNotContaining("99887766");
        assertThatThrownBy(() -> Pkcs11Config.load(config("library = /no/such/lib.so\nslot = 1\npin = 99887766\n")))
                .isInstanceOf(RotException.class).hasMessageContaining("/no/such/lib.so does not exist");
        assertThatThrownBy(() -> Pkcs11Config.load(config("library = " + lib + "\nslot = 1\ntokenLabel = x\npin = 99887766\n")))
                .isInstanceOf(RotException.class).hasMessageContaining("exactly one of slot, slotListIndex, tokenLabel (found 2)");
        assertThatThrownBy(() -> Pkcs11Config.load(config("library = " + lib + "\nslot = 1\n")))
                .isInstanceOf(RotException.class).hasMessageContaining("exactly one of pin, pinFile");
        assertThatThrownBy(() -> Pkcs11Config.load(config("library = " + lib + "\nslot = one\npin = 99887766\n")))
                .isInstanceOf(RotException.class).hasMessageContaining("bad token selector").hasMessageNotContaining("99887766");
        assertThatThrownBy(() -> Pkcs11Config.load(config("library = " + lib + "\nslot = 1\npin = 99887766\nso-pin = 1\n")))
                .isInstanceOf(RotException.class).hasMessageContaining("unknown keys [so-pin]").hasMessageNotContaining("99887766");
        assertThatThrownBy(() -> Pkcs11Config.load(config("library = " + lib + "\nslot = 1\npinFile = missing.txt\n")))
                .isInstanceOf(RotException.class).hasMessageContaining("PIN file").hasMessageContaining("missing.txt").hasMessageEndingWith("does not exist");
        assertThatThrownBy(() -> Pkcs11Config.load(dir.resolve("absent.properties")))
                .isInstanceOf(RotException.class).hasMessageContaining("absent.properties does not exist");
    }
}
