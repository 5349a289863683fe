"""File steps that survive a kill at any point: fsync, one-write appends, a hashing copy, and the move that never
overwrites.

The run's crash safety (see `goalsheet.batch.commit`) rests on these: a file is flushed before it is renamed into
sight, a rename is made durable by syncing its folder, a journal or log line is one `write` so concurrent appenders
never interleave, and an input leaves the inbox only by a move that claims its new name atomically.  An inbox entry
is read only if it is a regular file: never through a link, and a FIFO is never waited on.
"""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import uuid
from pathlib import Path

from goalsheet.batch.names import numbered

# Errors of writing that say nothing about the workbook (the outbox's disk or its rights): the input
# stays in the inbox for the next run instead of being failed.
WRITE_ERRNOS = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EFBIG")
                         if hasattr(errno, name))


class NotRegularFile(OSError):
    """The inbox entry is no longer a regular file (replaced by a link or a FIFO after it was listed)."""


class WriteFailed(Exception):
    """Writing into the outbox's working folder failed: a fault of the outbox, not of the workbook."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


def write_failure(exc: BaseException) -> OSError | None:
    """The OSError of writing behind `exc` (itself, or what caused it) when it is the outbox's fault --
    a full disk, a quota, no permission, a read-only file system -- else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, WriteFailed):
            return exc.error
        if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def append_line(path: Path, line: str, *, durable: bool) -> None:
    """One write of one line with O_APPEND, so concurrent appenders do not interleave."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode("utf-8"))
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


def open_regular(path: Path):
    """`path` opened for reading only if it is a regular file: never through a symbolic link, and a
    FIFO is neither waited on nor read (O_NONBLOCK lets the open return, the check then refuses it)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == getattr(errno, "ELOOP", None):
            raise NotRegularFile(exc.errno, "a link, not a file", str(path)) from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
    return os.fdopen(fd, "rb")


def sha256_of(path: Path) -> str:
    """The sha256 of a regular file (never read through a link: see open_regular)."""
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def copy_hashing(src: Path, dst: Path) -> str:
    """Copy src to dst (fsynced) and return the sha256 of exactly the bytes copied.  A failure to
    write dst is raised as WriteFailed (the outbox's fault); one to read src as it is."""
    digest = hashlib.sha256()
    with open_regular(src) as fin:
        try:
            fout = open(dst, "wb")
        except OSError as exc:
            raise WriteFailed(exc) from exc
        with fout:
            for block in iter(lambda: fin.read(1 << 20), b""):
                digest.update(block)
                try:
                    fout.write(block)
                except OSError as exc:
                    raise WriteFailed(exc) from exc
            try:
                fout.flush()
                os.fsync(fout.fileno())
            except OSError as exc:
                raise WriteFailed(exc) from exc
    return digest.hexdigest()


def _linked_elsewhere(src: Path, dst: Path) -> bool:
    """Whether dst is a second name, in another folder, of src's file (what a run killed between the
    link and the unlink of a move leaves): only then does removing src lose nothing."""
    try:
        a, b = os.lstat(src), os.lstat(dst)
        same_folder = os.path.samefile(src.parent, dst.parent)
    except OSError:
        return False
    return (not same_folder and stat.S_ISREG(a.st_mode) and a.st_nlink >= 2
            and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino))


def move_without_overwrite(src: Path, folder: Path) -> Path:
    """Move src into folder under its own name, or `name-2.ext`, `name-3.ext`, ... if taken.

    Never overwrites.  On one file system a hard link + unlink claims the name atomically
    (os.link fails if the name exists); a crash between the two leaves the same file under
    both names, which the next call recognises (same inode) and finishes.  Across file
    systems: copy to a hidden name, fsync, link into place, then remove the source.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if os.path.samefile(src.parent, folder):
        # The start-up checks refuse such folders; a move within one folder would only rename.
        raise OSError(errno.EINVAL, "refusing to move a file into the folder it is in", str(folder))
    n = 1
    while True:
        dst = folder / numbered(src.name, n)
        if os.path.lexists(dst):
            if _linked_elsewhere(src, dst):          # finished by a killed run's link
                src.unlink()
                fsync_dir(src.parent)
                return dst
            n += 1
            continue
        try:
            _claim(src, dst)
        except FileExistsError:
            n += 1
            continue
        fsync_dir(folder)
        fsync_dir(src.parent)
        return dst


def _claim(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (FAT, some network shares) or another file system.
        if os.name == "nt":
            try:
                os.rename(src, dst)          # fails if dst exists: never overwrites
                return
            except FileExistsError:
                raise
            except OSError:
                pass
        staging = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}.part")
        shutil.copyfile(src, staging)
        fsync_file(staging)
        try:
            if os.name == "nt":
                os.rename(staging, dst)
            else:
                os.link(staging, dst)
                staging.unlink()
        except FileExistsError:
            staging.unlink(missing_ok=True)
            raise
    src.unlink()
