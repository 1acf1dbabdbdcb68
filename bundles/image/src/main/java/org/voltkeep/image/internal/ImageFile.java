package org.voltkeep.image.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageRejected.Reason;

/** Reads an image file into memory, once, within the size cap. */
public final class ImageFile {
    private ImageFile() {
    }

    /** The whole file in one array, in as few reads as the file system allows. */
    public static byte[] read(Path image, long cap) throws ImageRejected {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > cap) {
                throw new ImageRejected(Reason.SIZE_LIMIT, null, image.getFileName() + " has " + size + " bytes, more than the cap of " + cap);
            }
            byte[] data = new byte[(int) size];
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    // it shrank while read: what is there is what gets checked
                    return Arrays.copyOf(data, buf.position());
                }
            }
            InputStream rest = Channels.newInputStream(ch);
            byte[] more = rest.readNBytes((int) (cap - size) + 1);
            if (more.length == 0) {
                return data;
            }
            if (size + more.length > cap) {
                throw new ImageRejected(Reason.SIZE_LIMIT, null, image.getFileName() + " grew past the cap of " + cap + " bytes while read");
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream((int) size + more.length);
            all.write(data, 0, data.length);
            all.write(more, 0, more.length);
            return all.toByteArray();
        } catch (IOException e) {
            throw new ImageRejected(Reason.IO_ERROR, null, "cannot read " + image + ": " + e, e);
        }
    }
}
