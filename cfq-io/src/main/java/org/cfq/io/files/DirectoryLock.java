package org.cfq.io.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.cfq.InvalidInputException;

/**
 * An exclusive lock on an output directory, so two processes never write one directory at
 * once (they would compute the same work twice and overwrite each other's results).
 *
 * <p>The lock is an operating-system file lock on {@code DIR/.lock}: it is released when the
 * holder closes it or dies, even by {@code kill -9}, so a crashed run never leaves a stale
 * lock behind. The file itself stays and says who held it last (process id, host, start
 * time), which the refusal message quotes.
 */
public final class DirectoryLock implements AutoCloseable {
    /** The lock file's name inside the locked directory. */
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code dir} (created when missing) without waiting.
     *
     * @param option the option that named the directory, for the message ("--out")
     * @throws InvalidInputException when another process (or another run in this one) holds it,
     *                               naming that process
     * @throws IOException when the lock file cannot be created
     */
    public static DirectoryLock acquire(Path dir, String option) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new InvalidInputException(option + " " + dir, "another cfq process is writing to this directory ("
                    + holder + ")", "Wait for it to finish or stop it, or give another directory");
        }
        ProcessHandle self = ProcessHandle.current();
        String who = "pid " + self.pid() + " on " + host() + ", started " + self.info().startInstant()
                .map(Instant::toString).orElse(Instant.now().toString()) + "\n";
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new DirectoryLock(ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(512);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? "process unknown" : s;
        } catch (IOException e) {
            return "process unknown";
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
