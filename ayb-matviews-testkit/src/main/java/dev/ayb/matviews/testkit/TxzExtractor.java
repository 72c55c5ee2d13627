package dev.ayb.matviews.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks a {@code .txz} (tar + xz) archive. Symlinks are recreated as symlinks (the shared libraries depend on
 * them) and every file and directory is made readable, and where needed executable, by all users, because the
 * server may run as an unprivileged user that does not own the files.
 */
final class TxzExtractor {

    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = FileModes.of(0755);

    private TxzExtractor() {
    }

    static void extract(InputStream archive, Path targetDirectory) throws IOException {
        Path root = targetDirectory.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZInputStream(new BufferedInputStream(archive, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = insideRoot(root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, insideRoot(root, entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(path, readableByAll(entry.getMode()));
                }
            }
        }
        openDirectoriesToAll(root);
    }

    /** Guards against entries such as {@code ../../etc/passwd} escaping the target directory. */
    private static Path insideRoot(Path root, String entryName) throws IOException {
        Path path = root.resolve(entryName).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("Archive entry points outside the target directory: " + entryName);
        }
        return path;
    }

    /** Keeps the archive's execute bits, and lets everybody read and execute what the owner may. */
    private static Set<PosixFilePermission> readableByAll(int archivedMode) {
        boolean executable = (archivedMode & 0100) != 0;
        return FileModes.of(executable ? 0755 : 0644);
    }

    /** The directories' modes follow the umask when created; the unprivileged server user must traverse them. */
    private static void openDirectoriesToAll(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.setPosixFilePermissions(dir, DIRECTORY_PERMISSIONS);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
