package dev.abilitystore.integration;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A directory in which no file can be created, deleted or renamed, for real, until {@link
 * #close()}. Permissions do not stop root, so as root it sets the immutable attribute ({@code
 * chattr +i}), which binds root too (ext2/3/4, XFS, Btrfs); otherwise it takes the write
 * permission away. Either way it checks by trying to create a file, and skips the calling test
 * when the directory still accepts one (a file system without the attribute, say). Files already
 * there stay writable in place. Not thread-safe.
 */
final class UnwritableDirectory implements AutoCloseable {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path directory;
  private final Set<PosixFilePermission> permissions;
  private boolean closed;

  private UnwritableDirectory(Path directory, Set<PosixFilePermission> permissions) {
    this.directory = directory;
    this.permissions = permissions;
  }

  /** Makes {@code directory} unwritable, or skips the test when this machine cannot. */
  static UnwritableDirectory of(Path directory) {
    UnwritableDirectory unwritable;
    try {
      unwritable = new UnwritableDirectory(directory, Files.getPosixFilePermissions(directory));
      if (!ROOT) {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-xr-xr-x"));
      } else if (chattr("+i", directory) != 0) {
        return Assumptions.abort("chattr +i " + directory + " failed: no immutable attribute here, and "
            + "permissions do not stop root");
      }
    } catch (IOException e) {
      return Assumptions.abort("cannot make " + directory + " unwritable: " + e.getMessage());
    }
    Path probe = directory.resolve("unwritable-probe");
    try {
      Files.createFile(probe);
    } catch (IOException expected) {
      return unwritable;
    }
    try {
      Files.delete(probe);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      unwritable.close();
    }
    return Assumptions.abort(directory + " still accepts new files: cannot make it unwritable on this machine");
  }

  /** Makes the directory writable again. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (ROOT) {
        int exit = chattr("-i", directory);
        if (exit != 0) {
          throw new IllegalStateException("chattr -i " + directory + " failed (exit " + exit + ")");
        }
      } else {
        Files.setPosixFilePermissions(directory, permissions);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + directory + " writable again", e);
    }
  }

  private static int chattr(String attribute, Path directory) throws IOException {
    Process process = new ProcessBuilder(List.of("chattr", attribute, directory.toString()))
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running chattr " + attribute + " " + directory, e);
    }
    if (process.exitValue() != 0) {
      System.err.println("[UnwritableDirectory] chattr " + attribute + " " + directory + ": " + output.strip());
    }
    return process.exitValue();
  }
}
