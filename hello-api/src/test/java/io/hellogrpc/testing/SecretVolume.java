package io.hellogrpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A directory laid out as Kubernetes mounts a secret, and cert-manager renews one: each file is a
 * symlink {@code name -> ..data/name}, {@code ..data} a symlink to a directory of the current
 * version, and an update writes a whole new version beside it and then swaps {@code ..data} in
 * one rename. A reader that follows the links sees the old files or the new ones, never a mix.
 */
public final class SecretVolume {
  private final Path directory;
  private int version;

  private SecretVolume(Path directory) {
    this.directory = directory;
  }

  /** A volume in {@code directory} holding {@code files}, by name. */
  public static SecretVolume create(Path directory, Map<String, byte[]> files) {
    SecretVolume volume = new SecretVolume(directory);
    volume.update(files);
    try {
      for (String name : files.keySet()) {
        Files.createSymbolicLink(directory.resolve(name), Path.of("..data", name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return volume;
  }

  /** The file {@code name} as an application is given it: the link that stays in place. */
  public Path file(String name) {
    return directory.resolve(name);
  }

  /** Replaces every file at once, as a secret's update does: the same names, new content. */
  public void update(Map<String, byte[]> files) {
    try {
      Path next = directory.resolve("..version-" + ++version);
      Files.createDirectory(next);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Files.write(next.resolve(file.getKey()), file.getValue());
      }
      Path link = directory.resolve("..data_tmp");
      Files.createSymbolicLink(link, next.getFileName());
      Files.move(link, directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
