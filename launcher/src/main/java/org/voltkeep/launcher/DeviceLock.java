package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One writer of a device's slots and boot state at a time: a running launcher
 * ({@code voltkeep run}) or an offline install. An advisory lock on
 * {@code DEVICE/device.lock}, held for as long as the holder runs; the kernel drops it
 * when the process dies, so a killed launcher leaves no stale lock behind. The file is
 * never deleted (deleting a locked file would let a second holder lock a new one).
 */
final class DeviceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DeviceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another process (or this one) holds it. */
    static Optional<DeviceLock> tryAcquire(DeviceLayout device) throws IOException {
        FileChannel ch = FileChannel.open(device.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            return Optional.empty();
        }
        return Optional.of(new DeviceLock(ch, l));
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
