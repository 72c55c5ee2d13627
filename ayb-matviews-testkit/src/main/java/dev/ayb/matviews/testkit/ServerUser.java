package dev.ayb.matviews.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system user that runs {@code initdb}, {@code pg_ctl} and {@code postgres}.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}), and containers and CI machines
 * often run everything as root. Then the commands go through {@code setpriv} (or {@code runuser}; both come with
 * util-linux) to an unprivileged user, {@code nobody} by default, who must own the data directory and be able to
 * reach it and the binaries. For any other JVM user the commands run directly.
 */
final class ServerUser {

    private static final Logger LOG = LoggerFactory.getLogger(ServerUser.class);
    private static final Pattern ID_OUTPUT = Pattern.compile("uid=(-?\\d+)\\(([^)]*)\\)\\s+gid=(-?\\d+)\\(([^)]*)\\)");
    private static final List<String> SYSTEM_BINARY_DIRECTORIES = List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin");

    private final List<String> commandPrefix;
    private final @Nullable Account account; // null when the commands run as the JVM's own user

    private ServerUser(List<String> commandPrefix, @Nullable Account account) {
        this.commandPrefix = List.copyOf(commandPrefix);
        this.account = account;
    }

    /** A user account as {@code id} reports it. */
    private record Account(String uid, String userName, String gid, String groupName) {
    }

    /** The JVM's own user, or {@code unprivilegedUser} when the JVM runs as root. */
    static ServerUser forThisJvm(String unprivilegedUser) {
        if (!runningAsRoot()) {
            return new ServerUser(List.of(), null);
        }
        Account account = lookUp(unprivilegedUser);
        Optional<Path> setpriv = findSystemBinary("setpriv");
        if (setpriv.isPresent()) {
            return new ServerUser(List.of(setpriv.get().toString(), "--reuid=" + account.uid(),
                    "--regid=" + account.gid(), "--init-groups", "--"), account);
        }
        Optional<Path> runuser = findSystemBinary("runuser");
        if (runuser.isPresent()) {
            return new ServerUser(List.of(runuser.get().toString(), "-u", account.userName(), "--"), account);
        }
        throw new IllegalStateException("PostgreSQL cannot run as root, and neither setpriv nor runuser"
                + " (util-linux) was found to run it as '" + unprivilegedUser + "'. Install util-linux, run the JVM"
                + " as another user, or point AYB_TEST_DATABASE_URL at an existing server.");
    }

    boolean switchesUser() {
        return account != null;
    }

    /** The name shown in logs and error messages. */
    String describe() {
        return account == null ? System.getProperty("user.name") : account.userName() + " (switched from root)";
    }

    List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(commandPrefix);
        full.addAll(command);
        return full;
    }

    /**
     * Hands a data directory to the server user, who must own it; PostgreSQL also insists on mode 0700.
     * A persistent directory from an earlier run may already belong to the user; then nothing changes.
     */
    void takeOwnership(Path dataDirectory) {
        try {
            Files.setPosixFilePermissions(dataDirectory, FileModes.of(0700));
            if (account == null) {
                return;
            }
            UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
            UserPrincipal owner = lookup.lookupPrincipalByName(account.userName());
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(account.groupName());
            Files.walkFileTree(dataDirectory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
                        throws IOException {
                    chown(dir, owner, group);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    chown(file, owner, group);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not hand " + dataDirectory + " to " + describe(), e);
        }
    }

    /**
     * The switched-to user must be able to walk down to {@code directory}. Root's own directories (e.g.
     * {@code /root}, mode 0700) often forbid that; granting others "search" (x) lets them pass through without
     * listing or reading anything.
     */
    void ensureReachable(Path directory) {
        if (account == null) {
            return;
        }
        try {
            for (Path ancestor = directory.toAbsolutePath().getParent(); ancestor != null;
                    ancestor = ancestor.getParent()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(ancestor);
                if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(ancestor, permissions);
                    LOG.warn("Granted others search (o+x) on {} so that {} can reach {}", ancestor,
                            account.userName(), directory);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make " + directory + " reachable for " + describe(), e);
        }
    }

    private static void chown(Path path, UserPrincipal owner, GroupPrincipal group) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(owner);
        view.setGroup(group);
    }

    private static boolean runningAsRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (LinkageError trimmedRuntimeWithoutJaas) {
            ProcessRunner.Result id = ProcessRunner.run(List.of("id", "-u"), Path.of("/"), Duration.ofSeconds(10));
            return id.succeeded() && id.output().strip().equals("0");
        }
    }

    private static Account lookUp(String userName) {
        ProcessRunner.Result id = ProcessRunner.run(List.of("id", userName), Path.of("/"), Duration.ofSeconds(10));
        Matcher matcher = ID_OUTPUT.matcher(id.output());
        if (!id.succeeded() || !matcher.find()) {
            throw new IllegalStateException("The JVM runs as root, so PostgreSQL must run as another user, but"
                    + " user '" + userName + "' could not be looked up: " + id.describe());
        }
        return new Account(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
    }

    private static Optional<Path> findSystemBinary(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)), SYSTEM_BINARY_DIRECTORIES.stream())
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
